/**
 * The package.json of an image build context, as data from the project's. The image needs
 * only what `npm ci && npm run build` and the running operator use: the runtime dependencies,
 * and the compiler with its types (src/generated is already generated, so the kubeforge tools
 * and the `node` toolchain package are left out). Dependencies on local directories (`file:`,
 * a project created from a kubeforge checkout) point at tarballs in `vendor/` instead, and
 * `overrides` send the same packages' own references to each other there too, so nothing is
 * looked up on a registry that does not have it.
 */

export interface PackageManifest {
  readonly name?: string;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
  readonly overrides?: Readonly<Record<string, unknown>>;
  readonly [field: string]: unknown;
}

/** Development tools a project has that the image build does not run. */
export const toolsNotInImage: readonly string[] = [
  '@kubeforge/cli',
  '@kubeforge/generator',
  '@kubeforge/testing',
  'node',
];

/** The local directory a `file:` spec points at (relative specs against `projectRoot`). */
export function localDirectory(spec: string, projectRoot: string): string | undefined {
  if (!spec.startsWith('file:')) return undefined;
  const path = spec.slice('file:'.length);
  if (path.endsWith('.tgz') || path.endsWith('.tar.gz')) return undefined;
  return path.startsWith('/') ? path : `${projectRoot}/${path}`;
}

/** The manifest without the tools the image does not need. */
export function imageManifest(manifest: PackageManifest): PackageManifest {
  const devDependencies = Object.fromEntries(
    Object.entries(manifest.devDependencies ?? {}).filter(([name]) => !toolsNotInImage.includes(name)),
  );
  const { allowScripts: _allowScripts, ...rest } = manifest;
  return { ...rest, devDependencies };
}

/**
 * `manifest` with every package of `vendored` (name → tarball file name in vendor/) depended
 * on, and overridden, as `file:vendor/<tarball>`.
 */
export function withVendored(
  manifest: PackageManifest,
  vendored: ReadonlyMap<string, string>,
): PackageManifest {
  const point = (deps: Readonly<Record<string, string>> | undefined): Record<string, string> =>
    Object.fromEntries(
      Object.entries(deps ?? {}).map(([name, spec]) => {
        const tarball = vendored.get(name);
        return [name, tarball === undefined ? spec : `file:vendor/${tarball}`];
      }),
    );
  const overrides: Record<string, unknown> = { ...(manifest.overrides ?? {}) };
  for (const [name, tarball] of vendored) overrides[name] = `file:vendor/${tarball}`;
  return {
    ...manifest,
    dependencies: point(manifest.dependencies),
    devDependencies: point(manifest.devDependencies),
    ...(vendored.size === 0 ? {} : { overrides }),
  };
}
