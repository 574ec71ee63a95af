/**
 * Loading one group/version loads no other: each `@kubeforge/api/<short>/<version>` module's
 * runtime graph stays inside its own folder (other group/versions are `import type` only), and
 * its type graph never reaches the client or @kubernetes/client-node.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

const packageDir = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
  exports: Record<string, unknown>;
};
const modules = Object.keys(pkg.exports)
  .filter((key) => /^\.\/[a-z0-9]+\/v[a-z0-9]+$/.test(key))
  .map((key) => key.slice(2));

/** Every file Node loads for `import '@kubeforge/api/<module>'`, relative to the package. */
function loadedFiles(module: string, conditions: readonly string[]): string[] {
  const script = `
    import { registerHooks } from 'node:module';
    const seen = [];
    registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); seen.push(r.url); return r; } });
    await import('@kubeforge/api/${module}');
    console.log(JSON.stringify(seen));`;
  const out = execFileSync(
    process.execPath,
    [...conditions.map((c) => `--conditions=${c}`), '--input-type=module', '-e', script],
    { cwd: packageDir, encoding: 'utf8' },
  );
  return (JSON.parse(out) as string[]).map((url) =>
    relative(packageDir, new URL(url).pathname).split(sep).join('/'),
  );
}

describe('@kubeforge/api module graph', () => {
  it('has an import path for each of the 22 served group/versions and meta/v1', () => {
    assert.equal(modules.length, 23);
    assert.ok(modules.includes('core/v1') && modules.includes('apps/v1') && modules.includes('meta/v1'));
  });

  it('loads only the imported group/version at runtime, from source', () => {
    for (const module of modules) {
      const files = loadedFiles(module, ['kubeforge-source']);
      assert.ok(files.length > 0, `${module} loaded nothing`);
      const outside = files.filter((file) => !file.startsWith(`src/${module}/`));
      assert.deepEqual(outside, [], `importing @kubeforge/api/${module} loads files of other modules`);
    }
  });

  it('loads only the imported group/version at runtime, built', (t) => {
    if (!existsSync(join(packageDir, 'dist', 'apps', 'v1', 'index.js'))) {
      t.skip('packages/api is not built (npm run build)');
      return;
    }
    for (const module of ['apps/v1', 'core/v1', 'meta/v1']) {
      const outside = loadedFiles(module, []).filter((file) => !file.startsWith(`dist/${module}/`));
      assert.deepEqual(outside, [], `importing the built @kubeforge/api/${module} loads other files`);
    }
  });

  it('type-checks apps/v1 with the types it references, never the client or @kubernetes/client-node', () => {
    const options: ts.CompilerOptions = {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      customConditions: ['kubeforge-source'],
      types: [],
      noEmit: true,
      skipLibCheck: true,
    };
    const entry = join(packageDir, 'src', 'apps', 'v1', 'index.ts');
    const program = ts.createProgram({ rootNames: [entry], options });
    const files = program
      .getSourceFiles()
      .filter((file) => !program.isSourceFileDefaultLibrary(file))
      .map((file) => file.fileName);
    assert.ok(!files.some((file) => file.includes('@kubernetes/client-node')));
    const runtime = files.filter((file) => file.includes('/runtime/'));
    assert.ok(
      runtime.length > 0 && runtime.every((file) => file.includes('/runtime/src/api/')),
      runtime.join('\n'),
    );
    const groupVersions = new Set(
      files
        .map((file) => relative(join(packageDir, 'src'), file).split(sep))
        .filter((parts) => parts.length === 3 && parts[0] !== '..')
        .map((parts) => parts.slice(0, 2).join('/')),
    );
    // A Deployment embeds a PodTemplateSpec (core/v1) and a LabelSelector (meta/v1); nothing else.
    assert.deepEqual([...groupVersions].sort(), ['apps/v1', 'core/v1', 'meta/v1']);
  });
});
