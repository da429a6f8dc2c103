/**
 * The one rule every client applies to its API key.
 * @internal
 * @module
 */
import { InvalidArgumentError } from './errors.js';

/** Length of a Databento API key. */
const KEY_LENGTH = 32;

/**
 * The key a client uses: `key` if given, else `DATABENTO_API_KEY`. It must be
 * 32 printable ASCII characters (what Databento issues, and what the live
 * authentication can carry). Errors name what is wrong, never the key.
 */
export function resolveApiKey(key: unknown): string {
  const value = key ?? process.env['DATABENTO_API_KEY'];
  if (value === undefined || value === '') {
    throw new InvalidArgumentError('no API key: pass { key } or set DATABENTO_API_KEY');
  }
  if (typeof value !== 'string') throw new InvalidArgumentError(`the API key must be a string, not ${typeof value}`);
  if (value.length !== KEY_LENGTH || !/^[\x21-\x7e]+$/.test(value)) {
    const problem = value.length !== KEY_LENGTH ? `got ${value.length}` : 'it has spaces or non-ASCII characters';
    throw new InvalidArgumentError(`the API key must be ${KEY_LENGTH} printable ASCII characters (${problem}); copy it from your Databento portal`);
  }
  return value;
}
