/**
 * `@kubeforge/runtime/api` is what users' API type files import, and what the generator's
 * TypeScript program loads to understand them: its module graph must stay inside the object
 * model, never reaching the client (and @kubernetes/client-node's large declaration tree).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import * as root from '@kubeforge/runtime';
import * as api from '@kubeforge/runtime/api';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));

/** Every file of the program rooted at the subpath's entry, resolved as a user project would. */
function programFiles(customConditions: readonly string[]): { entry: string; files: readonly string[] } {
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    customConditions: [...customConditions],
    types: [],
    noEmit: true,
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options);
  // Self-reference from inside the package resolves through package.json `exports`.
  const resolved = ts.resolveModuleName(
    '@kubeforge/runtime/api',
    join(packageDir, 'src', 'importer.ts'),
    options,
    host,
    undefined,
    undefined,
    ts.ModuleKind.ESNext,
  ).resolvedModule;
  assert.ok(
    resolved,
    `@kubeforge/runtime/api does not resolve with conditions [${customConditions.join(', ')}]`,
  );
  const program = ts.createProgram({ rootNames: [resolved.resolvedFileName], options, host });
  const files = program
    .getSourceFiles()
    .filter((file) => !program.isSourceFileDefaultLibrary(file))
    .map((file) => file.fileName);
  return { entry: resolved.resolvedFileName, files };
}

function assertStaysInside(entry: string, files: readonly string[]): void {
  const apiDir = dirname(entry);
  const outside = files.filter((file) => relative(apiDir, file).startsWith('..'));
  assert.deepEqual(outside, [], `the module graph of ${entry} leaves ${apiDir}`);
  assert.ok(!files.some((file) => file.includes('@kubernetes/client-node')));
}

describe('@kubeforge/runtime/api', () => {
  it('resolves to src/api under the kubeforge-source condition and imports nothing outside it', () => {
    const { entry, files } = programFiles(['kubeforge-source']);
    assert.equal(relative(packageDir, entry).split('\\').join('/'), 'src/api/index.ts');
    assertStaysInside(entry, files);
  });

  it('resolves to the built declarations for installed projects and imports nothing outside dist/api', (t) => {
    if (!existsSync(join(packageDir, 'dist', 'api', 'index.d.ts'))) {
      t.skip('packages/runtime is not built (npx tsc -b)');
      return;
    }
    const { entry, files } = programFiles([]);
    assert.equal(relative(packageDir, entry).split('\\').join('/'), 'dist/api/index.d.ts');
    assertStaysInside(entry, files);
  });

  it('exports the same values as the package root, which keeps re-exporting the object model', () => {
    assert.deepEqual(Object.keys(api).sort(), ['apiVersionOf', 'assertNever', 'objectKey', 'splitObjectKey']);
    for (const [name, value] of Object.entries(api)) {
      assert.equal((root as Record<string, unknown>)[name], value, `@kubeforge/runtime re-exports ${name}`);
    }
  });
});
