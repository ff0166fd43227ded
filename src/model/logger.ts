// What the core logs through: one event per call with its context. The implementation is the application's
// (src/app/log.ts); the core only knows this shape, so tests and front ends can pass their own.
export interface Logger {
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}
