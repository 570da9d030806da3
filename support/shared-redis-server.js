// Starts one throwaway redis-server for a parallel run, from cucumber.js, before cucumber forks
// its workers: they inherit REDIS_URL, so every worker uses this one server. The server belongs
// to the coordinating process and is stopped when it exits; Ctrl-C reaches it too, because it
// stays in the same process group.
const { execFileSync, spawn, spawnSync } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

function findFreePortSync() {
  const script = "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})";
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

function startSharedRedisServer() {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.error) {
    throw new Error('redis-server was not found on PATH: install it (Debian/Ubuntu: "apt-get install -y redis-server", macOS: "brew install redis"), or set REDIS_URL to a Redis the suite may use.');
  }

  const port = findFreePortSync();
  const dir = mkdtempSync(join(tmpdir(), 'conveyor-redis-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  child.unref();
  process.on('exit', () => {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  // The workers wait until the server replies before their first scenario.
  process.env.REDIS_URL = `redis://127.0.0.1:${port}`;
  process.env.CONVEYOR_SHARED_REDIS = 'starting';
}

module.exports = { startSharedRedisServer };
