/** @kubeforge/cli: the `kubeforge` command line, usable as a library for scripts and tests. */
export { createCli, runCli, EXIT_OK, EXIT_FAILURE, EXIT_USAGE } from './cli.ts';
export { CliError, isCliError, formatCliError, type CliErrorReason } from './errors.ts';
export { consoleOutput, memoryOutput, type Output } from './output.ts';
export { initProject, type InitOptions } from './commands/init.ts';
