/**
 * `kubeforge setup-control-plane`: installs the etcd and kube-apiserver binaries that
 * @kubeforge/testing starts, by running the testing package's setup script with its progress
 * visible. Idempotent: the script returns at once when the binaries are in place.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { CommandModule } from 'yargs';
import { CliError } from '../errors.ts';
import type { Output } from '../output.ts';
import { runVisible } from '../process/run.ts';

/** The setup script shipped in @kubeforge/testing's `scripts/`. */
export function setupScriptPath(): string {
  const require = createRequire(import.meta.url);
  let manifest: string;
  try {
    manifest = require.resolve('@kubeforge/testing/package.json');
  } catch (err) {
    throw new CliError('CommandFailed', '@kubeforge/testing is not installed next to the CLI', {
      hint: 'install it with `npm install --save-dev @kubeforge/testing` (kubeforge init adds it)',
      cause: err,
    });
  }
  return join(dirname(manifest), 'scripts', 'setup-control-plane.sh');
}

export async function setupControlPlane(output: Output): Promise<void> {
  const script = setupScriptPath();
  if (!existsSync(script)) {
    throw new CliError('CommandFailed', `the control plane setup script is missing: ${script}`, {
      hint: 'reinstall @kubeforge/testing',
    });
  }
  output.info(
    'Setting up the local control plane (etcd + kube-apiserver); the first run builds kube-apiserver and takes a few minutes.',
  );
  await runVisible({
    command: 'bash',
    args: [script],
    cwd: process.cwd(),
    retryHint:
      'the log above shows the failing step; fix it and run `kubeforge setup-control-plane` again (it resumes)',
  });
  output.info('The local control plane is ready: tests using @kubeforge/testing can start it.');
}

export function setupControlPlaneCommand(output: Output): CommandModule {
  return {
    command: 'setup-control-plane',
    describe: 'Install the local control plane (etcd + kube-apiserver) used by tests and the demo',
    builder: (yargs) =>
      yargs
        .example('$0 setup-control-plane', 'Install once; later runs return immediately')
        .example(
          'KUBEFORGE_CONTROL_PLANE_DIR=/opt/kube $0 setup-control-plane',
          'Install into a chosen directory (tests read the same variable)',
        )
        .epilogue('Needs root or sudo for apt-get. Binaries are cached in ~/.cache/kubeforge/control-plane.'),
    handler: async () => {
      await setupControlPlane(output);
    },
  };
}
