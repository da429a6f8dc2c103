// The `databento-node` command's shared behaviour, run as a child process of
// the built package: help, version, usage errors and exit codes.
import { existsSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLI, runCli } from './cli-helpers.js';

describe('databento-node command', () => {
  it('is built as an executable script with a node shebang', () => {
    expect(existsSync(CLI)).toBe(true);
    expect(statSync(CLI).mode & 0o111).not.toBe(0);
  });

  it('prints its help on stdout and exits 0', async () => {
    const r = await runCli(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: databento-node/);
    expect(r.stderr).toBe('');
  });

  it('prints the package version', async () => {
    const r = await runCli(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('rejects an unknown option or command with exit status 2 and the code USAGE on stderr', async () => {
    for (const args of [['--no-such-option'], ['no-such-command']]) {
      const r = await runCli(args);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^databento-node: USAGE: /);
    }
  });
});

describe('databento-node demo', () => {
  it('streams live trades and historical bars from in-process mocks, readably, and exits 0', async () => {
    const r = await runCli(['demo', '--limit', '5']);
    expect(r.stderr).not.toMatch(/error|Error/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Live: GLBX\.MDP3/);
    expect(r.stdout).toMatch(/ESZ4 +ES FUT XCME, expires 2024-12-20 0\.25/);
    const trades = r.stdout.match(/^ {2}2024-11-18 14:30:\d\d\.\d{3} {2}(ESZ4|NQZ4|CLF5) +(buy|sell) +\d+ +\d+\.\d\d$/gm);
    expect(trades).toHaveLength(5);
    const bars = r.stdout.match(/^ {2}2024-11-18 14:3[0-3] {2}(ESZ4|NQZ4|CLF5)( +\d+\.\d\d){4} +\d+$/gm);
    expect(bars).toHaveLength(12);
    expect(r.stdout).toContain('12 bars');
  });

  it('ends successfully when the reader of its output goes away (EPIPE)', async () => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${CLI}" demo | head -n 1`], { encoding: 'utf8', timeout: 30_000 });
    expect(r.stdout).toMatch(/^Live: /);
    expect(r.stderr).not.toMatch(/databento-node: [A-Z_]+:|EPIPE/);
    expect(r.status).toBe(0);
  });
});
