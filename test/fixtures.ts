// Paths and golden decodes of the shared DBN fixtures.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FIXTURES_DIR = fileURLToPath(new URL('./fixtures/dbn/', import.meta.url));
export const GOLDEN_DIR = fileURLToPath(new URL('./fixtures/golden/', import.meta.url));

export const fixturePath = (name: string): string => FIXTURES_DIR + name;
export const readFixture = (name: string): Uint8Array => new Uint8Array(readFileSync(fixturePath(name)));

/** Every fixture file name (DBN, zstd DBN, fragments, legacy DBZ). */
export const ALL_FIXTURES = readdirSync(FIXTURES_DIR).filter((f) => /\.(dbn|zst|frag|dbz)$/.test(f)).sort();

/** The DBN version of a fragment fixture's records, from its name (unversioned files are v2). */
export function fragmentVersion(name: string): 1 | 2 | 3 {
  const m = /\.v([123])\./.exec(name);
  return m ? (Number(m[1]) as 1 | 2 | 3) : 2;
}

export interface Golden {
  metadata: Record<string, unknown>;
  records: { rtype: number; length_bytes: number; hex: string }[];
}

/** Fixtures that have a golden decode by the official C++ client. */
export const GOLDEN_FIXTURES = readdirSync(GOLDEN_DIR)
  .filter((f) => f.endsWith('.jsonl'))
  .map((f) => f.slice(0, -'.jsonl'.length))
  .sort();

export function readGolden(name: string): Golden {
  const lines = readFileSync(GOLDEN_DIR + name + '.jsonl', 'utf8').split('\n').filter(Boolean);
  return { metadata: JSON.parse(lines[0]!), records: lines.slice(1).map((l) => JSON.parse(l)) };
}

export const hex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
