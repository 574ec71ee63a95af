/**
 * A manager process for the leader election test: reconciles every Gadget in $NAMESPACE
 * continually (requeue after 50 ms) and appends one JSON line per reconcile to $RECORD_FILE:
 * `{ identity, name, start, end }` (epoch ms), and one line `{ identity, leading }` to
 * $RECORD_FILE.leading when it becomes the leader. Leader election uses short test timings, or
 * the defaults with $DEFAULT_TIMING=1.
 */
import { appendFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { controllerFor } from '../../controller/builder.ts';
import { noopLogger } from '../../log/logger.ts';
import { gadgetResource, type Gadget } from '../../testdata/gadgets.ts';
import { createManager } from '../manager.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`elected-manager: set ${name}`);
  return value;
};
const identity = env('IDENTITY');
const recordFile = env('RECORD_FILE');
const namespace = env('NAMESPACE');
const kubeConfig = new KubeConfig();
kubeConfig.loadFromFile(env('KUBECONFIG_PATH'));

const manager = createManager({
  kubeConfig,
  name: `elected-${identity}`,
  logger: noopLogger,
  cache: { namespace },
  shutdownTimeoutMs: 2000,
  // $DEFAULT_TIMING=1: the defaults (15/10/2 s); otherwise short test timings.
  leaderElection: {
    leaseName: 'elected-manager',
    namespace,
    identity,
    onStartedLeading: () => {
      appendFileSync(`${recordFile}.leading`, JSON.stringify({ identity, leading: Date.now() }) + '\n');
    },
    ...(process.env.DEFAULT_TIMING === '1'
      ? {}
      : { leaseDurationMs: 4000, renewDeadlineMs: 3000, retryPeriodMs: 500 }),
  },
});
manager.add(
  controllerFor<Gadget>(gadgetResource).complete(async (request, context) => {
    const start = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (context.signal.aborted) return {};
    appendFileSync(recordFile, JSON.stringify({ identity, name: request.name, start, end: Date.now() }) + '\n');
    return { requeueAfterMs: 50 };
  }),
);
process.stdout.write(`started ${identity}\n`);
await manager.start();
