/**
 * The operator as a child process that `kubeforge run` starts, stops and restarts. Its output
 * goes straight to the terminal. `stop()` sends SIGTERM (the manager's graceful shutdown:
 * leader lease released, controllers drained) and SIGKILL after a grace period; it resolves
 * once the process has exited, so a restarted operator never overlaps the previous one.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface OperatorProcessSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** How long SIGTERM has before SIGKILL (default 15 s, the Deployment's grace period). */
  readonly graceMs?: number;
  /** Called when the process exits on its own (not through `stop()`). */
  readonly onExit: (code: number | null, signal: NodeJS.Signals | null) => void;
}

export interface OperatorProcess {
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

export function startOperator(spec: OperatorProcessSpec): OperatorProcess {
  const child: ChildProcess = spawn(spec.command, [...spec.args], {
    cwd: spec.cwd,
    env: spec.env ?? process.env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let stopping = false;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      if (!stopping) spec.onExit(code, signal);
      resolve();
    });
    child.once('error', (err) => {
      if (!stopping) spec.onExit(null, null);
      process.stderr.write(`error: could not start the operator: ${err.message}\n`);
      resolve();
    });
  });
  return {
    pid: child.pid,
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), spec.graceMs ?? 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
