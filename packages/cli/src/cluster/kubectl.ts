/**
 * kubectl as the CLI's way to a cluster: it renders kustomizations (`kubectl kustomize`, built
 * in since 1.14) and applies or deletes rendered objects, with the user's kubeconfig, context
 * and credentials plugins exactly as they use them by hand. Every failure is a
 * {@link CliError} naming the missing prerequisite (no kubectl, no reachable cluster) or the
 * command that failed with kubectl's own message.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { CliError } from '../errors.ts';

export interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The kubectl to run: `KUBECTL` if set, else the first on PATH; undefined when there is none. */
export function findKubectl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.KUBECTL !== undefined && env.KUBECTL !== '') return env.KUBECTL;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    try {
      accessSync(join(dir, 'kubectl'), constants.X_OK);
      return join(dir, 'kubectl');
    } catch {
      // not here
    }
  }
  return undefined;
}

export function requireKubectl(): string {
  const kubectl = findKubectl();
  if (kubectl === undefined) {
    throw new CliError('MissingPrerequisite', 'kubectl was not found on PATH', {
      hint: 'install kubectl 1.14 or newer (it renders the kustomize tree and talks to the cluster), or set KUBECTL to its path',
    });
  }
  return kubectl;
}

/** Runs kubectl with `args`, feeding `input` on stdin; resolves whatever the exit code. */
export function kubectl(args: readonly string[], input?: string, cwd?: string): Promise<KubectlResult> {
  const command = requireKubectl();
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      cwd,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdin?.on('error', () => {
      // kubectl exited before reading everything; its exit code and stderr say why.
    });
    child.on('error', (err) =>
      reject(
        new CliError('MissingPrerequisite', `could not run ${command}: ${err.message}`, {
          hint: 'check that kubectl is installed and executable, or set KUBECTL to its path',
          cause: err,
        }),
      ),
    );
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** `kubectl kustomize <dir>`: the objects a kustomization renders to, as YAML. */
export async function kustomize(dir: string, label: string): Promise<string> {
  const result = await kubectl(['kustomize', dir]);
  if (result.code !== 0) {
    throw new CliError('InvalidInput', `${label} does not render: kubectl kustomize failed`, {
      details: indent(result.stderr),
      hint: `fix the kustomization (try \`kubectl kustomize ${label}\`), then run the command again`,
    });
  }
  return result.stdout;
}

/**
 * Fails with `MissingPrerequisite` unless the current context's API server answers. `/version`
 * is readable by anyone who can authenticate, so this tests the connection, not permissions.
 */
export async function requireCluster(): Promise<void> {
  const result = await kubectl(['get', '--raw', '/version', '--request-timeout=15s']);
  if (result.code !== 0) {
    const context = await kubectl(['config', 'current-context']);
    const where =
      context.code === 0
        ? `the current kubeconfig context "${context.stdout.trim()}"`
        : 'no current kubeconfig context';
    throw new CliError('MissingPrerequisite', `no cluster answers (${where})`, {
      details: indent(result.stderr),
      hint: 'point kubectl at a cluster (KUBECONFIG, `kubectl config use-context <name>`) and check `kubectl get --raw /version`',
    });
  }
}

/** Applies a YAML stream (`kubectl apply -f -`, client-side apply). */
export async function applyStream(yaml: string, what: string): Promise<string> {
  const result = await kubectl(['apply', '-f', '-'], yaml);
  if (result.code !== 0) {
    throw new CliError('CommandFailed', `applying ${what} failed`, {
      details: indent(`${result.stdout}${result.stderr}`),
      hint: 'objects listed above as created/configured were applied; fix the error and run the command again (apply is idempotent)',
    });
  }
  return result.stdout;
}

/**
 * Deletes the objects of a YAML stream; objects already gone are fine. It does not wait for
 * finalizers (a Namespace is removed by the cluster's namespace controller in its own time).
 */
export async function deleteStream(yaml: string, what: string): Promise<string> {
  const result = await kubectl(['delete', '--ignore-not-found', '--wait=false', '-f', '-'], yaml);
  if (result.code !== 0) {
    throw new CliError('CommandFailed', `deleting ${what} failed`, {
      details: indent(`${result.stdout}${result.stderr}`),
      hint: 'objects listed above as deleted are gone; fix the error and run the command again',
    });
  }
  return result.stdout;
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
