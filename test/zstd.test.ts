// Plain zstd streams of the addon: round trips, bounded output, corrupt and cut input.
import { describe, expect, test } from 'vitest';
import { DbnError } from '../lib/errors.js';
import { ZstdCompressStream, ZstdDecompressStream, zstdCompress } from '../lib/zstd.js';

function decompressAll(input: Uint8Array, chunk = input.length || 1): { bytes: Buffer; z: ZstdDecompressStream } {
  const z = new ZstdDecompressStream();
  const parts: Buffer[] = [];
  for (let at = 0; at < input.length; at += chunk) {
    for (const view of z.decompress(input.subarray(at, at + chunk))) parts.push(Buffer.from(view));
  }
  return { bytes: Buffer.concat(parts), z };
}

describe('zstd streams', () => {
  test('round trip, fed one byte at a time and whole', () => {
    const text = Buffer.from('{"a":1}\n'.repeat(10_000) + 'é€😀\n');
    const packed = zstdCompress(text);
    expect(packed.length).toBeLessThan(text.length / 10);
    expect(decompressAll(packed).bytes.equals(text)).toBe(true);
    const slow = decompressAll(packed, 1);
    expect(slow.bytes.equals(text)).toBe(true);
    expect(slow.z.atFrameBoundary).toBe(true);
  });

  test('an empty frame, no input at all, and concatenated frames', () => {
    expect(decompressAll(zstdCompress(new Uint8Array(0))).bytes.length).toBe(0);
    const none = new ZstdDecompressStream();
    expect([...none.decompress(new Uint8Array(0))]).toHaveLength(0);
    expect(none.atFrameBoundary).toBe(true);
    const two = Buffer.concat([zstdCompress(Buffer.from('one\n')), zstdCompress(Buffer.from('two\n'))]);
    expect(decompressAll(two, 3).bytes.toString()).toBe('one\ntwo\n');
  });

  test('a cut frame is not at a frame boundary', () => {
    const packed = zstdCompress(Buffer.from('x'.repeat(100_000) + '\n'));
    const { z } = decompressAll(packed.subarray(0, packed.length - 3));
    expect(z.atFrameBoundary).toBe(false);
  });

  test('data that is not zstd throws ZSTD_CORRUPT', () => {
    const z = new ZstdDecompressStream();
    let err: unknown;
    try {
      [...z.decompress(Buffer.from('{"detail":"not zstd"}'))];
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DbnError);
    expect((err as DbnError).code).toBe('ZSTD_CORRUPT');
  });

  test('a bomb streams out window by window: 512 MiB from a few KiB in bounded memory', () => {
    const c = new ZstdCompressStream(19);
    const zeros = new Uint8Array(16 << 20);
    const parts: Uint8Array[] = [];
    for (let i = 0; i < 32; i++) parts.push(c.write(zeros));
    parts.push(c.end());
    const bomb = Buffer.concat(parts);
    expect(bomb.length).toBeLessThan(64 * 1024);
    const rss0 = process.memoryUsage().rss;
    const z = new ZstdDecompressStream();
    let total = 0;
    let largest = 0;
    for (const view of z.decompress(bomb)) {
      total += view.length;
      largest = Math.max(largest, view.length);
    }
    expect(total).toBe(512 << 20);
    expect(largest).toBeLessThanOrEqual(256 * 1024);
    expect(process.memoryUsage().rss - rss0).toBeLessThan(64 << 20);
  }, 60_000);
});
