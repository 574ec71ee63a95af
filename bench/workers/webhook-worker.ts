/**
 * A worker process serving kubeforge's BenchItem webhooks (validating and defaulting) for the
 * webhook scenario: a manager with the webhook server only, on the loopback port and
 * certificates `installWebhooks` made. Answers `ready` once `/readyz` passes (the server
 * completed a TLS handshake with itself), then serves until the parent says `stop`; `cpu`
 * asks for the process's user+system CPU time so far, so the parent can charge each run the
 * webhook server's CPU.
 */
import { createManager, fileCertificates, noopLogger } from '@kubeforge/runtime';
import { KubeConfig } from '@kubernetes/client-node';
import { benchItemDefaulting, benchItemValidation } from '../lib/bench-webhooks.ts';
import { nextFromParent, sendToParent, workerInput } from '../lib/worker-process.ts';

export interface WebhookWorkerInput {
  readonly kubeconfigPath: string;
  readonly port: number;
  /** Holds `tls.crt` and `tls.key`. */
  readonly certDir: string;
}

export type WebhookWorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'cpu'; readonly micros: number }
  | { readonly type: 'stopped' };

/** Parent to worker. */
export interface WebhookWorkerCommand {
  readonly type: 'cpu' | 'stop';
}

const READY_TIMEOUT_MS = 30_000;

async function main(): Promise<void> {
  const input = workerInput() as WebhookWorkerInput;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(input.kubeconfigPath);
  const manager = createManager({
    kubeConfig,
    logger: noopLogger,
    handleSignals: false,
    probes: { port: 0, host: '127.0.0.1' },
    webhook: { port: input.port, host: '127.0.0.1', certificates: fileCertificates({ dir: input.certDir }) },
  });
  manager.addWebhook(benchItemValidation);
  manager.addWebhook(benchItemDefaulting);
  const running = manager.start();
  const deadline = performance.now() + READY_TIMEOUT_MS;
  for (;;) {
    const ready = await fetch(`${manager.probeUrl ?? ''}/readyz`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ready) break;
    if (performance.now() > deadline) throw new Error(`webhook server not ready in ${READY_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await sendToParent({ type: 'ready' } satisfies WebhookWorkerMessage);
  for (;;) {
    const command = await nextFromParent<WebhookWorkerCommand>();
    if (command.type === 'stop') break;
    const cpu = process.cpuUsage();
    await sendToParent({ type: 'cpu', micros: cpu.user + cpu.system } satisfies WebhookWorkerMessage);
  }
  await manager.stop();
  await running;
  await sendToParent({ type: 'stopped' } satisfies WebhookWorkerMessage);
}

await main();
// A normal exit, so --cpu-prof writes its profile.
process.exit(0);
