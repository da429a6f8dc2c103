// Runs the built `databento-node` command (dist/lib/cli/main.js) as a child
// process, as a user's shell would.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The command's entry point in the ESM build. */
export const CLI = fileURLToPath(new URL('../dist/lib/cli/main.js', import.meta.url));

/** What a finished run of the command left behind. */
export interface CliRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Options of {@link runCli}. */
export interface CliRunOptions {
  /** Extra environment variables (merged over the test's own, without DATABENTO_* ones). */
  env?: Record<string, string | undefined>;
  /** Bytes to write to stdin (stdin is closed afterwards). */
  input?: string | Uint8Array;
  /** Kill the command (SIGKILL) after this many ms; default 30 000. */
  timeoutMs?: number;
}

/** Runs `databento-node ...args` and collects its exit status and output. */
export function runCli(args: string[], options: CliRunOptions = {}): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('DATABENTO_')));
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  child.stdin.end(options.input ?? '');
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
  });
}
