// The CommonJS build: the same sources as the ESM build (tsconfig.build.json),
// emitted by the TypeScript compiler as CommonJS into dist/cjs, with types.
// Type checking is left to the ESM build, which compiles the same files.
//
// CommonJS has no `import.meta`: `import.meta.url`, `.filename` and `.dirname`
// become their CommonJS equivalents; any other use of `import.meta` fails the
// build rather than emitting code that cannot run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const configPath = join(root, 'tsconfig.cjs.json');

const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => fail([d]) };
const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, host);
if (config.errors.length) fail(config.errors);

const problems = [];
const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
const result = program.emit(undefined, undefined, undefined, false, { before: [rewriteImportMeta] });
const diagnostics = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics];
if (diagnostics.length) fail(diagnostics);
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}

// Node reads files under dist/cjs as CommonJS whatever the package's "type".
mkdirSync(config.options.outDir, { recursive: true });
writeFileSync(join(config.options.outDir, 'package.json'), '{\n  "type": "commonjs"\n}\n');

function rewriteImportMeta(context) {
  const f = context.factory;
  const cjsFor = {
    // require('node:url').pathToFileURL(__filename).href
    url: () =>
      f.createPropertyAccessExpression(
        f.createCallExpression(
          f.createPropertyAccessExpression(
            f.createCallExpression(f.createIdentifier('require'), undefined, [f.createStringLiteral('node:url')]),
            'pathToFileURL',
          ),
          undefined,
          [f.createIdentifier('__filename')],
        ),
        'href',
      ),
    filename: () => f.createIdentifier('__filename'),
    dirname: () => f.createIdentifier('__dirname'),
  };
  return (sourceFile) => {
    const visit = (node) => {
      if (ts.isMetaProperty(node) && node.keywordToken === ts.SyntaxKind.ImportKeyword) {
        const parent = node.parent;
        const name = parent && ts.isPropertyAccessExpression(parent) ? parent.name.text : undefined;
        if (!name || !cjsFor[name]) {
          const { line, character } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
          problems.push(`${sourceFile.fileName}:${line + 1}:${character + 1}: import.meta${name ? '.' + name : ''} has no CommonJS equivalent`);
        }
        return node;
      }
      if (ts.isPropertyAccessExpression(node) && ts.isMetaProperty(node.expression) &&
          node.expression.keywordToken === ts.SyntaxKind.ImportKeyword && cjsFor[node.name.text]) {
        return cjsFor[node.name.text]();
      }
      return ts.visitEachChild(node, visit, context);
    };
    return ts.visitNode(sourceFile, visit);
  };
}

function fail(diagnostics) {
  console.error(ts.formatDiagnosticsWithColorAndContext(diagnostics, {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => root,
    getNewLine: () => '\n',
  }));
  process.exit(1);
}
