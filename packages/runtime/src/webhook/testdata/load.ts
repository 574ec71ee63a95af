/** A stream of writes through the webhooks, counting failures, for rotation tests. */
import { createHash } from 'node:crypto';
import { connect } from 'node:tls';
import type { KubeConfig } from '@kubernetes/client-node';
import { createResourceClient } from '../../client/create-resource-client.ts';
import { group, type WidgetV1 } from './widgets.ts';

export interface LoadResult {
  readonly writes: number;
  readonly failures: readonly string[];
}

export interface Load {
  stop(): Promise<LoadResult>;
}

/** `workers` loops, each creating a Widget at v1 (conversion, defaulting, validation) then reading it at v1. */
export function startLoad(kubeConfig: KubeConfig, namespace: string, prefix: string, workers = 3): Load {
  const client = createResourceClient<WidgetV1>(kubeConfig, {
    group,
    version: 'v1',
    kind: 'Widget',
    plural: 'widgets',
    namespaced: true,
  }).inNamespace(namespace);
  let stopped = false;
  let writes = 0;
  const failures: string[] = [];
  const loops = Array.from({ length: workers }, async (_, worker) => {
    for (let i = 0; !stopped; i++) {
      const name = `${prefix}-${worker}-${i}`;
      try {
        await client.create({ metadata: { name }, spec: { size: 1 } });
        const read = await client.get(name);
        if (read.spec?.size !== 1 || (read.spec as { color?: string }).color !== 'blue') {
          failures.push(`${name}: read back ${JSON.stringify(read.spec)}`);
        }
        writes++;
      } catch (error) {
        failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  });
  return {
    async stop() {
      stopped = true;
      await Promise.all(loops);
      return { writes, failures };
    },
  };
}

/** The SHA-256 fingerprint of the certificate a TLS server presents. */
export function servedFingerprint(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      const raw = socket.getPeerCertificate().raw;
      socket.end();
      resolve(createHash('sha256').update(raw).digest('hex'));
    });
    socket.on('error', reject);
  });
}
