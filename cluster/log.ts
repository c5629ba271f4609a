import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

// Structured logging: `log.info(msg, fields)`, `log.child({ node })` adds context. Entry points
// choose the sink; libraries receive a Logger and tests pass `nullLogger`.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export interface LogRecord extends LogFields {
  time: string;
  level: LogLevel;
  msg: string;
}

export type LogSink = (record: LogRecord) => void;

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(options: {
  sinks: LogSink[];
  level?: LogLevel;
  fields?: LogFields;
  now?: () => Date;
}): Logger {
  const minimum = order[options.level ?? 'info'];
  const now = options.now ?? (() => new Date());
  const make = (context: LogFields): Logger => {
    const write = (level: LogLevel) => (msg: string, fields?: LogFields) => {
      if (order[level] < minimum) return;
      const record: LogRecord = { time: now().toISOString(), level, msg, ...context, ...fields };
      for (const sink of options.sinks) sink(record);
    };
    return {
      debug: write('debug'),
      info: write('info'),
      warn: write('warn'),
      error: write('error'),
      child: (fields) => make({ ...context, ...fields }),
    };
  };
  return make(options.fields ?? {});
}

/** JSON lines appended to a file (the installation's `logs/` folder). */
export function fileSink(path: string): LogSink {
  mkdirSync(dirname(path), { recursive: true });
  return (record) => appendFileSync(path, `${JSON.stringify(record)}\n`);
}

/** One readable line per record, for a terminal. */
export function consoleSink(stream: NodeJS.WritableStream = process.stderr): LogSink {
  return ({ time, level, msg, ...fields }) => {
    const extra = Object.entries(fields)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    stream.write(`${time.slice(11, 19)} ${level.padEnd(5)} ${msg}${extra ? ` ${extra}` : ''}\n`);
  };
}

export const nullLogger: Logger = createLogger({ sinks: [] });
