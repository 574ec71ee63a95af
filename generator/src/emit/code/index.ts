/** code: the typed layer generated for each kind (constants, client, lister, informer, guard) and the registry. */
export { emitCode, generatedCodeDir, generatedCodeHeader } from './emit-code.ts';
