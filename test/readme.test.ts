// README.md as a newcomer uses it: every ```ts block type-checks as written
// under --strict with exactOptionalPropertyTypes (importing the package by
// name, as a consumer does), and the blocks of the sections that need no
// account run against the shipped mocks (`startSampleMocks`, pointed at by
// the environment variables the clients read). Plain-JS blocks of the live
// section parse on the running Node (no `await using` there).
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSampleMocks, type SampleMocks } from '../lib/testing/index.js';
import { fixturePath } from './fixtures.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

interface Block {
  section: string;
  lang: string;
  code: string;
}

function readmeBlocks(): Block[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const out: Block[] = [];
  let section = '';
  for (const part of readme.split(/^(## .*)$/m)) {
    if (part.startsWith('## ')) section = part.slice(3).trim();
    else for (const m of part.matchAll(/^```(\w+)\n([\s\S]*?)^```/gm)) out.push({ section, lang: m[1]!, code: m[2]! });
  }
  return out;
}

const blocks = readmeBlocks();
const tsBlocks = blocks.filter((b) => b.lang === 'ts');

/**
 * Sections whose code runs against the mocks as written, with the files the
 * code names put in its working directory. Others need what a test cannot
 * have: a database server, Databento's reference data.
 */
const RUNNABLE: Record<string, Record<string, string>> = {
  'DBN files and streams': { 'glbx-mdp3-20240101.mbo.dbn.zst': fixturePath('test_data.mbo.v3.dbn.zst') },
  'Live data': {},
  'Historical data': {},
  'Testing without an account': { 'trades.dbn': fixturePath('test_data.trades.dbn') },
};

/** Runs main.mjs in `cwd`; resolves with its exit status and output. */
function run(cwd: string, env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['main.mjs'], { cwd, env, encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      const code: unknown = err === null ? 0 : (err as { code?: unknown }).code;
      resolve({ status: typeof code === 'number' ? code : null, stdout, stderr });
    });
  });
}

describe('README', () => {
  it('has TypeScript in the sections a newcomer reads first', () => {
    for (const section of Object.keys(RUNNABLE)) expect(tsBlocks.some((b) => b.section === section), section).toBe(true);
  });

  it('every ```ts block type-checks under --strict and exactOptionalPropertyTypes', () => {
    // Inside the package, so that 'databento-node' resolves to it through its "exports", as for a consumer.
    const dir = join(ROOT, 'test/types/.readme-all');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    try {
      const files = tsBlocks.map((b, i) => {
        const name = `block-${i}.ts`;
        writeFileSync(join(dir, name), `// README: ${b.section}\n${b.code}\nexport {};\n`);
        return name;
      });
      const options = JSON.parse(readFileSync(join(ROOT, 'test/types/tsconfig.json'), 'utf8')).compilerOptions as Record<string, unknown>;
      expect(options).toMatchObject({ strict: true, exactOptionalPropertyTypes: true });
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: options, files }));
      let output = '';
      try {
        execFileSync(process.execPath, [TSC, '-p', join(dir, 'tsconfig.json')], { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' });
      } catch (e) {
        const err = e as { stdout?: string; stderr?: string };
        output = `${err.stdout ?? ''}${err.stderr ?? ''}`;
      }
      expect(output).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('plain-JS blocks of the live section parse on this Node, and none uses `await using`', () => {
    for (const b of blocks.filter((x) => x.lang === 'js')) expect(b.code).not.toMatch(/\bawait using\b/);
    const live = blocks.filter((b) => b.lang === 'js' && b.section === 'Live data');
    expect(live.length).toBeGreaterThan(0);
    for (const b of live) {
      const r = spawnSync(process.execPath, ['--input-type=module', '--check'], { input: b.code, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    }
  });

  describe('runs against the mocks', () => {
    let mocks: SampleMocks;
    let work: string;
    beforeAll(async () => {
      mocks = await startSampleMocks();
      work = mkdtempSync(join(tmpdir(), 'databento-readme-'));
      mkdirSync(join(work, 'node_modules'));
      symlinkSync(ROOT, join(work, 'node_modules/databento-node'));
    });
    afterAll(async () => {
      await mocks?.close();
      if (work) rmSync(work, { recursive: true, force: true });
    });

    for (const [section, files] of Object.entries(RUNNABLE)) {
      it(section, async () => {
        const mine = tsBlocks.filter((b) => b.section === section);
        for (const [i, b] of mine.entries()) {
          const dir = join(work, `${section.replace(/\W+/g, '-')}-${i}`);
          mkdirSync(dir);
          symlinkSync(join(work, 'node_modules'), join(dir, 'node_modules'));
          for (const [name, from] of Object.entries(files)) copyFileSync(from, join(dir, name));
          const js = ts.transpileModule(b.code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
          writeFileSync(join(dir, 'main.mjs'), js);
          // Asynchronously: the mocks answer from this process.
          const r = await run(dir, { ...process.env, ...mocks.env });
          expect(r.stderr, `${section} #${i}`).not.toMatch(/Error/);
          expect(r.status, `${section} #${i}: ${r.stderr}`).toBe(0);
          expect(r.stdout.length).toBeGreaterThan(0);
        }
      }, 60_000);
    }
  });
});
