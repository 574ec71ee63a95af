/** `kubeforge version`: the CLI's version, and where its packages come from. */
import type { CommandModule } from 'yargs';
import { kubeforgeSource } from '../project/checkout.ts';
import type { Output } from '../output.ts';

export function versionCommand(output: Output): CommandModule {
  return {
    command: 'version',
    describe: 'Print the kubeforge version',
    builder: (yargs) => yargs.example('$0 version', 'Prints e.g. "kubeforge 0.1.0"'),
    handler: () => {
      const source = kubeforgeSource();
      output.data(
        `kubeforge ${source.version}${source.checkout === undefined ? '' : ` (checkout ${source.checkout})`}\n`,
      );
    },
  };
}
