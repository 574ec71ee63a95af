/**
 * Regenerates `@kubeforge/api` from the release in `openapi/` (the newest `v<major>.<minor>.<patch>`
 * folder, or the one `--release v1.x.y` names): the sources of every group/version under
 * `src/<short>/<version>/`, `src/release.ts`, the schemas for embedding built-in types in CRDs
 * (`schemas/<short>/<version>.json`, emit-schemas.ts) and the package's `exports` map. Run by hand
 * (`npm run generate -w @kubeforge/api`) and commit the output; `--check` writes nothing and
 * fails, naming the files, when the committed output is not what the script produces.
 *
 * Each step returns files; only {@link writeGeneration} touches the disk.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { emitSchemas } from './emit-schemas.ts';
import { emitTypes, type OutputFile } from './emit-types.ts';
import { loadSpec, type SpecModel } from './load-spec.ts';
import { moduleDir } from './names.ts';

export const packageDir = join(import.meta.dirname, '..');

/** The newest release folder in `openapi/`. */
export function newestRelease(openapiDir = join(packageDir, 'openapi')): string {
  const releases = readdirSync(openapiDir).filter((name) => /^v\d+\.\d+\.\d+$/.test(name));
  const key = (name: string): number[] => name.slice(1).split('.').map(Number);
  releases.sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    for (let i = 0; i < 3; i++) if (ka[i] !== kb[i]) return (ka[i] ?? 0) - (kb[i] ?? 0);
    return 0;
  });
  const newest = releases.at(-1);
  if (newest === undefined) throw new Error(`${openapiDir}: no v<major>.<minor>.<patch> folder`);
  return newest;
}

/** The package.json `exports` map: the root entry and one entry per module, in module order. */
export function exportsMap(spec: SpecModel): Record<string, unknown> {
  const entry = (dir: string): Record<string, string> => ({
    'kubeforge-source': `./src/${dir}index.ts`,
    types: `./dist/${dir}index.d.ts`,
    default: `./dist/${dir}index.js`,
  });
  const map: Record<string, unknown> = { '.': entry('') };
  for (const module of spec.modules)
    map[`./${module.short}/${module.version}`] = entry(`${module.short}/${module.version}/`);
  map['./package.json'] = './package.json';
  return map;
}

/** Everything the generator owns: the emitted sources and package.json with its exports map. */
export async function generation(
  release = newestRelease(),
): Promise<{ spec: SpecModel; files: OutputFile[] }> {
  const specDir = join(packageDir, 'openapi', release);
  if (!existsSync(join(specDir, 'version.json'))) {
    const known = readdirSync(join(packageDir, 'openapi')).join(', ');
    throw new Error(
      `openapi/${release}/version.json does not exist: releases here are ${known}. ` +
        'Add the release first (see docs/built-in-types.md, "Regenerating for a new release").',
    );
  }
  const spec = loadSpec(specDir);
  const files = [...(await emitTypes(spec)), ...emitSchemas(spec)];
  const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as Record<string, unknown>;
  pkg.exports = exportsMap(spec);
  files.push({ path: 'package.json', contents: `${JSON.stringify(pkg, null, 2)}\n` });
  return { spec, files };
}

/** Module folders on disk that the generation no longer has (a group/version the release dropped). */
function staleModuleDirs(spec: SpecModel): string[] {
  const wanted = new Set(spec.modules.map(moduleDir));
  const stale: string[] = [];
  const src = join(packageDir, 'src');
  for (const short of readdirSync(src, { withFileTypes: true })) {
    if (!short.isDirectory()) continue;
    for (const version of readdirSync(join(src, short.name), { withFileTypes: true })) {
      const dir = `src/${short.name}/${version.name}`;
      if (version.isDirectory() && /^v\d/.test(version.name) && !wanted.has(dir)) stale.push(dir);
    }
  }
  return stale;
}

/** Files whose committed contents differ from the generation, and stale folders. */
export function differences(spec: SpecModel, files: readonly OutputFile[]): string[] {
  const changed = files
    .filter((file) => {
      const path = join(packageDir, file.path);
      return !existsSync(path) || readFileSync(path, 'utf8') !== file.contents;
    })
    .map((file) => file.path);
  return [...changed, ...staleModuleDirs(spec)];
}

export function writeGeneration(spec: SpecModel, files: readonly OutputFile[]): void {
  for (const dir of staleModuleDirs(spec)) rmSync(join(packageDir, dir), { recursive: true });
  for (const file of files) {
    const path = join(packageDir, file.path);
    if (existsSync(path) && readFileSync(path, 'utf8') === file.contents) continue;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.contents);
  }
}

function releaseArgument(argv: readonly string[]): string | undefined {
  const i = argv.indexOf('--release');
  if (i < 0) return undefined;
  const value = argv[i + 1];
  if (value === undefined || !/^v\d+\.\d+\.\d+$/.test(value)) {
    throw new Error(
      `--release needs a release folder of openapi/, e.g. --release v1.34.9 (got ${value ?? 'nothing'})`,
    );
  }
  return value;
}

if (import.meta.main) {
  const argv = process.argv.slice(2);
  const started = performance.now();
  const { spec, files } = await generation(releaseArgument(argv));
  const changed = differences(spec, files);
  if (argv.includes('--check')) {
    if (changed.length > 0) {
      console.error(
        `@kubeforge/api is not what scripts/generate.ts produces from ${spec.gitVersion}:\n` +
          changed.map((path) => `  ${path}`).join('\n') +
          '\nRun `npm run generate -w @kubeforge/api` and commit the result.',
      );
      process.exitCode = 1;
    } else {
      console.log(`@kubeforge/api matches ${spec.gitVersion} (${files.length} files)`);
    }
  } else {
    writeGeneration(spec, files);
    const ms = Math.round(performance.now() - started);
    console.log(
      `@kubeforge/api: ${spec.modules.length} modules from ${spec.gitVersion}, ${changed.length} files changed (${ms} ms)`,
    );
  }
}
