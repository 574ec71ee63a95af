/**
 * Contenders that hold memory or compete for the event loop run in their own child process,
 * so one contender's heap, JIT state and connections never skew another's numbers. The
 * parent and a worker talk over the IPC channel with plain JSON messages.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface WorkerOptions {
  /** Writes a V8 CPU profile named `<profileName>.cpuprofile` into this directory. */
  readonly cpuProfDir?: string | undefined;
  readonly profileName?: string;
}

export interface WorkerHandle<In, Out> {
  /**
   * The next message from the worker; rejects if the worker exits first or sends nothing
   * within `timeoutMs` (default 10 minutes), so a stuck contender fails its scenario instead
   * of hanging the run.
   */
  next(timeoutMs?: number): Promise<Out>;
  send(message: In): void;
  /** Waits for the worker to exit; rejects if it failed. */
  exited(): Promise<void>;
  kill(): void;
}

const DEFAULT_ANSWER_TIMEOUT_MS = 600_000;

export class WorkerFailedError extends Error {
  override readonly name = 'WorkerFailedError';
}

export function startWorker<In, Out>(
  script: URL,
  input: unknown,
  options: WorkerOptions = {},
): WorkerHandle<In, Out> {
  const execArgv = [...process.execArgv.filter((arg) => !arg.startsWith('--cpu-prof'))];
  if (!execArgv.includes('--expose-gc')) execArgv.push('--expose-gc');
  if (options.cpuProfDir !== undefined) {
    mkdirSync(options.cpuProfDir, { recursive: true });
    execArgv.push(
      '--cpu-prof',
      `--cpu-prof-dir=${options.cpuProfDir}`,
      `--cpu-prof-name=${options.profileName ?? 'worker'}.cpuprofile`,
    );
  }
  const child: ChildProcess = fork(fileURLToPath(script), [JSON.stringify(input)], {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const messages: Out[] = [];
  const waiters: { resolve: (message: Out) => void; reject: (error: Error) => void }[] = [];
  let exitError: Error | undefined;
  const exit = new Promise<void>((resolve, reject) => {
    child.on('exit', (code, signal) => {
      exitError = new WorkerFailedError(
        code === 0
          ? `worker ${script.pathname} exited before answering`
          : `worker ${script.pathname} failed (exit code ${code}, signal ${signal})`,
      );
      for (const waiter of waiters.splice(0)) waiter.reject(exitError);
      if (code === 0) resolve();
      else reject(exitError);
    });
  });
  exit.catch(() => undefined);
  child.on('message', (message) => {
    const waiter = waiters.shift();
    if (waiter === undefined) messages.push(message as Out);
    else waiter.resolve(message as Out);
  });
  return {
    next: (timeoutMs = DEFAULT_ANSWER_TIMEOUT_MS) => {
      const message = messages.shift();
      if (message !== undefined) return Promise.resolve(message);
      if (exitError !== undefined) return Promise.reject(exitError);
      return new Promise<Out>((resolve, reject) => {
        const waiter = {
          resolve: (answer: Out) => {
            clearTimeout(timer);
            resolve(answer);
          },
          reject: (error: Error) => {
            clearTimeout(timer);
            reject(error);
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new WorkerFailedError(`worker ${script.pathname} sent nothing for ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    send: (message) => {
      child.send(message as object);
    },
    exited: () => exit,
    kill: () => {
      child.kill();
    },
  };
}

/** In a worker: the input the parent passed (JSON in the first argument). */
export function workerInput(): unknown {
  const raw = process.argv[2];
  if (raw === undefined) throw new Error('worker started without its input argument');
  return JSON.parse(raw);
}

/** Sends `message` to the parent; resolves once it is handed to the channel (safe to exit then). */
export function sendToParent(message: unknown): Promise<void> {
  const send = process.send?.bind(process);
  if (send === undefined) return Promise.reject(new Error('worker started without an IPC channel'));
  return new Promise((resolve, reject) => {
    send(message, undefined, undefined, (error: Error | null) => {
      if (error === null) resolve();
      else reject(error);
    });
  });
}

/** The next message from the parent. */
export function nextFromParent<T>(): Promise<T> {
  return new Promise((resolve) => process.once('message', (message) => resolve(message as T)));
}
