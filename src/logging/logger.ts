import { pino } from 'pino';

/** The logger every module receives (pino's interface). */
export type Logger = pino.Logger;

/** Paths whose values never reach a log line. */
export const REDACTED_PATHS = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'clientSecret',
  '*.clientSecret',
  'client_secret',
  '*.client_secret',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'refresh_token',
  '*.refresh_token',
  'password',
  '*.password',
];

/**
 * Creates the process logger: JSON lines on stderr (stdout stays free for command output),
 * with secrets redacted.
 */
export function createLogger(
  level: string,
  destination: pino.DestinationStream = pino.destination(2),
): Logger {
  return pino(
    { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { app: 'portalops' } },
    destination,
  );
}

/** A logger that drops everything (tests, `--json` runs). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
