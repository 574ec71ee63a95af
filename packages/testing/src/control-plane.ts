/**
 * envtest for TypeScript: a real etcd and kube-apiserver on loopback, or the KUBECONFIG cluster
 * when `KUBEFORGE_USE_EXISTING_CLUSTER=1`. The binaries are whichever it is given (see
 * `binaries.ts`: `binaryDir`, `KUBEBUILDER_ASSETS`, the default 1.20.2); it asks them their
 * versions, passes the flags that version needs, and reports the server's version
 * (`serverVersion`) so tests can require a minimum.
 *
 * The local control plane serves TLS (a self-signed CA the server generates), authenticates
 * static bearer tokens (an admin in `system:masters` plus any users the caller asks for) and
 * authorizes with RBAC. It has no controller-manager: namespaces are never finalized and
 * ownerReferences do not cascade (garbage collection is off), as in envtest.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
  appendFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { binaryVersions, controlPlaneDir, resolveBinaries, type ControlPlaneBinaries } from './binaries.ts';
import { apiServerVersionFlags, checkEtcdVersion } from './version-flags.ts';
import { parseServerVersion, type ServerVersion } from './server-version.ts';
import { ControlPlaneError } from './errors.ts';
import { kubeConfigFromYaml, tokenKubeConfigYaml } from './kubeconfig.ts';
import { ManagedProcess } from './managed-process.ts';
import { freePort } from './ports.ts';
import { httpGet, httpPostJson, kubeRequest } from './http.ts';
import { startWatchdog } from './watchdog.ts';

export interface ControlPlaneUser {
  readonly name: string;
  readonly groups?: readonly string[];
}

export interface StartControlPlaneOptions {
  /** Extra token users (no RBAC rights unless the test grants them); see `kubeConfigFor`. */
  readonly users?: readonly ControlPlaneUser[];
  /** Extra kube-apiserver flags, e.g. `['--default-watch-cache-size=0']`. */
  readonly apiServerFlags?: readonly string[];
  readonly etcdFlags?: readonly string[];
  /** How long to wait for etcd and `/readyz`; default 90 s. */
  readonly startTimeoutMs?: number;
  /**
   * Directory holding `etcd` and `kube-apiserver`; default `KUBEBUILDER_ASSETS`, then
   * `KUBEFORGE_CONTROL_PLANE_DIR`, then the cache of the default version (1.20.2).
   */
  readonly binaryDir?: string;
  /** Use the KUBECONFIG cluster; default: `KUBEFORGE_USE_EXISTING_CLUSTER` is `1` or `true`. */
  readonly useExistingCluster?: boolean;
}

/** Controls that only a control plane started by this process has. */
export interface LocalControlPlane {
  readonly apiServerUrl: string;
  readonly etcdUrl: string;
  /** Temporary directory with certificates, logs and kubeconfigs; removed by stop(). */
  readonly dir: string;
  stopApiServer(): Promise<void>;
  /** Starts the API server again on the same port with the same certificates and tokens. */
  startApiServer(): Promise<void>;
  /**
   * Stops the API server and starts it again, resolving once it is ready. With
   * `{ kill: true }` it is killed with SIGKILL (no graceful shutdown: watches are cut, no
   * GOAWAY), as when the process or its node dies.
   */
  restartApiServer(options?: { readonly kill?: boolean }): Promise<void>;
  /**
   * Compacts etcd up to its current revision, so watches resuming from an older
   * resourceVersion that reach etcd get 410 Gone. The API server's watch cache still serves
   * recent history; start with `--default-watch-cache-size=0` or restart the API server to
   * make every older version expire.
   */
  compactEtcd(): Promise<{ readonly revision: string }>;
  apiServerLogTail(lines?: number): string;
}

