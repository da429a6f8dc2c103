/**
 * Shape checks of JSON responses: a body that is not what the endpoint
 * returns becomes a {@link BadResponseError} rather than a wrong value later.
 * @internal
 * @module
 */
import { BadResponseError } from './errors.js';

type Json = Record<string, unknown>;

function fail(where: string, what: string): never {
  throw new BadResponseError(`unexpected response from ${where}: ${what}`);
}

/** A JSON array. */
export function array(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) fail(where, `expected a JSON array, got ${typeOf(value)}`);
  return value;
}

/** A JSON object. */
export function object(value: unknown, where: string): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(where, `expected a JSON object, got ${typeOf(value)}`);
  }
  return value as Json;
}

/** An array of strings. */
export function strings(value: unknown, where: string): string[] {
  const arr = array(value, where);
  for (const s of arr) if (typeof s !== 'string') fail(where, `expected strings, got ${typeOf(s)}`);
  return arr as string[];
}

/** A JSON unsigned integer. */
export function unsigned(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    fail(where, `expected an unsigned integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** A JSON number. */
export function number(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(where, `expected a number, got ${JSON.stringify(value)}`);
  return value;
}

/** Requires `keys` on an object, each passing `test` (a typeof name, or a predicate). */
export function fields(obj: Json, where: string, spec: Record<string, string | ((v: unknown) => boolean)>): Json {
  for (const [key, test] of Object.entries(spec)) {
    if (!(key in obj)) fail(where, `missing key '${key}'`);
    const v = obj[key];
    const ok = typeof test === 'string' ? test.split('|').some((t) => (t === 'null' ? v === null : typeof v === t)) : test(v);
    if (!ok) fail(where, `key '${key}' has an unexpected value ${JSON.stringify(v)}`);
  }
  return obj;
}

function typeOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}
