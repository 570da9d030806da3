// Cucumber profiles. `default` runs every phase but @production; `ci` adds machine-readable reports;
// `differential` runs the flows written for both phases and prints how their rows differ.
const { startSharedRedisServer } = require('./support/shared-redis-server');

// A parallel run shares one Redis server; a serial run starts its own in support/suite-redis.ts.
if (process.argv.includes('--parallel') && !process.env.REDIS_URL) startSharedRedisServer();

const common = {
  requireModule: ['tsx/cjs'],
  require: ['support/**/*.ts', 'worlds/**/*.ts', 'steps/**/*.ts'],
  format: ['progress-bar', 'html:reports/cucumber.html'],
  strict: true,
};

module.exports = {
  default: { ...common, tags: 'not @production' },
  phase1: { ...common, tags: '@phase1' },
  phase2: { ...common, tags: '@phase2' },
  differential: {
    ...common,
    tags: '@differential',
    parallel: 0,
    format: ['./support/phase-diff/difference-formatter.js', 'html:reports/differential.html'],
    // A failure's message already contains its differences, and the HTML report keeps the attachments.
    formatOptions: { printAttachments: false },
  },
  production: { ...common, tags: '@production', format: ['progress', 'html:reports/production.html'] },
  ci: {
    ...common,
    tags: 'not @production',
    format: ['progress', 'html:reports/cucumber.html', 'junit:reports/junit.xml', 'message:reports/messages.ndjson'],
  },
};
