/**
 * Where commands report progress. Messages go to stderr so stdout stays clean for data
 * (`kubeforge manifests --stdout | kubectl apply -f -`); `data` writes to stdout.
 */
export interface Output {
  /** Progress and results for the user (stderr). */
  info(message: string): void;
  /** A problem that does not stop the command (stderr, prefixed `warning:`). */
  warn(message: string): void;
  /** Machine-readable output (stdout). */
  data(text: string): void;
}

export function consoleOutput(): Output {
  return {
    info: (message) => process.stderr.write(`${message}\n`),
    warn: (message) => process.stderr.write(`warning: ${message}\n`),
    data: (text) => process.stdout.write(text),
  };
}

/** Collects messages in memory, for tests. */
export function memoryOutput(): Output & { readonly lines: string[]; readonly stdout: string[] } {
  const lines: string[] = [];
  const stdout: string[] = [];
  return {
    lines,
    stdout,
    info: (message) => lines.push(message),
    warn: (message) => lines.push(`warning: ${message}`),
    data: (text) => stdout.push(text),
  };
}
