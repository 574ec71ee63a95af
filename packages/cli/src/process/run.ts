/**
 * Child processes whose output the user watches (npm install, the control plane setup
 * script). Output goes straight to the terminal so progress stays visible; a non-zero exit
 * becomes a `CommandFailed` error naming the command and how to retry it.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { CliError } from '../errors.ts';

export interface VisibleCommand {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** What to tell the user to run by hand if it fails. */
  readonly retryHint: string;
  /** Where the child's stdout goes: the terminal's stdout, or stderr (keeps stdout clean for pipes). */
  readonly stdout?: 'stdout' | 'stderr';
}

export async function runVisible(spec: VisibleCommand): Promise<void> {
  const display = [spec.command, ...spec.args].join(' ');
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      stdio: ['inherit', spec.stdout === 'stderr' ? process.stderr : 'inherit', 'inherit'],
    });
    const forward = (signal: NodeJS.Signals): void => {
      child.kill(signal);
    };
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', (err) => {
      reject(
        new CliError('CommandFailed', `could not run ${display}: ${err.message}`, {
          hint: spec.retryHint,
          cause: err,
        }),
      );
    });
    child.on('close', (status, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(status ?? (signal === null ? 1 : 128));
    });
  });
  if (code !== 0) {
    throw new CliError('CommandFailed', `${display} failed with exit code ${code} (in ${spec.cwd})`, {
      hint: spec.retryHint,
    });
  }
}

/** The first `name` on PATH, symlinks resolved. */
function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return realpathSync(candidate);
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * How to run npm: its CLI script on this process's Node (the npm that runs us, else the npm on
 * PATH), so npm and the scripts it runs see the same Node as kubeforge; `npm` as a last resort.
 */
export function npmCommand(): { readonly command: string; readonly prefix: readonly string[] } {
  const script = process.env.npm_execpath ?? onPath('npm');
  if (script?.endsWith('npm-cli.js')) return { command: process.execPath, prefix: [script] };
  return { command: 'npm', prefix: [] };
}
