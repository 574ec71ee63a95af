/**
 * The typed built-in kinds, checked by the compiler: `testdata/type-expectations.ts` uses them
 * with the runtime's client, informers, listers, builder, cached client, createOrUpdate and
 * setControllerReference, and marks every misuse that must fail with `@ts-expect-error`.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { it } from 'node:test';
import ts from 'typescript';

const packageDir = join(import.meta.dirname, '..');

it('built-in kinds type-check everywhere a kind goes, and every marked misuse fails to compile', () => {
  const configFile = join(packageDir, 'tsconfig.json');
  const { config } = ts.readConfigFile(configFile, (path) => ts.sys.readFile(path)) as { config: unknown };
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, packageDir);
  const { tsBuildInfoFile: _buildInfo, ...compilerOptions } = parsed.options;
  const options: ts.CompilerOptions = {
    ...compilerOptions,
    noEmit: true,
    composite: false,
    incremental: false,
    declaration: false,
    declarationMap: false,
  };
  const file = join(packageDir, 'src', 'testdata', 'type-expectations.ts');
  const program = ts.createProgram({ rootNames: [file], options });
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
    const where =
      d.file && d.start !== undefined
        ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}`
        : '';
    return `${where} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
  assert.deepEqual(diagnostics, []);
  // The file really holds the expectations this test promises.
  const source = ts.sys.readFile(file) ?? '';
  assert.ok((source.match(/@ts-expect-error/g) ?? []).length >= 8);
});
