/**
 * Structured logging for operators and the runtime itself: the {@link Logger} contract every
 * component takes, a pino-backed implementation that writes one JSON object per line, the
 * stderr fallback components use when given no logger, and a no-op logger. Plug another
 * logging library in by implementing the five methods (see {@link fromPino}).
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

/**
 * Turns an error (or anything thrown) into plain, JSON-serialisable fields. A thrown value
 * that is no Error keeps its type and value: `throw undefined` logs
 * `{"message":"non-Error thrown: undefined","thrownType":"undefined"}`, `throw { code: 7 }`
 * logs `thrownType: "object"` and `value: {"code":7}`.
 */
export function errorFields(err: unknown): Record<string, unknown> {
  if (err instanceof Error) {
    const fields: Record<string, unknown> = { name: err.name, message: err.message };
    const extra = err as Error & { reason?: unknown; code?: unknown };
    if (extra.reason !== undefined) fields.reason = extra.reason;
    if (extra.code !== undefined) fields.code = extra.code;
    if (err.cause !== undefined) fields.cause = errorFields(err.cause);
    return fields;
  }
  return thrownValueFields(err);
}

/** Longest rendering of a thrown non-Error value kept in logs. */
const MAX_VALUE_LENGTH = 500;

function thrownValueFields(value: unknown): Record<string, unknown> {
  const thrownType =
    value === null
      ? 'null'
      : typeof value === 'object'
        ? ((Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name ??
          'object')
        : typeof value;
  let rendered: string;
  if (typeof value === 'string') rendered = JSON.stringify(value);
  else if (typeof value === 'object' && value !== null) {
    try {
      rendered = JSON.stringify(value);
    } catch {
      rendered = `[unserialisable ${thrownType}]`; // cycles, BigInt members
    }
  } else rendered = String(value);
  if (rendered.length > MAX_VALUE_LENGTH) rendered = `${rendered.slice(0, MAX_VALUE_LENGTH)}...`;
  return {
    message: `non-Error thrown: ${rendered}`,
    thrownType,
    ...(typeof value === 'object' && value !== null ? { value: rendered } : {}),
  };
}

/**
 * What runtime components log to when they are given no logger: warnings and errors as JSON
 * lines on stderr, so failures are never silent; debug and info are dropped.
 */
export const defaultLogger: Logger = createLogger({
  level: 'warn',
  destination: pino.destination({ dest: 2, sync: true }),
});

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