export interface ControlPlane {
  /** Admin credentials (`system:masters`). */
  readonly kubeConfig: KubeConfig;
  readonly kubeconfigPath: string;
  /**
   * The API server's version: the local kube-apiserver's `--version`, or what an existing
   * cluster's `/version` reports.
   */
  readonly serverVersion: ServerVersion;
  /** Undefined when running against an existing cluster. */
  readonly local: LocalControlPlane | undefined;
  /** Credentials of a user declared in `options.users` (local control plane only). */
  kubeConfigFor(user: string): KubeConfig;
  /** Ends both processes and removes the temporary directory; idempotent. */
  stop(): Promise<void>;
}

const ADMIN_USER = 'kubeforge-admin';

export async function startControlPlane(options: StartControlPlaneOptions = {}): Promise<ControlPlane> {
  const useExisting =
    options.useExistingCluster ?? /^(1|true)$/i.test(process.env.KUBEFORGE_USE_EXISTING_CLUSTER ?? '');
  if (useExisting) return existingCluster();
  const binaries = resolveBinaries(options.binaryDir ?? controlPlaneDir());
  const versions = binaryVersions(binaries);
  checkEtcdVersion(versions, binaries);
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      return await startLocal(binaries, versions.kubeApiServer, options);
    } catch (error) {
      lastError = error;
      // Ports are picked free and bound later; another process may win the race.
      const raced = error instanceof ControlPlaneError && /address already in use/i.test(error.logTail ?? '');
      if (!raced) throw error;
    }
  }
  throw lastError;
}

async function existingCluster(): Promise<ControlPlane> {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromDefault();
  if (!kubeConfig.getCurrentCluster()) {
    throw new ControlPlaneError(
      'KUBEFORGE_USE_EXISTING_CLUSTER is set but no cluster was found in KUBECONFIG (or ~/.kube/config). ' +
        'Point KUBECONFIG at your cluster, or unset KUBEFORGE_USE_EXISTING_CLUSTER to start a local control plane.',
    );
  }
  const kubeconfigPath = process.env.KUBECONFIG?.split(':')[0] ?? join(homedir(), '.kube', 'config');
  return {
    kubeConfig,
    kubeconfigPath,
    serverVersion: await readServerVersion(kubeConfig),
    local: undefined,
    kubeConfigFor(user) {
      throw new ControlPlaneError(
        `kubeConfigFor('${user}') needs a local control plane: an existing cluster's users are not known to kubeforge.`,
      );
    },
    stop: () => Promise.resolve(),
  };
}

