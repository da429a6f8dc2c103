// Shared set-up of the live tests: mock gateways and clients that are closed
// after each test, newest first; scripts for workers and child processes.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, afterEach, expect } from 'vitest';
import { LiveBlocking, LiveThreaded, type LiveThreadedOptions } from '../lib/live/index.js';
import { MOCK_API_KEY, MockLiveGateway, type MockLiveGatewayOptions } from '../lib/testing/live-gateway.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];

/** Registers `fn` to run after the current test. */
export function onCleanup(fn: () => Promise<unknown> | unknown): void {
  cleanups.push(fn);
}

// Registered once, in every test file that imports this module.
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** A mock gateway on 127.0.0.1, closed after the test. */
export async function gateway(options: MockLiveGatewayOptions = {}): Promise<MockLiveGateway> {
  const gw = await MockLiveGateway.start(options);
  onCleanup(() => gw.close());
  return gw;
}

/** Client options pointing at a mock gateway's port, with the mock's key. */
export function clientOptions(port: number, extra: Partial<LiveThreadedOptions> = {}): LiveThreadedOptions {
  return { key: MOCK_API_KEY, dataset: 'GLBX.MDP3', gateway: '127.0.0.1', port, ...extra };
}

/** A LiveThreaded client of the mock at `port`, closed after the test. */
export function threaded(port: number, extra: Partial<LiveThreadedOptions> = {}): LiveThreaded {
  const client = new LiveThreaded(clientOptions(port, extra));
  onCleanup(() => client.close());
  return client;
}

/** A LiveBlocking client of the mock at `port`, closed after the test. */
export function blocking(port: number, extra: Partial<LiveThreadedOptions> = {}): LiveBlocking {
  const client = new LiveBlocking(clientOptions(port, extra));
  onCleanup(() => client.close());
  return client;
}

/** The repository's root directory. */
export const ROOT_DIR = new URL('..', import.meta.url).pathname;

// Workers and child processes load the TypeScript sources through a tiny
// loader hook that transpiles them with the project's own TypeScript. The
// output is cached by content in the temp directory: on a busy machine,
// loading TypeScript and transpiling the generated layouts in every child
// takes many seconds.
let loaderDir: string | undefined;
const TS_CACHE = join(tmpdir(), 'databento-node-ts-cache');

function loaderRegister(): string {
  loaderDir ??= mkdtempSync(join(tmpdir(), 'databento-live-loader-'));
  const ts = pathToFileURL(join(ROOT_DIR, 'node_modules/typescript/lib/typescript.js')).href;
  writeFileSync(
    join(loaderDir, 'hooks.mjs'),
    `import { readFile, writeFile, mkdir, rename } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
const CACHE = ${JSON.stringify(TS_CACHE)};
let ts;
export async function resolve(specifier, context, next) {
  if (specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
    const url = new URL(specifier, context.parentURL);
    const tsUrl = url.href.slice(0, -3) + '.ts';
    if (url.protocol === 'file:' && !existsSync(fileURLToPath(url)) && existsSync(fileURLToPath(tsUrl))) {
      return { url: tsUrl, format: 'module', shortCircuit: true };
    }
  }
  return next(specifier, context);
}
export async function load(url, context, next) {
  if (!url.endsWith('.ts')) return next(url, context);
  const source = await readFile(fileURLToPath(url), 'utf8');
  const cached = join(CACHE, createHash('sha256').update(url).update('\\0').update(source).digest('hex') + '.js');
  try {
    return { format: 'module', source: await readFile(cached, 'utf8'), shortCircuit: true };
  } catch {}
  ts ??= (await import(${JSON.stringify(ts)})).default;
  const out = ts.transpileModule(source, { fileName: fileURLToPath(url), compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  try {
    await mkdir(CACHE, { recursive: true });
    await writeFile(cached + '.' + process.pid, out);
    await rename(cached + '.' + process.pid, cached);
  } catch {}
  return { format: 'module', source: out, shortCircuit: true };
}
`,
  );
  const register = join(loaderDir, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(loaderDir, 'hooks.mjs')).href)});\n`);
  return register;
}
afterAll(() => {
  if (loaderDir) rmSync(loaderDir, { recursive: true, force: true });
  loaderDir = undefined;
});

/** Module code for a worker or child: registers the loader, then runs `body` with `lib` = lib/live and `mock`. */
export function childScript(body: string): string {
  return `(async () => {
  await import(${JSON.stringify(pathToFileURL(loaderRegister()).href)});
  const lib = await import(${JSON.stringify(pathToFileURL(join(ROOT_DIR, 'lib/live/index.ts')).href)});
  const mock = await import(${JSON.stringify(pathToFileURL(join(ROOT_DIR, 'lib/testing/live-gateway.ts')).href)});
  ${body}
})().catch((e) => { console.error(e); process.exit(99); });`;
}

/** Runs `body` (see childScript) in a child process; resolves with how it ended. */
export function runChild(body: string, timeoutMs: number): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--input-type=module', '-e', childScript(body)], { timeout: timeoutMs, cwd: ROOT_DIR }, (_err, stdout, stderr) => {
      resolve({ code: child.exitCode, signal: child.signalCode, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

/**
 * Runs `body` (see childScript) in a worker given `{ port }` as workerData and
 * returns its first message. Then the worker must end: terminated at once
 * (within 3 s, exit code 1), or, when it closes its client itself, by itself
 * (exit code 0).
 */
export async function streamInWorker(body: string, port: number, closesItself: boolean): Promise<unknown> {
  const worker = new Worker(childScript(body), { eval: true, workerData: { port } });
  const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
  worker.once('error', (e) => console.error(e));
  const message = await new Promise<unknown>((resolve) => worker.once('message', resolve));
  if (closesItself) {
    expect(await Promise.race([exited, new Promise((r) => setTimeout(r, 5000)).then(() => 'stuck')])).toBe(0);
  } else {
    const t0 = Date.now();
    await worker.terminate();
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(await exited).toBe(1);
  }
  return message;
}
