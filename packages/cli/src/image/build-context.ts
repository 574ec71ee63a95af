/**
 * Writes a self-contained container build context for the operator: the Dockerfile, its
 * .dockerignore, tsconfig.json, src/, a package.json for the image (see context-manifest.ts),
 * the packages the project takes from local directories packed into vendor/ with `npm pack`,
 * and a package-lock.json resolved for exactly that (starting from the lock the packages were
 * installed with, see {@link seedLock}). `npm ci` in the context needs nothing but the
 * registry's published packages (or, offline, a cache that holds them). The context
 * is built in a sibling directory and swapped in: a failure leaves the previous one.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CliError } from '../errors.ts';
import type { Output } from '../output.ts';
import { npmCommand } from '../process/run.ts';
import { captured } from './npm.ts';
import { imageManifest, localDirectory, withVendored, type PackageManifest } from './context-manifest.ts';

/** Project files the image build reads; the first three must exist. */
const required = ['Dockerfile', 'package.json', 'tsconfig.json', 'src'];
const optional = ['.dockerignore'];

function readManifest(path: string): PackageManifest {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as PackageManifest;
  } catch (err) {
    throw new CliError('InvalidInput', `${path} is not valid JSON: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

/**
 * The local packages the image needs: the kept dependencies given by directory, and, from
 * those packages' own dependencies, any other package the project gives by directory.
 */
function localPackages(project: PackageManifest, kept: PackageManifest, root: string): Map<string, string> {
  const local = new Map<string, string>();
  for (const deps of [project.dependencies, project.devDependencies]) {
    for (const [name, spec] of Object.entries(deps ?? {})) {
      const dir = localDirectory(spec, root);
      if (dir !== undefined) local.set(name, dir);
    }
  }
  const needed = new Map<string, string>();
  const queue = [...Object.keys(kept.dependencies ?? {}), ...Object.keys(kept.devDependencies ?? {})];
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    const dir = local.get(name);
    if (dir === undefined || needed.has(name)) continue;
    if (!existsSync(join(dir, 'package.json'))) {
      throw new CliError('MissingPrerequisite', `${name} comes from ${dir}, which has no package.json`, {
        hint: 'the project depends on a local directory that moved or was removed; fix the path in package.json',
      });
    }
    needed.set(name, dir);
    const manifest = readManifest(join(dir, 'package.json'));
    queue.push(...Object.keys(manifest.dependencies ?? {}));
  }
  return needed;
}

/**
 * The lock the context's lock starts from, so the image gets the versions that were installed
 * and tested: for packages from local directories, the lock their dependencies were installed
 * with (the nearest package-lock.json above the first of them, a kubeforge checkout's); else
 * the project's own.
 */
function seedLock(root: string, localDirs: readonly string[]): string | undefined {
  for (let dir = localDirs[0]; dir !== undefined && dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package-lock.json'))) return join(dir, 'package-lock.json');
  }
  return existsSync(join(root, 'package-lock.json')) ? join(root, 'package-lock.json') : undefined;
}

export async function writeBuildContext(root: string, outDir: string, output: Output): Promise<void> {
  for (const file of required) {
    if (!existsSync(join(root, file))) {
      throw new CliError('MissingPrerequisite', `the project has no ${file}, which the image build needs`, {
        hint:
          file === 'Dockerfile'
            ? 'restore the Dockerfile `kubeforge init` wrote, or write one'
            : `restore ${file}`,
      });
    }
  }
  if (!existsSync(join(root, 'src/generated')) && existsSync(join(root, 'src/apis'))) {
    output.warn(
      'src/generated does not exist: run `kubeforge generate` first, or the build in the image fails',
    );
  }
  const staging = `${outDir}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(join(staging, 'vendor'), { recursive: true });
  try {
    const project = readManifest(join(root, 'package.json'));
    const kept = imageManifest(project);
    const local = localPackages(project, kept, root);
    const vendored = new Map<string, string>();
    const npm = npmCommand();
    for (const [name, dir] of local) {
      output.info(`Packing ${name} from ${dir}...`);
      const packed = await captured(
        npm.command,
        [...npm.prefix, 'pack', '--json', '--pack-destination', join(staging, 'vendor')],
        dir,
      );
      const result = JSON.parse(packed.slice(packed.indexOf('['))) as { filename: string }[];
      const filename = result[0]?.filename;
      if (filename === undefined)
        throw new CliError('CommandFailed', `npm pack of ${name} reported no tarball`);
      vendored.set(name, filename.replace(/^@/, '').replace('/', '-'));
    }
    writeFileSync(
      join(staging, 'package.json'),
      `${JSON.stringify(withVendored(kept, vendored), null, 2)}\n`,
    );
    for (const file of [...required.filter((f) => f !== 'package.json'), ...optional]) {
      if (existsSync(join(root, file))) cpSync(join(root, file), join(staging, file), { recursive: true });
    }
    const seed = seedLock(root, [...local.values()]);
    if (seed !== undefined) cpSync(seed, join(staging, 'package-lock.json'));
    output.info(
      `Resolving package-lock.json for the image${seed === undefined ? '' : ` (starting from ${seed})`}...`,
    );
    await captured(
      npm.command,
      [
        ...npm.prefix,
        'install',
        '--package-lock-only',
        '--ignore-scripts',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
      ],
      staging,
    );
    if (existsSync(outDir)) rmSync(outDir, { recursive: true });
    mkdirSync(join(outDir, '..'), { recursive: true });
    renameSync(staging, outDir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
