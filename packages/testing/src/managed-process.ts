/**
 * A server process started in its own process group with its output in a log file. Stopping
 * it signals the whole group, so nothing it forked survives.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

export interface ManagedProcessOptions {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly logFile: string;
  readonly env?: NodeJS.ProcessEnv;
}

export class ManagedProcess {
  readonly name: string;
  readonly logFile: string;
  readonly #child: ChildProcess;
  #exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  readonly #exited: Promise<void>;

  constructor(options: ManagedProcessOptions) {
    this.name = options.name;
    this.logFile = options.logFile;
    const log = openSync(options.logFile, 'a');
    try {
      this.#child = spawn(options.command, options.args, {
        detached: true,
        stdio: ['ignore', log, log],
        env: options.env ?? process.env,
      });
    } finally {
      closeSync(log);
    }
    // The test process must be able to exit while servers run; stop() or the watchdog ends them.
    this.#child.unref();
    this.#exited = new Promise((resolve) => {
      this.#child.once('exit', (code, signal) => {
        this.#exit = { code, signal };
        resolve();
      });
      this.#child.once('error', (error) => {
        this.#exit = { code: null, signal: null };
        console.error(`[kubeforge/testing] ${this.name} failed to start: ${error.message}`);
        resolve();
      });
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Set once the process has exited: its exit code or the signal that ended it. */
  get exitStatus(): { code: number | null; signal: NodeJS.Signals | null } | undefined {
    return this.#exit;
  }

  get exited(): Promise<void> {
    return this.#exited;
  }

  /** The last `lines` lines of the process's log. */
  logTail(lines = 40): string {
    try {
      return readFileSync(this.logFile, 'utf8')
        .split('\n')
        .slice(-lines - 1)
        .join('\n');
    } catch {
      return '';
    }
  }

  /**
   * SIGTERM to the process group, SIGKILL after `graceMs` (at once when `graceMs <= 0`);
   * resolves once the process has exited.
   */
  async stop(graceMs = 5_000): Promise<void> {
    if (this.#exit) return;
    if (graceMs <= 0) {
      this.#signalGroup('SIGKILL');
      await this.#exited;
      return;
    }
    this.#signalGroup('SIGTERM');
    const timer = setTimeout(() => this.#signalGroup('SIGKILL'), graceMs);
    try {
      await this.#exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Immediate SIGKILL of the process group, usable from synchronous exit handlers. */
  killNow(): void {
    if (!this.#exit) this.#signalGroup('SIGKILL');
  }

  #signalGroup(signal: NodeJS.Signals): void {
    const pid = this.#child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // The group is already gone.
    }
  }
}
