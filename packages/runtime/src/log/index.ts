/** log: the runtime's structured logging contract, a pino-backed JSON logger and a no-op one. */
export {
  createLogger,
  fromPino,
  noopLogger,
  defaultLogger,
  errorFields,
  type Logger,
  type LogFields,
  type LogLevel,
  type LoggerOptions,
} from './logger.ts';
