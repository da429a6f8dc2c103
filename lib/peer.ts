/**
 * Optional peer dependencies (Arrow, Parquet, DuckDB, PostgreSQL), loaded on
 * first use so the base install stays small.
 * @module
 */
import { DatabentoError } from './errors.js';

/** Loads an optional peer dependency, or throws `fail`'s error (by default a `MISSING_DEPENDENCY` DatabentoError) naming the package to install. */
export async function loadPeer<T>(
  name: string,
  purpose: string,
  fail: (message: string, cause: unknown) => Error = (message, cause) => new DatabentoError(message, 'MISSING_DEPENDENCY', { cause }),
): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw fail(`${purpose} needs the package '${name}': npm install ${name}`, err);
    }
    throw err;
  }
}
