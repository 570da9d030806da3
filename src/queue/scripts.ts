import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Redis from 'ioredis';

const SCRIPT_DIR = join(__dirname, 'scripts');
const INCLUDE = /^-- #include ([\w.-]+)$/gm;

export const SCRIPT_NAMES = ['submit', 'claim', 'start', 'progress', 'complete', 'fail', 'cancel', 'renew', 'release', 'reap'] as const;
export type ScriptName = (typeof SCRIPT_NAMES)[number];

/** Reads a script and replaces each of its `-- #include FILE` lines with that file. */
export function readScript(name: string): string {
  const source = readFileSync(join(SCRIPT_DIR, `${name}.lua`), 'utf8');
  return source.replace(INCLUDE, (_line, file: string) => readFileSync(join(SCRIPT_DIR, file), 'utf8'));
}

type ScriptCall = (...args: (string | number)[]) => Promise<unknown>;
export type ScriptCommands = Record<ScriptName, ScriptCall>;

const sources = new Map<ScriptName, string>();

/**
 * Defines every queue script on a connection as a command that takes the number of keys
 * first. ioredis sends EVALSHA and falls back to EVAL once, so nothing is installed by hand.
 */
export function defineScripts(redis: Redis): ScriptCommands {
  const commands = {} as ScriptCommands;
  for (const name of SCRIPT_NAMES) {
    if (!sources.has(name)) {
      sources.set(name, readScript(name));
    }
    const command = `conveyor_${name}`;
    if (!(command in redis)) {
      redis.defineCommand(command, { lua: sources.get(name)! });
    }
    const call = (redis as unknown as Record<string, ScriptCall>)[command].bind(redis);
    commands[name] = call;
  }
  return commands;
}
