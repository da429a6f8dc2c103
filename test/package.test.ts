// The npm package as users get it: `npm pack`, then `npm install` of the
// tarball into an empty project on a PATH with node and npm but no compiler,
// no make and no python, without network; then the installed package is used
// through `import` and `require`, type-checked in both forms, and loaded with
// a missing and a corrupt prebuilt binary.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from './fixtures.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PREBUILD = join(ROOT, 'prebuilds/linux-x64/databento-node.glibc.node');
const BUILD = join(ROOT, 'build/Release/databento.node');
const NPM_CLI = findNpmCli();

let work: string; // temp dir: tarballs, the consumer project, the hidden-compiler bin dir
let project: string; // the consumer project with the package installed
let env: NodeJS.ProcessEnv; // PATH without compilers, no npm_* variables of the outer npm
let packed: { filename: string; size: number; entryCount: number; files: { path: string; size: number }[] };

/** npm's own CLI script, found next to the running node (as npm installs it) or on PATH. */
function findNpmCli(): string {
  const candidates = [
    join(dirname(process.execPath), '../lib/node_modules/npm/bin/npm-cli.js'),
    ...(process.env['PATH'] ?? '').split(':').map((d) => join(d, 'npm')),
  ];
  for (const c of candidates) {
    if (existsSync(c)) return realpathSync(c);
  }
  throw new Error('npm not found');
}

