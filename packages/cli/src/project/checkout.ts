/**
 * Where the kubeforge packages a new project depends on come from. kubeforge is not published
 * to a registry yet: when this CLI runs from a checkout of the kubeforge repository, projects
 * depend on the checkout's packages through `file:` dependencies with absolute paths, so a
 * project works offline wherever it lives. Installed from a registry, it uses version ranges.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { templatesDir as generatorTemplatesDir } from '@kubeforge/generator/templates-dir';
import { CliError } from '../errors.ts';

/** The @kubeforge/cli package directory (this file is in src/project or dist/project). */
export const cliPackageDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface KubeforgeSource {
  /** The repository root when running from a checkout. */
  readonly checkout: string | undefined;
  readonly version: string;
  /** package name -> dependency spec (`file:/abs/path` or `^0.1.0`). */
  readonly specs: Readonly<Record<KubeforgePackage, string>>;
}

export type KubeforgePackage =
  '@kubeforge/runtime' | '@kubeforge/api' | '@kubeforge/testing' | '@kubeforge/generator' | '@kubeforge/cli';

const packageDirs: Readonly<Record<KubeforgePackage, string>> = {
  '@kubeforge/runtime': 'packages/runtime',
  '@kubeforge/api': 'packages/api',
  '@kubeforge/testing': 'packages/testing',
  '@kubeforge/generator': 'generator',
  '@kubeforge/cli': 'packages/cli',
};

function readJson(path: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** The kubeforge repository root containing `cliDir`, if the CLI runs from a checkout. */
export function findCheckout(cliDir: string = cliPackageDir): string | undefined {
  const root = join(cliDir, '..', '..');
  const manifest = readJson(join(root, 'package.json'));
  if (manifest?.name !== 'kubeforge' || !Array.isArray(manifest.workspaces)) return undefined;
  return Object.values(packageDirs).every((dir) => existsSync(join(root, dir, 'package.json')))
    ? root
    : undefined;
}

export function cliVersion(cliDir: string = cliPackageDir): string {
  const version = readJson(join(cliDir, 'package.json'))?.version;
  return typeof version === 'string' ? version : '0.0.0';
}

export function kubeforgeSource(cliDir: string = cliPackageDir): KubeforgeSource {
  const checkout = findCheckout(cliDir);
  const version = cliVersion(cliDir);
  const spec = (name: KubeforgePackage): string =>
    checkout === undefined ? `^${version}` : `file:${join(checkout, packageDirs[name])}`;
  return {
    checkout,
    version,
    specs: {
      '@kubeforge/runtime': spec('@kubeforge/runtime'),
      '@kubeforge/api': spec('@kubeforge/api'),
      '@kubeforge/testing': spec('@kubeforge/testing'),
      '@kubeforge/generator': spec('@kubeforge/generator'),
      '@kubeforge/cli': spec('@kubeforge/cli'),
    },
  };
}

/**
 * The templates directory, as the generator finds it (`KUBEFORGE_TEMPLATES_DIR`, the checkout's
 * `templates/`, or the copy an installed @kubeforge/generator carries).
 */
export function templatesDir(): string {
  const dir = generatorTemplatesDir();
  if (!existsSync(dir)) {
    throw new CliError('CommandFailed', `the project templates are missing: ${dir}`, {
      hint: 'reinstall @kubeforge/generator (its package carries them), or set KUBEFORGE_TEMPLATES_DIR',
    });
  }
  return dir;
}
