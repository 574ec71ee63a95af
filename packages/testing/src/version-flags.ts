/**
 * What differs between the kube-apiserver versions the control plane runs: flags a version
 * needs or no longer accepts, and the etcd it needs. Everything else is common to 1.20 and up.
 */
import type { BinaryVersions, ControlPlaneBinaries } from './binaries.ts';
import { ControlPlaneError } from './errors.ts';
import type { ServerVersion } from './server-version.ts';

/**
 * Flags only some versions take. `--insecure-port=0` turns off the unauthenticated port that
 * servers before 1.20 opened by default; 1.24 removed the flag (and the port).
 */
export function apiServerVersionFlags(version: ServerVersion): string[] {
  return version.atLeast('1.24') ? [] : ['--insecure-port=0'];
}

/** The oldest etcd each kube-apiserver release supports, newest first. */
const minimumEtcd: readonly (readonly [server: string, etcd: string])[] = [['1.31', '3.5']];

/** Fails before starting anything when the etcd is older than the kube-apiserver supports. */
export function checkEtcdVersion(versions: BinaryVersions, binaries: ControlPlaneBinaries): void {
  const rule = minimumEtcd.find(([server]) => versions.kubeApiServer.atLeast(server));
  if (!rule || versions.etcd.atLeast(rule[1])) return;
  throw new ControlPlaneError(
    `kube-apiserver ${versions.kubeApiServer.gitVersion} needs etcd ${rule[1]} or newer, but ${binaries.etcd} ` +
      `is ${versions.etcd.gitVersion}. Put an etcd >= ${rule[1]} beside it (\`npm run setup-control-plane\` ` +
      `installs Debian trixie's etcd-server 3.5 into each version's directory), as envtest's assets do.`,
  );
}
