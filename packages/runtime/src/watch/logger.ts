/**
 * The logging contract of the runtime. Components take a {@link Logger} and log structured
 * fields; plug any logging library in (pino's `logger.child(...)` satisfies it once wrapped
 * as `{ debug: (msg, f) => p.debug(f, msg), ... }`). The default writes warnings and errors to
 * stderr as one JSON line each.
 */

/** Structured context attached to a log line (resource, namespace, error, counts...). */
export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** Turns an error (or anything thrown) into plain, JSON-serialisable fields. */
export function errorFields(err: unknown): Record<string, unknown> {
  if (err instanceof Error) {
    const fields: Record<string, unknown> = { name: err.name, message: err.message };
    const extra = err as Error & { reason?: unknown; code?: unknown };
    if (extra.reason !== undefined) fields.reason = extra.reason;
    if (extra.code !== undefined) fields.code = extra.code;
    if (err.cause !== undefined) fields.cause = errorFields(err.cause);
    return fields;
  }
  return { message: String(err) };
}

function serialise(level: string, message: string, fields: LogFields | undefined): string {
  const line: Record<string, unknown> = { level, time: new Date().toISOString(), msg: message };
  for (const [k, v] of Object.entries(fields ?? {})) {
    line[k] = v instanceof Error ? errorFields(v) : v;
  }
  try {
    return JSON.stringify(line);
  } catch {
    return JSON.stringify({ level, time: line.time, msg: message, fields: '[unserialisable]' });
  }
}

/** Warnings and errors as JSON lines on stderr; debug and info are dropped. */
const ignore = (): void => undefined;

export const defaultLogger: Logger = {
  debug: ignore,
  info: ignore,
  warn: (message, fields) => process.stderr.write(serialise('warn', message, fields) + '\n'),
  error: (message, fields) => process.stderr.write(serialise('error', message, fields) + '\n'),
};

/** Discards everything (tests that assert on counters instead of log lines). */
export const silentLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
