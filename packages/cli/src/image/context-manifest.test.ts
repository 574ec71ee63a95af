import assert from 'node:assert/strict';
import { test } from 'node:test';
import { imageManifest, localDirectory, withVendored } from './context-manifest.ts';

const project = {
  name: 'op',
  dependencies: { '@kubeforge/runtime': 'file:/src/kubeforge/packages/runtime', pino: '^10.0.0' },
  devDependencies: {
    '@kubeforge/cli': 'file:/src/kubeforge/packages/cli',
    '@kubeforge/generator': 'file:/src/kubeforge/generator',
    '@kubeforge/testing': 'file:/src/kubeforge/packages/testing',
    node: '^24.21.0',
    typescript: '~5.9.3',
    vitest: '^3.0.0',
  },
  allowScripts: { node: true },
};

test('the image keeps runtime dependencies and build tools, not the kubeforge tools or the node package', () => {
  const kept = imageManifest(project);
  assert.deepEqual(kept.dependencies, project.dependencies);
  assert.deepEqual(kept.devDependencies, { typescript: '~5.9.3', vitest: '^3.0.0' });
  assert.equal(kept.allowScripts, undefined);
});

test('vendored packages are depended on and overridden as tarballs in vendor/', () => {
  const vendored = withVendored(
    imageManifest(project),
    new Map([['@kubeforge/runtime', 'kubeforge-runtime-0.1.0.tgz']]),
  );
  assert.deepEqual(vendored.dependencies, {
    '@kubeforge/runtime': 'file:vendor/kubeforge-runtime-0.1.0.tgz',
    pino: '^10.0.0',
  });
  assert.deepEqual(vendored.overrides, { '@kubeforge/runtime': 'file:vendor/kubeforge-runtime-0.1.0.tgz' });
});

test('a project on published packages vendors nothing and gets no overrides', () => {
  const published = { dependencies: { '@kubeforge/runtime': '^0.1.0' } };
  assert.deepEqual(withVendored(imageManifest(published), new Map()), { ...published, devDependencies: {} });
});

test('only local directories are vendored; tarballs and ranges are not', () => {
  assert.equal(
    localDirectory('file:../kubeforge/packages/runtime', '/p'),
    '/p/../kubeforge/packages/runtime',
  );
  assert.equal(localDirectory('file:/abs/runtime', '/p'), '/abs/runtime');
  assert.equal(localDirectory('file:vendor/runtime.tgz', '/p'), undefined);
  assert.equal(localDirectory('^0.1.0', '/p'), undefined);
});
