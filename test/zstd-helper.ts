// Decompresses zstd data with the `zstd` command-line tool (an independent
// implementation to check our output against).
import { execFileSync } from 'node:child_process';

export function zstdDecompressSync(data: Uint8Array): Buffer {
  return execFileSync('zstd', ['-dc'], { input: data, maxBuffer: 1 << 30 });
}