async function startLocal(
  binaries: ControlPlaneBinaries,
  version: ServerVersion,
  options: StartControlPlaneOptions,
): Promise<ControlPlane> {
  const timeoutMs = options.startTimeoutMs ?? 90_000;
  const dir = mkdtempSync(join(tmpdir(), 'kubeforge-control-plane-'));
  // etcd fsyncs every write; keep its data in memory when the machine offers a tmpfs.
  const etcdDataDir = existsSync('/dev/shm') ? mkdtempSync('/dev/shm/kubeforge-etcd-') : join(dir, 'etcd');
  const certDir = join(dir, 'certs');
  mkdirSync(certDir, { recursive: true });
  writeFileSync(join(dir, 'pgids'), '');
  startWatchdog(dir, [etcdDataDir]);

  const processes: { etcd?: ManagedProcess; apiServer?: ManagedProcess } = {};
  let stopped = false;
  const killNow = (): void => {
    processes.apiServer?.killNow();
    processes.etcd?.killNow();
    rmSync(dir, { recursive: true, force: true });
    rmSync(etcdDataDir, { recursive: true, force: true });
  };
  const unregister = registerCleanup(killNow);
  const track = (proc: ManagedProcess): ManagedProcess => {
    if (proc.pid !== undefined) appendFileSync(join(dir, 'pgids'), `${proc.pid}\n`);
    return proc;
  };

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await processes.apiServer?.stop();
    await processes.etcd?.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(etcdDataDir, { recursive: true, force: true });
    unregister();
  };

  try {
    const [etcdClientPort, etcdPeerPort, apiServerPort] = await distinctFreePorts(3);
    const etcdUrl = `http://127.0.0.1:${etcdClientPort}`;
    const apiServerUrl = `https://127.0.0.1:${apiServerPort}`;

    processes.etcd = track(
      new ManagedProcess({
        name: 'etcd',
        command: binaries.etcd,
        args: [
          '--name=default',
          `--data-dir=${etcdDataDir}`,
          `--listen-client-urls=${etcdUrl}`,
          `--advertise-client-urls=${etcdUrl}`,
          `--listen-peer-urls=http://127.0.0.1:${etcdPeerPort}`,
          `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeerPort}`,
          `--initial-cluster=default=http://127.0.0.1:${etcdPeerPort}`,
          '--logger=zap',
          '--log-level=warn',
          ...(options.etcdFlags ?? []),
        ],
        logFile: join(dir, 'etcd.log'),
      }),
    );
    await waitUntil(processes.etcd, timeoutMs, async () => {
      const response = await httpGet(`${etcdUrl}/health`);
      return response.status === 200 && response.body.includes('true');
    });

    const { publicKey, privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    writeFileSync(join(certDir, 'sa.pub'), publicKey);
    writeFileSync(join(certDir, 'sa.key'), privateKey, { mode: 0o600 });

    const tokens = new Map<string, string>();
    const users: ControlPlaneUser[] = [
      { name: ADMIN_USER, groups: ['system:masters'] },
      ...(options.users ?? []),
    ];
    const tokenLines = users.map((user, index) => {
      const token = randomBytes(24).toString('hex');
      tokens.set(user.name, token);
      const groups = user.groups?.length ? `,"${user.groups.join(',')}"` : '';
      return `${token},${user.name},uid-${index}${groups}`;
    });
    writeFileSync(join(certDir, 'tokens.csv'), tokenLines.join('\n') + '\n', { mode: 0o600 });

    const apiServerArgs = [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiServerPort}`,
      ...apiServerVersionFlags(version),
      `--cert-dir=${certDir}`,
      `--token-auth-file=${join(certDir, 'tokens.csv')}`,
      '--authorization-mode=RBAC',
      '--service-cluster-ip-range=10.0.0.0/24',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${join(certDir, 'sa.pub')}`,
      `--service-account-signing-key-file=${join(certDir, 'sa.key')}`,
      '--disable-admission-plugins=ServiceAccount',
      '--allow-privileged=true',
      '--profiling=false',
      ...(options.apiServerFlags ?? []),
    ];
    const adminToken = tokens.get(ADMIN_USER) ?? '';
    const startApiServer = async (): Promise<void> => {
      if (processes.apiServer && !processes.apiServer.exitStatus) return;
      processes.apiServer = track(
        new ManagedProcess({
          name: 'kube-apiserver',
          command: binaries.kubeApiServer,
          args: apiServerArgs,
          logFile: join(dir, 'kube-apiserver.log'),
        }),
      );
      const apiServer = processes.apiServer;
      await waitUntil(apiServer, timeoutMs, async () => {
        const caPem = readCa(certDir);
        if (!caPem) return false;
        const response = await httpGet(`${apiServerUrl}/readyz`, { ca: caPem, token: adminToken });
        return response.status === 200;
      });
    };
    await startApiServer();

    const caPem = readCa(certDir) ?? '';
    const kubeconfigYaml = (user: string): string =>
      tokenKubeConfigYaml({ server: apiServerUrl, caPem, user, token: tokens.get(user) ?? '' });
    const kubeconfigPath = join(dir, 'kubeconfig');
    writeFileSync(kubeconfigPath, kubeconfigYaml(ADMIN_USER), { mode: 0o600 });
    const kubeConfig = kubeConfigFromYaml(kubeconfigYaml(ADMIN_USER));

    const local: LocalControlPlane = {
      apiServerUrl,
      etcdUrl,
      dir,
      stopApiServer: async () => {
        await processes.apiServer?.stop();
      },
      startApiServer,
      restartApiServer: async (options = {}) => {
        await processes.apiServer?.stop(options.kill === true ? 0 : undefined);
        await startApiServer();
      },
      compactEtcd: () => compactEtcd(etcdUrl),
      apiServerLogTail: (lines) => processes.apiServer?.logTail(lines) ?? '',
    };
    return {
      kubeConfig,
      kubeconfigPath,
      // The binary's own `--version`: the 1.20.2 built from Debian's source serves
      // `v0.0.0-master` at /version, since Debian's tree pins the version variables.
      serverVersion: version,
      local,
      kubeConfigFor(user) {
        if (!tokens.has(user) || user === ADMIN_USER) {
          throw new ControlPlaneError(
            `unknown user '${user}': declare it in startControlPlane({ users: [{ name: '${user}' }] })`,
          );
        }
        return kubeConfigFromYaml(kubeconfigYaml(user));
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** `GET /version`: what the server says it is (a distribution's suffix included). */
async function readServerVersion(kubeConfig: KubeConfig): Promise<ServerVersion> {
  const response = await kubeRequest(kubeConfig, 'GET', '/version');
  if (response.status !== 200) {
    throw new ControlPlaneError(
      `GET /version answered HTTP ${response.status}: ${response.body.slice(0, 300)}`,
    );
  }
  const { gitVersion } = JSON.parse(response.body) as { gitVersion?: string };
  return parseServerVersion(gitVersion ?? '');
}

function readCa(certDir: string): string | undefined {
  const path = join(certDir, 'apiserver.crt');
  if (!existsSync(path)) return undefined;
  const pem = readFileSync(path, 'utf8');
  return pem.includes('END CERTIFICATE') ? pem : undefined;
}

async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

/** Polls `ready` every 100 ms until it returns true; fails early with the log tail if the process exits. */
async function waitUntil(
  proc: ManagedProcess,
  timeoutMs: number,
  ready: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const exit = proc.exitStatus;
    if (exit) {
      throw new ControlPlaneError(
        `${proc.name} exited during start-up (code ${exit.code ?? 'none'}, signal ${exit.signal ?? 'none'})`,
        { logTail: proc.logTail() },
      );
    }
    try {
      if (await ready()) return;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new ControlPlaneError(`${proc.name} was not ready after ${timeoutMs} ms`, {
    cause: lastError,
    logTail: proc.logTail(),
  });
}

async function compactEtcd(etcdUrl: string): Promise<{ revision: string }> {
  const range = await httpPostJson(`${etcdUrl}/v3/kv/range`, { key: Buffer.from('/').toString('base64') });
  const revision = (range as { header?: { revision?: string } }).header?.revision;
  if (!revision) throw new ControlPlaneError(`etcd returned no revision: ${JSON.stringify(range)}`);
  await httpPostJson(`${etcdUrl}/v3/kv/compaction`, { revision, physical: true });
  return { revision };
}

const cleanups = new Set<() => void>();
let handlersInstalled = false;

/** Kills live control planes when the process exits or is interrupted without calling stop(). */
function registerCleanup(cleanup: () => void): () => void {
  cleanups.add(cleanup);
  if (!handlersInstalled) {
    handlersInstalled = true;
    const runAll = (): void => {
      for (const fn of cleanups) {
        try {
          fn();
        } catch {
          // Best effort while exiting; the watchdog catches what is left.
        }
      }
      cleanups.clear();
    };
    process.on('exit', runAll);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      const onSignal = (): void => {
        runAll();
        process.off(signal, onSignal);
        // Keep the default behaviour (terminate) unless someone else handles the signal.
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      };
      process.on(signal, onSignal);
    }
  }
  return () => cleanups.delete(cleanup);
}
