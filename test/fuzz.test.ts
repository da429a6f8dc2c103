// A short libFuzzer run of the DBN push decoder (scripts/fuzz.sh), when clang
// is installed (CI installs it): any crash, sanitizer report or broken
// decoder promise fails the test. Long runs: `npm run fuzz -- <seconds>`.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const hasClang = spawnSync('clang++', ['--version']).status === 0;
const seconds = process.env.DATABENTO_FUZZ_SECONDS ?? '30';

describe('fuzzing', () => {
  it.skipIf(!hasClang)(`the decoder survives ${seconds} s of libFuzzer`, () => {
    const run = spawnSync(`${root}scripts/fuzz.sh`, [seconds], { cwd: root, encoding: 'utf8', timeout: 600_000 });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.status, output.slice(-4000)).toBe(0);
    expect(output).toMatch(/stat::number_of_executed_units: [1-9]\d*/);
  }, 600_000);
});
