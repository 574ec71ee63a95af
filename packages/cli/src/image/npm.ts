/**
 * npm run for its result, output captured: a failure becomes a `CommandFailed` error carrying
 * npm's own message, instead of npm's output interleaved with ours.
 */
import { spawn } from 'node:child_process';
import { CliError } from '../errors.ts';

/** Runs `command args` in `cwd`; resolves with stdout, rejects with stderr on a non-zero exit. */
export function captured(command: string, args: readonly string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (err) =>
      reject(new CliError('CommandFailed', `could not run ${command}: ${err.message}`, { cause: err })),
    );
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else
        reject(
          new CliError(
            'CommandFailed',
            `\`npm ${args.filter((a) => !a.endsWith('.js')).join(' ')}\` failed in ${cwd}`,
            {
              details: stderr
                .trimEnd()
                .split('\n')
                .slice(-20)
                .map((l) => `  ${l}`)
                .join('\n'),
              hint: 'npm says why above; with --prefer-offline it uses the registry only for packages not in its cache',
            },
          ),
        );
    });
  });
}
