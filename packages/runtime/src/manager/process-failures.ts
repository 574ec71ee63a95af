/**
 * The process-level policy for failures no code handled: a promise rejection nobody awaited
 * or caught, and an exception thrown outside any reconcile (a timer, an event emitter). Inside
 * a reconcile, failures are the controller's business (logged, counted, retried); these are
 * not, and the process state after them is unknown.
 *
 * Policies:
 * - `exit` (default): log the failure at error with its type and value, count it in
 *   `kubeforge_process_failures_total{kind}`, then exit with code 1 so Kubernetes restarts
 *   the Pod (a clean restart is the only safe recovery; the lease expires or was released).
 * - `log`: log and count, keep running. For processes that must not die, at your own risk.
 * - `off`: install nothing; Node's defaults apply (an unhandled rejection or uncaught
 *   exception ends the process with a stack trace on stderr and no log line or metric).
 */
import type { Logger } from '../log/logger.ts';
import { errorFields } from '../log/logger.ts';
import type { Metrics } from '../metrics/metrics.ts';

export type ProcessFailurePolicy = 'exit' | 'log' | 'off';

export type ProcessFailureKind = 'unhandledRejection' | 'uncaughtException';

export interface ProcessFailureHandlerOptions {
  readonly policy: ProcessFailurePolicy;
  readonly logger: Pick<Logger, 'error'>;
  readonly metrics: Pick<Metrics, 'processFailure'>;
  readonly exit: (code: number) => void;
  /** The process to listen on; default `process` (tests pass an EventEmitter). */
  readonly target?: Pick<NodeJS.Process, 'on' | 'off'>;
}

/** Installs the policy; returns a function that removes it. */
export function installProcessFailureHandlers(options: ProcessFailureHandlerOptions): () => void {
  if (options.policy === 'off') return () => undefined;
  const target = options.target ?? process;
  const handle = (kind: ProcessFailureKind, error: unknown): void => {
    options.metrics.processFailure(kind);
    const exiting = options.policy === 'exit';
    options.logger.error(
      kind === 'unhandledRejection'
        ? 'unhandled promise rejection outside any reconcile'
        : 'uncaught exception outside any reconcile',
      { kind, error: errorFields(error), action: exiting ? 'exit 1' : 'continue' },
    );
    if (exiting) options.exit(1);
  };
  const onRejection = (reason: unknown): void => handle('unhandledRejection', reason);
  const onException = (error: unknown): void => handle('uncaughtException', error);
  target.on('unhandledRejection', onRejection);
  target.on('uncaughtException', onException);
  return () => {
    target.off('unhandledRejection', onRejection);
    target.off('uncaughtException', onException);
  };
}
