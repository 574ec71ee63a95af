/**
 * `kubeforge install-webhooks`: points a development cluster's API server at the webhooks of
 * an operator running on this machine (`npm start`), where no Service routes to it. It issues
 * a CA and a serving certificate for 127.0.0.1 and localhost (valid for a day) into the
 * directory the operator reads them from, and installs `config/webhook/manifests.yaml` with
 * every webhook's `clientConfig` rewritten to `https://127.0.0.1:<port><path>` and the CA
 * bundle; CRDs generated with a conversion webhook are pointed at `<url>/convert`. This is
 * `@kubeforge/testing`'s `installWebhooks` for a user at a terminal; in a cluster,
 * `config/default` with the `webhook` component is the way.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { CliError } from '../errors.ts';
import type { Output } from '../output.ts';
import { loadProject } from '../project/project-file.ts';

/** controller-runtime's defaults, which the operator's `src/main.ts` uses too. */
export const defaultWebhookPort = 9443;
export const defaultCertDir = '/tmp/k8s-webhook-server/serving-certs';

export interface InstallWebhooksOptions {
  readonly cwd: string;
  readonly port: number;
  readonly certDir: string;
  readonly output: Output;
}

const manifestsPath = 'config/webhook/manifests.yaml';
const crdBases = 'config/crd/bases';

/**
 * The CRDs of the project generated with a conversion webhook (`strategy: Webhook`). The
 * generator writes one CRD per file, its name as `metadata.name`.
 */
function conversionCRDs(root: string): string[] {
  const dir = join(root, crdBases);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => readFileSync(join(dir, file), 'utf8'))
    .filter((crd) => /^\s+strategy: Webhook$/m.test(crd))
    .map((crd) => /^metadata:\n(?:\s+.*\n)*?\s+name: (\S+)$/m.exec(crd)?.[1] ?? '')
    .filter((name) => name !== '');
}

export async function installLocalWebhooks(options: InstallWebhooksOptions): Promise<void> {
  const project = loadProject(options.cwd);
  const manifests = join(project.root, manifestsPath);
  if (!existsSync(manifests)) {
    throw new CliError('InvalidInput', `${manifestsPath} does not exist: the project has no webhooks`, {
      hint: 'add one first, e.g. kubeforge create webhook --group <group> --version <version> --kind <Kind> --validation',
    });
  }
  const { installWebhooks, issueLoopbackCertificates } = await import('@kubeforge/testing');
  const { loadKubeConfig } = await import('@kubeforge/runtime');
  const certificates = issueLoopbackCertificates();
  const crds = conversionCRDs(project.root);
  let installed;
  try {
    installed = await installWebhooks(loadKubeConfig(), {
      configurations: [manifests],
      conversionCRDs: crds,
      port: options.port,
      certificates,
    });
  } catch (err) {
    throw new CliError('CommandFailed', `installing the webhooks failed: ${(err as Error).message}`, {
      hint: 'check that kubectl reaches the cluster (the current context of your kubeconfig)',
      cause: err,
    });
  }
  // The operator reads the pair from certDir; the copy installWebhooks made is not needed.
  rmSync(installed.certDir, { recursive: true, force: true });
  mkdirSync(options.certDir, { recursive: true });
  writeFileSync(join(options.certDir, 'tls.crt'), certificates.cert);
  writeFileSync(join(options.certDir, 'tls.key'), certificates.key, { mode: 0o600 });
  writeFileSync(join(options.certDir, 'ca.crt'), certificates.ca);
  options.output.info(
    [
      `Installed the webhooks of ${manifestsPath}, pointed at ${installed.url}${crds.length === 0 ? '' : ` (conversion of ${crds.join(', ')} too)`}.`,
      `  wrote ${join(options.certDir, 'tls.crt')}, tls.key and ca.crt (a CA and a certificate for 127.0.0.1, valid for a day)`,
      '',
      'Next: start the operator on this machine (npm start); it serves its webhooks there.',
      'Run this command again after a change to the webhook markers, or the next day.',
    ].join('\n'),
  );
}

interface InstallWebhooksArgs {
  readonly port: number;
  readonly 'cert-dir': string;
}

export function installWebhooksCommand(output: Output): CommandModule<object, InstallWebhooksArgs> {
  return {
    command: 'install-webhooks',
    describe: 'Point the cluster at the webhooks of the operator running on this machine',
    builder: (yargs) =>
      yargs
        .option('port', {
          type: 'number',
          default: Number(process.env.WEBHOOK_PORT ?? defaultWebhookPort),
          describe: 'The port the operator serves its webhooks on (WEBHOOK_PORT)',
        })
        .option('cert-dir', {
          type: 'string',
          default: process.env.WEBHOOK_CERT_DIR ?? defaultCertDir,
          describe: 'Where the operator reads tls.crt and tls.key (WEBHOOK_CERT_DIR)',
        })
        .example('$0 install-webhooks', 'Then `npm start`: the API server calls it at https://127.0.0.1:9443')
        .epilogue(
          'For development clusters that reach this machine at 127.0.0.1 (the local control plane, kind with host networking). Installs config/webhook/manifests.yaml with a URL and a CA bundle instead of the Service, and writes the serving certificate where the operator reads it.',
        ),
    handler: async (args) => {
      if (!Number.isInteger(args.port) || args.port < 1 || args.port > 65535) {
        throw new CliError('InvalidArgument', `--port ${String(args.port)} is not a port number`, {
          hint: 'give the port the operator serves its webhooks on, e.g. --port 9443',
        });
      }
      await installLocalWebhooks({ cwd: process.cwd(), port: args.port, certDir: args['cert-dir'], output });
    },
  };
}
