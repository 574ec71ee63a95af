/**
 * The package.json of a new operator project. Built as data rather than a template because
 * its dependency specs depend on where kubeforge runs from (see project/checkout.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeforgeSource } from '../project/checkout.ts';

/** Versions of the toolchain a project builds with; from the checkout when there is one. */
export interface Toolchain {
  readonly typescript: string;
  readonly typesNode: string;
  readonly node: string;
}

const fallbackToolchain: Toolchain = { typescript: '~5.9.3', typesNode: '^24.0.0', node: '^24.21.0' };

/** The checkout's own devDependency ranges, so installs are satisfied from the local npm cache. */
export function toolchainOf(source: KubeforgeSource): Toolchain {
  if (source.checkout === undefined) return fallbackToolchain;
  try {
    const manifest = JSON.parse(readFileSync(join(source.checkout, 'package.json'), 'utf8')) as {
      devDependencies?: Record<string, string>;
    };
    const dev = manifest.devDependencies ?? {};
    return {
      typescript: dev.typescript ?? fallbackToolchain.typescript,
      typesNode: dev['@types/node'] ?? fallbackToolchain.typesNode,
      node: dev.node ?? fallbackToolchain.node,
    };
  } catch {
    return fallbackToolchain;
  }
}

export function packageManifest(name: string, source: KubeforgeSource, toolchain: Toolchain): string {
  const manifest = {
    name,
    version: '0.1.0',
    private: true,
    description: `${name}: a Kubernetes operator built with kubeforge`,
    type: 'module',
    engines: { node: '>=24.2' },
    scripts: {
      build: 'tsc -p tsconfig.json',
      generate: 'kubeforge generate',
      manifests: 'kubeforge manifests',
      test: 'node --test "test/**/*.test.ts"',
      start: 'node dist/main.js',
    },
    dependencies: {
      '@kubeforge/runtime': source.specs['@kubeforge/runtime'],
      // The built-in kinds (Deployment, ConfigMap, ...) controllers own and API types embed.
      '@kubeforge/api': source.specs['@kubeforge/api'],
    },
    devDependencies: {
      '@kubeforge/cli': source.specs['@kubeforge/cli'],
      '@kubeforge/generator': source.specs['@kubeforge/generator'],
      '@kubeforge/testing': source.specs['@kubeforge/testing'],
      '@types/node': toolchain.typesNode,
      // Runs npm scripts on Node 24 whatever Node the machine has.
      node: toolchain.node,
      typescript: toolchain.typescript,
    },
    allowScripts: { node: true },
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
