// Input that claims far more than it carries (a zstd bomb, a huge metadata
// length) decodes within bounded memory: each case runs in a child process
// that reports its own peak RSS.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DbnDecoder, DbnEncoder, DbnError, DbnStore } from '../lib/index.js';
import { fixturePath } from './fixtures.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const child = join(root, 'test/children/decode-rss.mjs');
const RSS_LIMIT_MB = 200;
const TRADE_BYTES = 48;
const BOMB_BYTES = 1 << 30;

interface Outcome {
  records: number;
  code?: string;
  message?: string;
  maxRssMb: number;
}

function decodeInChild(mode: string, file: string, maxMetadataBytes?: number): Outcome {
  const args = [child, root, mode, file, ...(maxMetadataBytes ? [String(maxMetadataBytes)] : [])];
  return JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8', timeout: 120_000 })) as Outcome;
}

/** 1 MiB of valid, nearly all-zero trade records (MBP-0, rtype 0x00). */
function tradeRecords(): Uint8Array {
  const out = new Uint8Array(Math.floor((1 << 20) / TRADE_BYTES) * TRADE_BYTES);
  for (let at = 0; at < out.length; at += TRADE_BYTES) out[at] = TRADE_BYTES / 4;
  return out;
}

const METADATA = {
  dataset: 'XNAS.ITCH',
  schema: 'trades',
  start: 0n,
  end: 0n,
  stype_in: 'raw_symbol',
  stype_out: 'instrument_id',
};

let dir: string;
let bomb: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'databento-limits-'));
  // Level 6 is the fastest level that finds the long repeats (~10000:1).
  const encoder = new DbnEncoder(METADATA, { compression: 'zstd', level: 6 });
  const records = tradeRecords();
  const parts: Uint8Array[] = [];
  let total = 0;
  while (total + records.length <= BOMB_BYTES) {
    parts.push(encoder.write(records));
    total += records.length;
  }
  parts.push(encoder.end());
  bomb = join(dir, 'bomb.dbn.zst');
  writeFileSync(bomb, Buffer.concat(parts));
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('zstd bomb', () => {
  const expected = Math.floor(BOMB_BYTES / tradeRecords().length) * (tradeRecords().length / TRADE_BYTES);

  it('is a small file that expands to 1 GiB of records', () => {
    expect(readFileSync(bomb).length).toBeLessThan(200 * 1024);
  });

  for (const mode of ['store', 'decoder', 'stream']) {
    it(`streams every record within ${RSS_LIMIT_MB} MB of RSS (${mode})`, () => {
      const out = decodeInChild(mode, bomb);
      expect(out.code, out.message).toBeUndefined();
      expect(out.records).toBe(expected);
      expect(out.maxRssMb).toBeLessThan(RSS_LIMIT_MB);
    }, 120_000);
  }

  it('a push decoder hands the expansion out through read(), in batches of bounded size', () => {
    const decoder = new DbnDecoder();
    const input = readFileSync(bomb);
    let batches = 0;
    let largest = 0;
    for (let b = decoder.write(input.subarray(0, 64 * 1024)); b; b = decoder.read()) {
      batches++;
      largest = Math.max(largest, b.bytes().length);
      if (batches === 20) break;
    }
    expect(batches).toBe(20);
    expect(largest).toBeLessThanOrEqual(5 << 20);
    expect(() => decoder.end()).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
  });
});

describe('metadata length cap', () => {
  it('a header length of 0xFFFFFFF0 fails at once with METADATA_TOO_LARGE, memory bounded', () => {
    const header = new Uint8Array(8);
    header.set([0x44, 0x42, 0x4e, 3]);
    new DataView(header.buffer).setUint32(4, 0xfffffff0, true);
    const file = join(dir, 'huge-header.dbn');
    writeFileSync(file, header);
    const out = decodeInChild('drip', file);
    expect(out.code).toBe('METADATA_TOO_LARGE');
    expect(out.message).toMatch(/4294967280 bytes.*268435456.*maxMetadataBytes/);
    expect(out.maxRssMb).toBeLessThan(RSS_LIMIT_MB);
  }, 60_000);

  it('the cap is an option; real files fit the default', () => {
    const file = fixturePath('test_data.definition.dbn');
    const length = readFileSync(file).readUInt32LE(4);
    expect(DbnStore.fromFile(file).metadata.dataset).toBeTruthy();
    expect(DbnStore.fromFile(file, { maxMetadataBytes: length }).metadata.dataset).toBeTruthy();
    expect(() => DbnStore.fromFile(file, { maxMetadataBytes: length - 1 })).toThrow(
      expect.objectContaining({ code: 'METADATA_TOO_LARGE' }),
    );
    const zst = fixturePath('test_data.definition.v3.dbn.zst');
    const decoder = new DbnDecoder({ maxMetadataBytes: 112 });
    expect(() => decoder.write(readFileSync(zst))).toThrow(DbnError);
    expect(() => new DbnDecoder({ maxMetadataBytes: 10 })).toThrow(/maxMetadataBytes/);
  });
});
