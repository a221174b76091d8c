// The one shape of a logger every module that writes log lines takes: pino's (and so Probot's) call
// forms, details first or a message alone. A module that writes only some levels asks for a Pick of it,
// so a test hands in just those functions.
export interface Log {
  info(detailsOrMessage: object | string, message?: string): void;
  warn(detailsOrMessage: object | string, message?: string): void;
  error(detailsOrMessage: object | string, message?: string): void;
}
