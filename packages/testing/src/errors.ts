/** Why a control plane could not be started or used. `logTail` holds the last lines the failing server printed. */
export class ControlPlaneError extends Error {
  override readonly name = 'ControlPlaneError';
  readonly logTail: string | undefined;

  constructor(message: string, options: { cause?: unknown; logTail?: string } = {}) {
    const tail = options.logTail?.trim();
    super(tail ? `${message}\n--- last lines of the log ---\n${tail}` : message, { cause: options.cause });
    this.logTail = tail;
  }
}
