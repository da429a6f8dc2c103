// The one list of C++ sources, read by binding.gyp (node-gyp, prebuildify)
// and CMakeLists.txt (cmake-js, the core's own tests), so both builds compile
// the same files. Usage: node scripts/sources.mjs <group>... [--sep=;]
//   core   deps/databento-core/src/*.cpp   (the C++ client core)
//   addon  cpp/*.cpp, cpp/util/*.cpp       (the N-API layer: a file per bound class, shared helpers)
import { readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const GROUPS = { core: ['deps/databento-core/src'], addon: ['cpp', 'cpp/util'] };

export function sources(group) {
  const dirs = GROUPS[group];
  if (!dirs) throw new Error(`unknown source group "${group}" (known: ${Object.keys(GROUPS).join(', ')})`);
  return dirs.flatMap((dir) =>
    readdirSync(join(root, dir))
      .filter((f) => f.endsWith('.cpp'))
      .sort()
      .map((f) => relative(root, join(root, dir, f))),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const sep = args.find((a) => a.startsWith('--sep='))?.slice(6) ?? ' ';
  const groups = args.filter((a) => !a.startsWith('--'));
  process.stdout.write(groups.flatMap(sources).join(sep));
}
