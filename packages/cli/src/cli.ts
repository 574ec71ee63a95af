/**
 * The `kubeforge` program: yargs commands, help with examples on every command, shell
 * completion, and one place that turns failures into messages and exit codes. Exit codes:
 * 0 success, 1 a command failed (the message says why and how to fix it), 2 a usage error
 * (unknown command or flag, missing or malformed option).
 */
import yargs, { type Argv } from 'yargs';
import { buildInstallerCommand } from './commands/build-installer.ts';
import { createApiCommand } from './commands/create-api.ts';
import { deployCommand, undeployCommand } from './commands/deploy.ts';
import { generateCommand } from './commands/generate.ts';
import { helmCommand } from './commands/helm.ts';
import { imageContextCommand } from './commands/image-context.ts';
import { importCommand } from './commands/import.ts';
import { initCommand } from './commands/init.ts';
import { installCommand, uninstallCommand } from './commands/install.ts';
import { installWebhooksCommand } from './commands/install-webhooks.ts';
import { manifestsCommand } from './commands/manifests.ts';
import { runCommand } from './commands/run.ts';
import { setupControlPlaneCommand } from './commands/setup-control-plane.ts';
import { versionCommand } from './commands/version.ts';
import { formatCliError, isCliError } from './errors.ts';
import { consoleOutput, type Output } from './output.ts';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Builds the yargs program; `argv` excludes the node binary and script path. */
export function createCli(argv: readonly string[], output: Output = consoleOutput()): Argv {
  return (
    yargs([...argv])
      .scriptName('kubeforge')
      .usage('$0 <command> [options]\n\nA declarative Kubernetes operator SDK for TypeScript.')
      .command(initCommand(output))
      .command(createApiCommand(output))
      .command(generateCommand(output))
      .command(manifestsCommand(output))
      .command(importCommand(output))
      .command(installWebhooksCommand(output))
      .command(runCommand(output))
      .command(installCommand(output))
      .command(uninstallCommand(output))
      .command(deployCommand(output))
      .command(undeployCommand(output))
      .command(buildInstallerCommand(output))
      .command(helmCommand(output))
      .command(imageContextCommand(output))
      .command(setupControlPlaneCommand(output))
      .command(versionCommand(output))
      .example('$0 init my-operator --domain example.com', 'Scaffold a new operator project')
      .example('$0 create api --group webapp --version v1 --kind Guestbook', 'Add a kind and its controller')
      .example('$0 generate --watch', 'Regenerate CRDs, RBAC and typed code on every save')
      .example('$0 run', 'Run the operator against the current cluster, restarting it on every save')
      .example('$0 deploy --image ghcr.io/acme/op:v1', 'Deploy the operator (config/default) to the cluster')
      .epilogue('Run `kubeforge <command> --help` for the options and examples of a command.')
      // `create api --version v1` needs the name, so the version is the `version` command.
      .version(false)
      .strict()
      .demandCommand(1, 'name a command to run')
      .recommendCommands()
      .completion(
        'completion',
        'Print a shell completion script (bash/zsh): kubeforge completion >> ~/.bashrc',
      )
      .help()
      .alias('h', 'help')
      .exitProcess(false)
      .fail((message: string | null, err: Error | undefined) => {
        throw err ?? new UsageError(message ?? 'invalid command line');
      })
      .wrap(Math.min(110, process.stdout.columns || 80))
  );
}

/** What yargs rejected: an unknown command or flag, a missing or malformed option. */
export class UsageError extends Error {
  readonly reason = 'Usage';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Runs the CLI and returns its exit code; messages go to `output`. */
export async function runCli(argv: readonly string[], output: Output = consoleOutput()): Promise<number> {
  const program = createCli(argv, output);
  try {
    await program.parseAsync();
    return EXIT_OK;
  } catch (err) {
    if (isCliError(err)) {
      output.info(formatCliError(err).trimEnd());
      return EXIT_FAILURE;
    }
    if (err instanceof UsageError) {
      const words = argv.filter((a) => !a.startsWith('-'));
      const known = [
        'init',
        'create',
        'generate',
        'manifests',
        'import',
        'install-webhooks',
        'run',
        'install',
        'uninstall',
        'deploy',
        'undeploy',
        'build-installer',
        'helm',
        'image-context',
        'setup-control-plane',
        'version',
        'completion',
      ];
      const command = known.includes(words[0] ?? '')
        ? words.slice(0, words[0] === 'create' && words[1] === 'api' ? 2 : 1).join(' ')
        : '';
      output.info(`error: ${lowerFirst(err.message).replaceAll('\n', ': ')}`);
      output.info(
        `hint: run \`kubeforge ${command === '' ? '' : `${command} `}--help\` for the options and examples`,
      );
      return EXIT_USAGE;
    }
    output.info(
      `error: unexpected failure (a kubeforge bug; please report it):\n${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
    return EXIT_FAILURE;
  }
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
