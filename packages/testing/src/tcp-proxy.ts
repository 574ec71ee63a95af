/**
 * A local TCP proxy for fault injection: forwards connections to a target (TLS passes
 * through untouched) and can stall them (bytes are silently dropped while the sockets stay
 * open, as when a NAT or load balancer forgets a connection), drop them, or refuse new ones.
 * Put it between a client and a control plane's API server (use `url` as the cluster's
 * server) to test how a controller lives through a broken network path.
 */
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';

interface Link {
  readonly client: Socket;
  readonly upstream: Socket;
  stalled: boolean;
}

export interface TcpProxy {
  /** `https://127.0.0.1:<port>` (or `http://` with `{ scheme: 'http' }`), to use as a cluster server. */
  readonly url: string;
  readonly port: number;
  /** Connections currently open through the proxy. */
  readonly openConnections: number;
  /** Connections accepted since the start. */
  readonly acceptedConnections: number;
  /** Existing connections stop forwarding in both directions but stay open; new ones work. */
  stallExisting(): number;
  /**
   * A silent outage of the path: existing connections stall and new ones are accepted but
   * stall too (no bytes either way, sockets open), until {@link heal}. Returns the count of
   * connections stalled now.
   */
  stallAll(): number;
  /** Ends {@link stallAll}: new connections forward again (stalled ones stay stalled). */
  heal(): void;
  /** Closes every connection abruptly (the peer sees a reset). */
  dropAll(): void;
  /** While `true`, new connections are closed at once and existing ones dropped. */
  setRefusing(refusing: boolean): void;
  close(): Promise<void>;
}

export async function startTcpProxy(
  target: { readonly host: string; readonly port: number },
  options: { readonly scheme?: 'https' | 'http' } = {},
): Promise<TcpProxy> {
  const links = new Set<Link>();
  let refusing = false;
  let stalling = false;
  let accepted = 0;

  const server = createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    accepted++;
    const upstream = connect(target.port, target.host);
    const link: Link = { client, upstream, stalled: stalling };
    links.add(link);
    const end = () => {
      links.delete(link);
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk) => {
      if (!link.stalled) upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (!link.stalled) client.write(chunk);
    });
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const dropAll = () => {
    for (const link of links) {
      link.client.resetAndDestroy();
      link.upstream.destroy();
    }
    links.clear();
  };

  return {
    url: `${options.scheme ?? 'https'}://127.0.0.1:${port}`,
    port,
    get openConnections() {
      return links.size;
    },
    get acceptedConnections() {
      return accepted;
    },
    stallExisting() {
      for (const link of links) link.stalled = true;
      return links.size;
    },
    stallAll() {
      stalling = true;
      for (const link of links) link.stalled = true;
      return links.size;
    },
    heal() {
      stalling = false;
    },
    dropAll,
    setRefusing(value) {
      refusing = value;
      if (value) dropAll();
    },
    async close() {
      dropAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A copy of `kubeConfig` whose current cluster's server is `server` (a proxy's `url`). */
export function withServer(kubeConfig: KubeConfig, server: string): KubeConfig {
  const copy = new KubeConfig();
  const current = kubeConfig.getCurrentCluster();
  copy.loadFromOptions({
    clusters: kubeConfig.clusters.map((c) => (c.name === current?.name ? { ...c, server } : c)),
    users: kubeConfig.users,
    contexts: kubeConfig.contexts,
    currentContext: kubeConfig.currentContext,
  });
  return copy;
}
