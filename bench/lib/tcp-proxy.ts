/**
 * A local TCP proxy that can stall the network path: bytes silently dropped both ways while
 * sockets stay open, as when a NAT or load balancer forgets a connection. The recovery
 * scenario's copy of the runtime's test proxy (packages/runtime/src/watch/testing/tcp-proxy.ts),
 * which the package does not export.
 */
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

interface Link {
  readonly client: Socket;
  readonly upstream: Socket;
  stalled: boolean;
}

export interface StallingProxy {
  /** `https://127.0.0.1:<port>`, to use as a cluster server (TLS passes through). */
  readonly url: string;
  /** Existing and new connections stall until {@link heal}; returns the count stalled now. */
  stallAll(): number;
  /** New connections forward again (stalled ones stay stalled). */
  heal(): void;
  close(): Promise<void>;
}

export async function startStallingProxy(target: {
  readonly host: string;
  readonly port: number;
}): Promise<StallingProxy> {
  const links = new Set<Link>();
  let stalling = false;
  const server = createServer((client) => {
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
  return {
    url: `https://127.0.0.1:${port}`,
    stallAll() {
      stalling = true;
      for (const link of links) link.stalled = true;
      return links.size;
    },
    heal() {
      stalling = false;
    },
    async close() {
      for (const link of links) {
        link.client.resetAndDestroy();
        link.upstream.destroy();
      }
      links.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
