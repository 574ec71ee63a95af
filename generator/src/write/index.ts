/** The writer: the one place generated output reaches the disk. */
export { OutputPathError, writeOutputs, type WriteOptions, type WriteResult } from './write-outputs.ts';
