// The published types as a consumer compiles them: test/types/ imports the
// package by name (resolved to dist/ through package.json "exports"), under
// strict, exactOptionalPropertyTypes and skipLibCheck false. It checks that
// `rtype` narrows every record union the API returns, that the ESM and CJS
// declaration files compile, and that the README's DBN, live and historical
// quickstarts compile. dist/ is built by `npm test` (pretest).
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TYPES = join(ROOT, 'test/types');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

function tsc(project: string): string {
  try {
    execFileSync(process.execPath, [TSC, '-p', project], { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' });
    return '';
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return `${err.stdout ?? ''}${err.stderr ?? ''}`;
  }
}

/** The ```ts blocks of the README sections whose title starts with one of `sections`. */
function readmeSnippets(sections: string[]): { section: string; code: string }[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const out: { section: string; code: string }[] = [];
  let section = '';
  for (const part of readme.split(/^(## .*)$/m)) {
    if (part.startsWith('## ')) {
      section = part.slice(3).trim();
      continue;
    }
    if (!sections.some((s) => section.startsWith(s))) continue;
    for (const m of part.matchAll(/^```ts\n([\s\S]*?)^```/gm)) out.push({ section, code: m[1]! });
  }
  return out;
}

describe('published types', () => {
  it('narrow records by rtype on every API and compile under the strictest settings (ESM and CJS)', () => {
    expect(tsc(join(TYPES, 'tsconfig.json'))).toBe('');
  }, 120_000);

  it('the README quickstarts for DBN, live and historical data compile', () => {
    const snippets = readmeSnippets(['DBN files', 'Live data', 'Historical data']);
    expect(snippets.length).toBeGreaterThanOrEqual(3);
    const dir = join(TYPES, '.readme');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    try {
      const files = snippets.map((s, i) => {
        const name = `snippet-${i}.ts`;
        // `export {}` keeps each snippet a module of its own.
        writeFileSync(join(dir, name), `// README: ${s.section}\n${s.code}\nexport {};\n`);
        return name;
      });
      const base = JSON.parse(readFileSync(join(TYPES, 'tsconfig.json'), 'utf8')) as { compilerOptions: object };
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: base.compilerOptions, files }));
      expect(tsc(join(dir, 'tsconfig.json'))).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
