// Portability of the native parts beyond the glibc they are built on.
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('arc4random replacement', () => {
  it('returns values from /dev/urandom when getrandom keeps failing, instead of spinning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'databento-arc4random-'));
    try {
      const exe = join(dir, 'arc4random-nosys');
      execFileSync('g++', [
        '-std=c++20',
        '-O1',
        '-o',
        exe,
        join(root, 'cpp/glibc_compat.cpp'),
        join(root, 'test/children/arc4random-nosys.cpp'),
      ]);
      const run = spawnSync(exe, { encoding: 'utf8', timeout: 10_000 });
      expect(run.signal).toBeNull();
      expect(run.stdout.trim()).toBe('distinct');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
