/**
 * Where the control plane binaries live: `$KUBEFORGE_CONTROL_PLANE_DIR`, else the per-user cache
 * `${XDG_CACHE_HOME:-~/.cache}/kubeforge/control-plane/<version>/` that the setup command fills.
 */
import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ControlPlaneError } from './errors.ts';

/** The Kubernetes version the setup command builds. */
export const CONTROL_PLANE_VERSION = '1.20.2';

export const SETUP_HINT =
  'Install them with `npm run setup-control-plane` (in a kubeforge checkout) or `kubeforge setup-control-plane`, ' +
  'or set KUBEFORGE_CONTROL_PLANE_DIR to a directory holding etcd and kube-apiserver, ' +
  'or run against an existing cluster with KUBEFORGE_USE_EXISTING_CLUSTER=1 and KUBECONFIG.';

export interface ControlPlaneBinaries {
  readonly etcd: string;
  readonly kubeApiServer: string;
}

export function defaultControlPlaneDir(env: NodeJS.ProcessEnv = process.env): string {
  const cacheHome = env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  return join(cacheHome, 'kubeforge', 'control-plane', CONTROL_PLANE_VERSION);
}

export function controlPlaneDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.KUBEFORGE_CONTROL_PLANE_DIR ?? defaultControlPlaneDir(env);
}

/** Resolves both binaries or throws a {@link ControlPlaneError} that names the setup command. */
export function resolveBinaries(dir: string = controlPlaneDir()): ControlPlaneBinaries {
  const binaries = { etcd: join(dir, 'etcd'), kubeApiServer: join(dir, 'kube-apiserver') };
  const missing = Object.values(binaries).filter((path) => !isExecutable(path));
  if (missing.length > 0) {
    throw new ControlPlaneError(`control plane binaries not found: ${missing.join(', ')}. ${SETUP_HINT}`);
  }
  return binaries;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
