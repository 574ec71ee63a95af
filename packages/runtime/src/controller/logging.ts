/** A logger that adds fixed fields to every line. */
import type { LogFields, Logger } from '../log/logger.ts';

export function withFields(logger: Logger, fields: LogFields): Logger {
  return logger.child(fields);
}
