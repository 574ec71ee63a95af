/** @kubeforge/cli: the `kubeforge` command line. */
export { createCli } from './cli.ts';
