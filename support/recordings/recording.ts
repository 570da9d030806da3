import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';

import { PROJECT_ROOT } from '../../src/phase/phase-profile';
import type { ServiceName } from '../service-scenarios';

/** Directory of the recordings, below the project root, unless FIXTURE_DIR names another. */
export const DEFAULT_RECORDING_DIR = join('features', 'phase2', 'recordings');

/** Age past which a recording is due for re-recording, unless FIXTURE_MAX_AGE_DAYS sets another. */
export const DEFAULT_MAX_AGE_DAYS = 30;

/** Version of the file format; a reader rejects any other. */
const FORMAT = 1;

/**
 * A request as the connector sent it, with the path below the service's base URL. Only
 * `content-type` and `accept` of its headers are kept, because the others carry credentials
 * or differ on every run.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** The parsed body when it was JSON, its text otherwise, null when there was none. */
  body: unknown;
}

/**
 * A response as the service sent it. A streamed one (server-sent events, NDJSON) keeps its
 * chunks in order, a binary one its bytes as base64, any other its JSON or text body.
 */
export interface RecordedResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
  chunks?: string[];
  base64?: string;
}

export interface Exchange {
  request: RecordedRequest;
  response: RecordedResponse;
}

export interface Recording {
  format: number;
  service: ServiceName;
  /** The scenario's name and feature file, so a reader knows what produced the file. */
  scenario: string;
  feature: string;
  /** When the recording was made, as an ISO 8601 time. */
  recordedAt: string;
  exchanges: Exchange[];
}

/** Returns the absolute directory of the recordings: FIXTURE_DIR or the default. */
export function recordingDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.FIXTURE_DIR || DEFAULT_RECORDING_DIR;
  return isAbsolute(dir) ? dir : join(PROJECT_ROOT, dir);
}

/** Turns a scenario name into a file name: lower case, words joined by hyphens. */
export function scenarioSlug(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'unnamed-scenario';
}

/** Returns the file of one scenario's recording of one service: `<dir>/<service>/<scenario-slug>.json`. */
export function recordingPath(dir: string, service: ServiceName, scenario: string): string {
  return join(dir, service, `${scenarioSlug(scenario)}.json`);
}

/** Shortens a recording's path for messages: relative to the project root when it is inside it. */
export function displayPath(path: string): string {
  const inside = relative(PROJECT_ROOT, path);
  return inside.startsWith('..') || isAbsolute(inside) ? path : inside;
}

/** Reads a recording, or returns null when the file does not exist. */
export function readRecording(path: string): Recording | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }

  let recording: Recording;
  try {
    recording = JSON.parse(text) as Recording;
  } catch (error) {
    throw new Error(`The recording ${displayPath(path)} is not valid JSON (${(error as Error).message}): fix it or re-record it.`);
  }
  const problem = formatProblem(recording);
  if (problem) throw new Error(`The recording ${displayPath(path)} is invalid: ${problem}. Re-record it.`);
  return recording;
}

/** Writes a recording through a temporary file, so a reader never sees half of one. */
export function writeRecording(path: string, recording: Recording): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(recording, null, 2)}\n`);
  renameSync(temporary, path);
}

/** Computes the age of a recording in whole days at `now`. */
export function ageInDays(recording: Recording, now = Date.now()): number {
  return Math.floor((now - Date.parse(recording.recordedAt)) / 86_400_000);
}

/** Reads FIXTURE_MAX_AGE_DAYS, a whole number of days of 1 or more. */
export function maxAgeDays(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.FIXTURE_MAX_AGE_DAYS;
  if (raw === undefined || raw === '') return DEFAULT_MAX_AGE_DAYS;
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 1) {
    throw new Error(`Invalid FIXTURE_MAX_AGE_DAYS="${raw}": use a whole number of days, 1 or more.`);
  }
  return days;
}

function formatProblem(recording: Recording): string | null {
  if (typeof recording !== 'object' || recording === null) return 'it is not a JSON object';
  if (recording.format !== FORMAT) return `its format is ${JSON.stringify(recording.format)}, and this version reads format ${FORMAT}`;
  if (Number.isNaN(Date.parse(recording.recordedAt))) return `"recordedAt" is ${JSON.stringify(recording.recordedAt)}, not an ISO 8601 time`;
  if (!Array.isArray(recording.exchanges)) return '"exchanges" is not an array';
  const broken = recording.exchanges.findIndex((exchange) => typeof exchange?.request?.method !== 'string' || typeof exchange.request.path !== 'string' || typeof exchange.response?.status !== 'number');
  if (broken >= 0) return `exchange ${broken + 1} lacks its request method, path or response status`;
  return null;
}

/** Creates an empty recording of one scenario, dated now. */
export function newRecording(service: ServiceName, scenario: string, feature: string): Recording {
  return { format: FORMAT, service, scenario, feature, recordedAt: new Date().toISOString(), exchanges: [] };
}
