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
