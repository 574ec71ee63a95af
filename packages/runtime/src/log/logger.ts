/**
 * Structured logging for operators: a tiny {@link Logger} contract, a pino-backed
 * implementation that writes one JSON object per line, and a no-op logger. The contract is
 * a superset of the watcher's (`{ debug, info, warn, error }(message, fields?)`), so any
 * logger created here can be handed to every runtime component.
 */
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

/** Structured context attached to a log line (resource, namespace, error, counts...). */
export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /**
   * A logger that adds `bindings` to every line, e.g. `{ controller, namespace, name,
   * reconcileID }` for one reconcile. Fields given per call win over bindings.
   */
  child(bindings: LogFields): Logger;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface LoggerOptions {
  /** Lines below this level are dropped (default `info`, or `$LOG_LEVEL` when it names a level). */
  readonly level?: LogLevel;
  /** Added to every line as `logger` (not `name`, which log lines use for object names). */
  readonly name?: string;
  /** Fields added to every line (like `child`, at the root). */
  readonly bindings?: LogFields;
  /** Where lines go (default stdout). Anything with `write(line: string)`. */
  readonly destination?: DestinationStream;
}

const levels: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

function isLogLevel(value: string | undefined): value is LogLevel {
  return levels.includes(value as LogLevel);
}

/**
 * A JSON logger: `{"level":"info","time":"2024-01-02T15:04:05.123Z","name":"...","msg":"...",...fields}`.
 * Errors in any field are serialised with their type, message, stack and cause.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const envLevel = process.env.LOG_LEVEL;
  const level = options.level ?? (isLogLevel(envLevel) ? envLevel : 'info');
  const base = pino(
    {
      level,
      base: options.name === undefined ? null : { logger: options.name },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: serialiseErrors,
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
  return fromPino(options.bindings === undefined ? base : base.child(serialiseErrors(options.bindings)));
}

/** Adapts an existing pino logger (its level, destination and bindings are kept). */
export function fromPino(logger: PinoLogger): Logger {
  const write =
    (method: 'debug' | 'info' | 'warn' | 'error') =>
    (message: string, fields?: LogFields): void => {
      if (fields === undefined) logger[method](message);
      else logger[method](fields, message);
    };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (bindings) => fromPino(logger.child(serialiseErrors(bindings))),
  };
}

const ignore = (): void => undefined;

/** Discards everything. */
export const noopLogger: Logger = {
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
  child: () => noopLogger,
};

function serialiseErrors(fields: LogFields): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(fields)) {
    if (value instanceof Error) {
      out ??= { ...fields };
      out[key] = pino.stdSerializers.errWithCause(value);
    }
  }
  return out ?? { ...fields };
}
