/**
 * The package version and the user agent built from it.
 * @internal
 * @module
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { release, type } from 'node:os';

let cached: string | undefined;

/** The version field of databento-node's package.json, read once (works from lib/ and from dist/lib/). */
export function packageVersion(): string {
  if (cached !== undefined) return cached;
  cached = '0.0.0';
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'databento-node' && typeof pkg.version === 'string') {
        cached = pkg.version;
        break;
      }
    } catch {
      // no package.json here: keep walking up
    }
    if (dirname(dir) === dir) break;
  }
  return cached;
}

/** `Databento/<version> Node.js/<node version> Linux/<os release>`. */
export function userAgent(): string {
  return `Databento/${packageVersion()} Node.js/${process.versions.node} ${type()}/${release()}`;
}
