/**
 * Running what a user types: command lines through bash (pipes, quotes and redirections as
 * in the docs), with captured output and exit codes, plus background processes that are
 * stopped through their whole process group.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface ShellResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ShellOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly input?: string;
  readonly timeoutMs?: number;
}

/** Runs `commandLine` with bash; never rejects for a non-zero exit (see `code`). */
export function sh(commandLine: string, options: ShellOptions): Promise<ShellResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-o', 'pipefail', '-c', commandLine], {
      cwd: options.cwd,
      env: options.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      detached: true,
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      killGroup(child, 'SIGKILL');
      stderr += `\n[killed after ${options.timeoutMs ?? 0} ms]`;
    }, options.timeoutMs ?? 300_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}

/** Like {@link sh}, but rejects with the output when the exit code is not 0. */
export async function shOk(commandLine: string, options: ShellOptions): Promise<ShellResult> {
  const result = await sh(commandLine, options);
  if (result.code !== 0) {
    throw new Error(
      `\`${commandLine}\` exited with ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
    );
  }
  return result;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** A long-running command whose output is collected while it runs. */
export interface Background {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves when a line of output matches `pattern`. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** SIGTERM to the process group, SIGKILL after `graceMs`; resolves with the exit code once all output is in. */
  stop(graceMs?: number): Promise<number | null>;
}

export function background(commandLine: string, options: ShellOptions): Background {
  const child = spawn('bash', ['-c', `exec ${commandLine}`], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const listeners = new Set<() => void>();
  const append = (chunk: string): void => {
    output += chunk;
    for (const listener of listeners) listener();
  };
  child.stdout.setEncoding('utf8').on('data', append);
  child.stderr.setEncoding('utf8').on('data', append);
  // 'close' waits for every process holding the output pipes (e.g. node under `npm start`).
  const closed = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    waitForOutput(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const line = output.split('\n').find((l) => pattern.test(l));
          if (line === undefined) return;
          cleanup();
          resolve(line);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `no output matching ${String(pattern)} within ${timeoutMs} ms; output:\n${output.slice(-4000)}`,
            ),
          );
        }, timeoutMs);
        const onExit = (): void => {
          cleanup();
          reject(
            new Error(
              `\`${commandLine}\` exited before printing ${String(pattern)}; output:\n${output.slice(-4000)}`,
            ),
          );
        };
        const cleanup = (): void => {
          clearTimeout(timer);
          listeners.delete(check);
          child.off('exit', onExit);
        };
        listeners.add(check);
        child.once('exit', onExit);
        check();
      });
    },
    async stop(graceMs = 20_000) {
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
      const code = await closed;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Polls `check` every 200 ms until it returns a value other than `undefined`. */
export async function eventually<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`, { cause: lastError });
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('could not allocate a port');
  return address.port;
}
