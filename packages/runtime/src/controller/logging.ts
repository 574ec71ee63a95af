/** A logger that adds fixed fields to every line (a child logger over the Logger contract). */
import type { LogFields, Logger } from '../watch/logger.ts';

export function withFields(logger: Logger, fields: LogFields): Logger {
  const merge = (extra: LogFields | undefined): LogFields =>
    extra === undefined ? fields : { ...fields, ...extra };
  const child = (logger as Logger & { child?: (f: LogFields) => Logger }).child;
  if (typeof child === 'function') return child.call(logger, fields);
  return {
    debug: (message, extra) => logger.debug(message, merge(extra)),
    info: (message, extra) => logger.info(message, merge(extra)),
    warn: (message, extra) => logger.warn(message, merge(extra)),
    error: (message, extra) => logger.error(message, merge(extra)),
  };
}
