/**
 * Where the control plane's binaries come from, the envtest way. The first of these wins:
 * 1. `startControlPlane({ binaryDir })`;
 * 2. `KUBEBUILDER_ASSETS`: a directory holding `kube-apiserver`, `etcd` and (optionally)
 *    `kubectl`, the layout controller-runtime's envtest and `setup-envtest use <version>` use;
 * 3. `KUBEFORGE_CONTROL_PLANE_DIR`;
 * 4. the per-user cache of the default version,
 *    `${XDG_CACHE_HOME:-~/.cache}/kubeforge/control-plane/1.20.2/`, which the setup command fills.
 * The setup command also installs other versions it can (`.../control-plane/<version>/`), each
 * a directory to give as `KUBEBUILDER_ASSETS`.
 */
import { accessSync, constants } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ControlPlaneError } from './errors.ts';
import { parseServerVersion, type ServerVersion } from './server-version.ts';

/** The Kubernetes version the setup command builds, and the default control plane's. */
export const CONTROL_PLANE_VERSION = '1.20.2';

export const SETUP_HINT =
  'Install them with `npm run setup-control-plane` (in a kubeforge checkout) or `kubeforge setup-control-plane`, ' +
  'or set KUBEBUILDER_ASSETS (or KUBEFORGE_CONTROL_PLANE_DIR) to a directory holding etcd and kube-apiserver, ' +
  'or run against an existing cluster with KUBEFORGE_USE_EXISTING_CLUSTER=1 and KUBECONFIG.';

export interface ControlPlaneBinaries {
  readonly etcd: string;
  readonly kubeApiServer: string;
  /** The directory they were found in. */
  readonly dir: string;
}

/** The cache directory of one version (default: the version the setup command builds). */
export function defaultControlPlaneDir(
  env: NodeJS.ProcessEnv = process.env,
  version = CONTROL_PLANE_VERSION,
): string {
  const cacheHome = env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  return join(cacheHome, 'kubeforge', 'control-plane', version);
}

/** The directory binaries are taken from when no `binaryDir` is given (see the module comment). */
export function controlPlaneDir(env: NodeJS.ProcessEnv = process.env): string {
  return (
    nonEmpty(env.KUBEBUILDER_ASSETS) ??
    nonEmpty(env.KUBEFORGE_CONTROL_PLANE_DIR) ??
    defaultControlPlaneDir(env)
  );
}

/** An empty variable (`KUBEBUILDER_ASSETS= npm test`) counts as unset. */
function nonEmpty(value: string | undefined): string | undefined {
  return value === '' ? undefined : value;
}

/** Resolves both binaries or throws a {@link ControlPlaneError} that names the setup command. */
export function resolveBinaries(dir: string = controlPlaneDir()): ControlPlaneBinaries {
  const binaries = { etcd: join(dir, 'etcd'), kubeApiServer: join(dir, 'kube-apiserver'), dir };
  const missing = [binaries.etcd, binaries.kubeApiServer].filter((path) => !isExecutable(path));
  if (missing.length > 0) {
    throw new ControlPlaneError(`control plane binaries not found: ${missing.join(', ')}. ${SETUP_HINT}`);
  }
  return binaries;
}

export interface BinaryVersions {
  readonly kubeApiServer: ServerVersion;
  /** etcd's own version (`3.5.16`), compared like a server version. */
  readonly etcd: ServerVersion;
}

/** Asks each binary for its version (`--version`); a binary that cannot say is an error. */
export function binaryVersions(binaries: ControlPlaneBinaries): BinaryVersions {
  return {
    kubeApiServer: parseServerVersion(versionOutput(binaries.kubeApiServer)),
    etcd: parseServerVersion(versionOutput(binaries.etcd).split('\n')[0] ?? ''),
  };
}

function versionOutput(binary: string): string {
  try {
    return execFileSync(binary, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  } catch (error) {
    throw new ControlPlaneError(`${binary} --version failed; is it a kube-apiserver or etcd binary?`, {
      cause: error,
    });
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
