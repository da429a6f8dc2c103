// Both builds (binding.gyp for node-gyp and prebuilds, CMakeLists.txt for
// cmake-js and the core's tests) must compile the same sources.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
// @ts-expect-error: a plain ESM script without type declarations
import { sources } from '../scripts/sources.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string) => readFileSync(root + path, 'utf8');

describe('build files', () => {
  it('scripts/sources.mjs lists every C++ source of the core and the addon', () => {
    const listed = new Set([...sources('core'), ...sources('addon')]);
    const onDisk = [
      ...readdirSync(root + 'deps/databento-core/src').map((f) => `deps/databento-core/src/${f}`),
      ...readdirSync(root + 'cpp').map((f) => `cpp/${f}`),
      ...readdirSync(root + 'cpp/util').map((f) => `cpp/util/${f}`),
    ].filter((f) => f.endsWith('.cpp'));
    expect([...listed].sort()).toEqual(onDisk.sort());
  });

  it('binding.gyp and both CMakeLists.txt take their sources from it', () => {
    const gyp = JSON.parse(read('binding.gyp'));
    expect(gyp.targets[0].sources).toEqual(['<!@(node scripts/sources.mjs addon core)']);
    expect(read('CMakeLists.txt')).toMatch(/node scripts\/sources\.mjs addon/);
    expect(read('deps/databento-core/CMakeLists.txt')).toMatch(/node scripts\/sources\.mjs core/);
  });

  it('both builds define the same N-API settings', () => {
    const gypDefines: string[] = JSON.parse(read('binding.gyp')).targets[0].defines;
    const cmake = read('CMakeLists.txt');
    for (const define of gypDefines) expect(cmake).toContain(define);
    expect(JSON.parse(read('binding.gyp')).targets[0].include_dirs).toContain('cpp');
    expect(cmake).toMatch(/target_include_directories\(databento PRIVATE[^)]*\/cpp\b/);
    expect(gypDefines).toContain('NAPI_VERSION=8');
    expect(gypDefines).toContain('NODE_API_NO_EXTERNAL_BUFFERS_ALLOWED');
  });
});
