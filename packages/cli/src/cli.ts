import { createRequire } from 'node:module';
import yargs, { type Argv } from 'yargs';

const require = createRequire(import.meta.url);
const { version } = require('../package.json') as { version: string };

/** Builds the yargs program; `argv` excludes the node binary and script path. */
export function createCli(argv: readonly string[]): Argv {
  return yargs([...argv])
    .scriptName('kubeforge')
    .usage('$0 <command> [options]\n\nA declarative Kubernetes operator SDK for TypeScript.')
    .command(
      'version',
      'Print the kubeforge version',
      (y) => y,
      () => {
        console.log(version);
      },
    )
    .version(version)
    .strict()
    .demandCommand(1, 'Name a command to run; see the list above.')
    .recommendCommands()
    .completion('completion', 'Print a shell completion script (bash/zsh)')
    .help()
    .alias('h', 'help')
    .wrap(Math.min(110, process.stdout.columns || 80));
}