function run(cmd: string, args: string[], cwd: string, timeout = 60_000): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout, killSignal: 'SIGKILL' });
  if (r.error) throw r.error;
  return r;
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  if (r.status !== 0) throw new Error(`${what} exited with ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

const npm = (args: string[], cwd: string): string => ok(run(process.execPath, [NPM_CLI, ...args], cwd), `npm ${args[0]}`);

/**
 * The x64 prebuild the tarball carries. Compiling it takes a while, so when it
 * is missing or older than build/Release (the same binding.gyp build, made by
 * `npm install`), that build is stripped and copied instead.
 */
function ensurePrebuild(): void {
  const stale = existsSync(BUILD) && (!existsSync(PREBUILD) || statSync(PREBUILD).mtimeMs < statSync(BUILD).mtimeMs);
  if (stale) ok(spawnSync(join(ROOT, 'scripts/prebuild.sh'), ['--arch=x64', '--from-build'], { cwd: ROOT, encoding: 'utf8' }), 'prebuild');
  if (!existsSync(PREBUILD)) throw new Error('no prebuild and no build/Release to make one from: run npm install');
}

beforeAll(() => {
  ensurePrebuild();
  if (!existsSync(join(ROOT, 'dist/lib/index.js')) || !existsSync(join(ROOT, 'dist/cjs/lib/index.js'))) {
    throw new Error('dist/ is missing: run npm run build:ts');
  }
  work = mkdtempSync(join(tmpdir(), 'databento-node-package-'));

  // node, npm and a shell: nothing that could compile the addon.
  const bin = join(work, 'bin');
  mkdirSync(bin);
  symlinkSync(process.execPath, join(bin, 'node'));
  symlinkSync(NPM_CLI, join(bin, 'npm'));
  symlinkSync('/bin/sh', join(bin, 'sh'));
  env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  Object.assign(env, { PATH: bin, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' });
  expect(run('sh', ['-c', 'command -v g++ c++ cc gcc make python3 python || true'], work).stdout.trim()).toBe('');

  // The package, and its two runtime dependencies from the local node_modules,
  // so that the install needs no registry.
  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs);
  const [info] = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', tarballs], ROOT));
  packed = info;
  for (const dep of ['node-addon-api', 'node-gyp-build']) {
    npm(['pack', '--ignore-scripts', '--pack-destination', tarballs, join(ROOT, 'node_modules', dep)], ROOT);
  }

  project = join(work, 'app');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
  const files = readdirSync(tarballs).map((f) => join(tarballs, f));
  npm(['install', '--offline', '--no-audit', '--no-fund', '--no-package-lock', ...files], project);
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('npm package', () => {
  it('contains the prebuilds, both builds with their types, README and LICENSE, and no tests or build output', () => {
    const paths = packed.files.map((f) => f.path);
    for (const p of [
      'package.json',
      'README.md',
      'LICENSE',
      'prebuilds/linux-x64/databento-node.glibc.node',
      'dist/lib/index.js',
      'dist/lib/index.d.ts',
      'dist/lib/testing/index.js',
      'dist/lib/testing/index.d.ts',
      'dist/cjs/package.json',
      'dist/cjs/lib/index.js',
      'dist/cjs/lib/index.d.ts',
      'dist/cjs/lib/testing/index.d.ts',
      'binding.gyp',
      'scripts/sources.mjs',
      'sample-data/glbx-mdp3.trades.dbn.zst',
    ]) {
      expect(paths).toContain(p);
    }
    const unexpected = paths.filter(
      (p) =>
        !/^(package\.json|README\.md|LICENSE|binding\.gyp|scripts\/sources\.mjs)$/.test(p) &&
        !/^(dist|prebuilds|sample-data|cpp|deps\/databento-core\/(include|src))\//.test(p),
    );
    expect(unexpected).toEqual([]);
    expect(paths.filter((p) => /^(test|build|node_modules|examples)\/|\.test\.|\.map$|fixtures/.test(p))).toEqual([]);
    // Two stripped binaries at most, plus JS: anything far larger has picked up something it should not.
    expect(packed.size).toBeLessThan(3 * 1024 * 1024);
  });

  it('ships a binary with libstdc++ linked in and a measured glibc floor', () => {
    // glibc-floor.sh fails if libstdc++ is still a dynamic dependency.
    const floor = ok(spawnSync(join(ROOT, 'scripts/glibc-floor.sh'), [PREBUILD], { encoding: 'utf8' }), 'glibc-floor').trim();
    expect(floor).toMatch(/^2\.\d+$/);
  });

  it('installed from the prebuilt binary, without compiling', () => {
    const pkg = join(project, 'node_modules/databento-node');
    expect(existsSync(join(pkg, 'prebuilds/linux-x64/databento-node.glibc.node'))).toBe(true);
    expect(existsSync(join(pkg, 'build'))).toBe(false);
  });

  const decodeScript = (load: string): string => `
${load}
const store = DbnStore.fromFile(process.argv[2]);
const records = store.toArray();
console.log(JSON.stringify({ schema: store.metadata.schema, count: records.length,
  first: records[0].toJSON(), enum: RType.Mbo, isError: new DbnError('x', 'IO_ERROR') instanceof Error }));
`;

  it('decodes a DBN file through import and through require alike', () => {
    writeFileSync(join(project, 'esm.mjs'), decodeScript(`import { DbnStore, DbnError, RType } from 'databento-node';`));
    writeFileSync(join(project, 'cjs.cjs'), decodeScript(`const { DbnStore, DbnError, RType } = require('databento-node');`));
    const file = fixturePath('test_data.mbo.dbn');
    const esm = JSON.parse(ok(run('node', ['esm.mjs', file], project), 'esm.mjs'));
    const cjs = JSON.parse(ok(run('node', ['cjs.cjs', file], project), 'cjs.cjs'));
    expect(esm).toMatchObject({ schema: 'mbo', count: 2, enum: 0xa0, isError: true });
    expect(esm.first.hd.rtype).toBe(0xa0);
    expect(cjs).toEqual(esm);
  });

  it('has types for both import and require', () => {
    writeFileSync(
      join(project, 'check.mts'),
      `import { DbnStore, type Metadata } from 'databento-node';\nimport * as testing from 'databento-node/testing';\n` +
        `const md: Metadata = DbnStore.fromFile('x').metadata;\nconst n: number = md.version;\nexport { n, testing };\n`,
    );
    writeFileSync(
      join(project, 'check.cts'),
      `import db = require('databento-node');\nimport testing = require('databento-node/testing');\n` +
        `const md: db.Metadata = db.DbnStore.fromFile('x').metadata;\nconst n: number = md.version;\nexport { n, testing };\n`,
    );
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const args = ['--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext', '--moduleResolution', 'nodenext',
      '--target', 'es2022', '--typeRoots', join(ROOT, 'node_modules/@types'), '--types', 'node', 'check.mts', 'check.cts'];
    ok(run('node', [tsc, ...args], project), 'tsc');
  });

  it('runs a live session against the mock gateway from databento-node/testing', async () => {
    const exported = (await import('../lib/index.js')) as Record<string, unknown>;
    if (!('LiveThreaded' in exported)) {
      console.warn('package test: the live client is not exported from lib/index.ts yet; live session not checked');
      return;
    }
    writeFileSync(
      join(project, 'live.mjs'),
      `import { LiveThreaded, RType } from 'databento-node';
import { MockLiveGateway, MOCK_API_KEY } from 'databento-node/testing';
const gateway = await MockLiveGateway.start({ records: process.argv[2] });
const client = new LiveThreaded({ key: MOCK_API_KEY, dataset: 'GLBX.MDP3', gateway: '127.0.0.1', port: gateway.port });
client.subscribe({ schema: 'trades', symbols: ['ESM4'] });
await client.start();
const trades = [];
for await (const rec of client) {
  if (rec.rtype === RType.Mbp0) trades.push(rec.toJSON());
  if (trades.length === 2) break;
}
await client.close();
await gateway.close();
console.log(JSON.stringify({ trades }));
`,
    );
    const out = JSON.parse(ok(run('node', ['live.mjs', fixturePath('test_data.trades.dbn')], project, 20_000), 'live.mjs'));
    expect(out.trades).toHaveLength(2);
    expect(out.trades[0].hd.rtype).toBe(0);
  });

  it('runs `npx databento-node demo` with the sample data it ships, without a compiler or an account', () => {
    const bin = join(project, 'node_modules/.bin/databento-node');
    expect(existsSync(bin)).toBe(true);
    const r = run('node', [NPM_CLI, 'exec', '--offline', '--', 'databento-node', 'demo'], project, 60_000);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Live: GLBX\.MDP3, definitions and trades of ESZ4, NQZ4, CLF5/);
    expect(r.stdout.match(/^ {2}2024-11-18 14:30:\d\d\.\d{3} {2}(ESZ4|NQZ4|CLF5) +(buy|sell) +\d+ +\d+\.\d\d$/gm)).toHaveLength(12);
    expect(r.stdout).toMatch(/^ {2}2024-11-18 14:30 {2}ESZ4 +5905\.00 /m);
    expect(r.stdout).toContain('12 bars');
  });

  it('has API docs that typedoc builds without a warning', () => {
    // typedoc.json treats warnings (broken links, unexported types in the API) as errors.
    const typedoc = join(ROOT, 'node_modules/typedoc/bin/typedoc');
    const r = spawnSync(process.execPath, [typedoc, '--emit', 'none'], { cwd: ROOT, encoding: 'utf8', timeout: 180_000, killSignal: 'SIGKILL' });
    expect(r.stdout + r.stderr).not.toMatch(/\[(warning|error)\]/);
    expect(r.status).toBe(0);
  }, 200_000);

  describe('without a usable binary', () => {
    /** A copy of the installed project whose prebuild `spoil` breaks. */
    function brokenCopy(name: string, spoil: (prebuilds: string) => void): string {
      const dir = join(work, name);
      cpSync(project, dir, { recursive: true });
      spoil(join(dir, 'node_modules/databento-node/prebuilds'));
      return dir;
    }

    function loadError(dir: string, script: string): string {
      const r = run('node', [script, fixturePath('test_data.mbo.dbn')], dir);
      expect(r.status).not.toBe(0);
      return r.stderr;
    }

    it('names platform, arch and libc, the reason, and how to build from source when no prebuild fits', () => {
      const dir = brokenCopy('no-prebuild', (prebuilds) => {
        rmSync(prebuilds, { recursive: true });
        mkdirSync(prebuilds);
      });
      for (const script of ['esm.mjs', 'cjs.cjs']) {
        const stderr = loadError(dir, script);
        expect(stderr).toContain('platform=linux arch=x64 libc=glibc');
        expect(stderr).toContain('No native build was found');
        expect(stderr).toContain('npm rebuild databento-node');
        expect(stderr).toMatch(/python3, make and a C\+\+20 compiler \(g\+\+ >= 10\)/);
      }
    });

    it('passes on the loader error of a corrupt binary, with its path', () => {
      const dir = brokenCopy('corrupt-prebuild', (prebuilds) => {
        writeFileSync(join(prebuilds, 'linux-x64/databento-node.glibc.node'), 'not an ELF file, but long enough to be read as one'.repeat(4));
      });
      for (const script of ['esm.mjs', 'cjs.cjs']) {
        const stderr = loadError(dir, script);
        expect(stderr).toContain('platform=linux arch=x64 libc=glibc');
        expect(stderr).toContain('prebuilds/linux-x64/databento-node.glibc.node failed with');
        expect(stderr).toMatch(/invalid ELF header|file too short/);
        expect(stderr).toContain('npm rebuild databento-node');
      }
    });
  });
});
