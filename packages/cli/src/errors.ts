/**
 * Errors the CLI reports to its user. Every failure a user can cause or fix is a
 * {@link CliError}: a reason (stable, for tests and scripts), a message saying what went wrong
 * and a hint saying how to fix it. Anything else is a bug and is printed with its stack.
 */

export type CliErrorReason =
  /** A flag or argument has an invalid value (bad group, version, kind, path...). */
  | 'InvalidArgument'
  /** The command needs a kubeforge project and none was found. */
  | 'NotInProject'
  /** A file the command would create already exists. */
  | 'FileExists'
  /** The project's API types have errors; the generator's diagnostics say which. */
  | 'GenerateFailed'
  /** `generate --check` found generated files that are out of date. */
  | 'OutOfDate'
  /** An input file (a CRD, the project file) is malformed. */
  | 'InvalidInput'
  /** A child process (npm, the setup script) failed. */
  | 'CommandFailed'
  /** Something the command needs is missing: kubectl, a reachable cluster, CRDs, an image name. */
  | 'MissingPrerequisite';

export interface CliErrorInit {
  readonly hint?: string;
  /** Preformatted detail printed after the message (diagnostics, a child's output). */
  readonly details?: string;
  readonly cause?: unknown;
}

export class CliError extends Error {
  readonly reason: CliErrorReason;
  readonly hint: string | undefined;
  readonly details: string | undefined;

  constructor(reason: CliErrorReason, message: string, init: CliErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'CliError';
    this.reason = reason;
    this.hint = init.hint;
    this.details = init.details;
  }
}

export function isCliError(err: unknown): err is CliError {
  return err instanceof CliError;
}

/** The text printed for a failed command: `error: <message>`, details, then `hint: ...`. */
export function formatCliError(err: CliError): string {
  const lines = [`error: ${err.message}`];
  if (err.details !== undefined && err.details.trim() !== '') lines.push(err.details.trimEnd());
  if (err.hint !== undefined) lines.push(`hint: ${err.hint}`);
  return `${lines.join('\n')}\n`;
}
