/**
 * Child processes for the demo: commands echoed as `$ ...` before they run (so the demo reads
 * like a terminal session), their output shown live, and the operator's JSON log lines
 * condensed to one readable line each.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface RunOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Text for standard input. */
  readonly input?: string;
  /** Collect stdout instead of showing it. */
  readonly capture?: boolean;
  /** What to print instead of the real command line (e.g. `kubeforge init ...`). */
  readonly display?: string;
  readonly quiet?: boolean;
}

export class CommandError extends Error {
  readonly reason = 'CommandFailed';
  constructor(message: string) {
    super(message);
    this.name = 'CommandError';
  }
}

/** Runs a command to completion; rejects with {@link CommandError} on a non-zero exit. */
export async function run(command: string, args: readonly string[], options: RunOptions): Promise<string> {
  const display = options.display ?? [command, ...args].join(' ');
  if (options.quiet !== true) console.log(`\n$ ${display}`);
  const child = spawn(command, [...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: [
      options.input === undefined ? 'ignore' : 'pipe',
      options.capture === true ? 'pipe' : 'inherit',
      'inherit',
    ],
  });
  if (options.input !== undefined) child.stdin?.end(options.input);
  let stdout = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const code = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => resolve(status ?? 1));
  });
  if (code !== 0) throw new CommandError(`\`${display}\` exited with code ${code}`);
  return stdout;
}

interface LogLine {
  readonly level?: string;
  readonly msg?: string;
  readonly controller?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly configMap?: string;
}

/** `[operator] info  configmap created  website demo-x/hello configMap=hello-site`. */
export function condenseLogLine(line: string): string {
  let parsed: LogLine;
  try {
    parsed = JSON.parse(line) as LogLine;
  } catch {
    return `[operator] ${line}`;
  }
  const object =
    parsed.name === undefined ? '' : ` ${parsed.controller ?? ''} ${parsed.namespace ?? ''}/${parsed.name}`;
  const extra = parsed.configMap === undefined ? '' : ` configMap=${parsed.configMap}`;
  return `[operator] ${(parsed.level ?? '').padEnd(5)} ${parsed.msg ?? line}${object}${extra}`;
}

/** Starts a long-running process whose output lines go through `format`. */
export function start(
  command: string,
  args: readonly string[],
  options: RunOptions,
  format: (line: string) => string,
): ChildProcess {
  console.log(`\n$ ${options.display ?? [command, ...args].join(' ')} &`);
  const child = spawn(command, [...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => console.log(format(line)));
  }
  return child;
}

/** Sends SIGTERM and waits for the exit, escalating to SIGKILL after `graceMs`. */
export async function stopProcess(child: ChildProcess, graceMs: number): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

/** Polls `check` until it returns a value, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new CommandError(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
