// The C++ core's own test executable, built with AddressSanitizer and UBSan
// and run over every fixture (whole, truncated, corrupted).
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('C++ core', () => {
  it('passes its own tests under AddressSanitizer and UBSan', () => {
    const build = mkdtempSync(join(tmpdir(), 'databento-core-'));
    try {
      const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { cwd: root, encoding: 'utf8', stdio: 'pipe' });
      run('cmake', ['-S', 'deps/databento-core', '-B', build, '-DCMAKE_BUILD_TYPE=Debug', '-DDATABENTO_SANITIZE=ON']);
      run('cmake', ['--build', build, '-j', '2']);
      const out = run(join(build, 'databento_core_tests'), []);
      expect(out).toMatch(/^\d+ passed, 0 failed$/m);
    } finally {
      rmSync(build, { recursive: true, force: true });
    }
  }, 900_000);
});
