// The set-up page, autoconfig and Autodiscover on a port of their own (MAILSETTINGS_HTTP_PORT), for when no
// Slack HTTP server is there to carry them (Socket Mode, or Discord alone): a plain node:http server around
// the core's handler, which answers 404 for anything else, with the same limits as Slack's port
// (src/app/http-limits.ts).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type FrontEnd,
  HTTP_LIMITS,
  type HttpLimits,
  type Logger,
  limitServer,
  type SetupHandler,
  StartError,
  serverOptions,
  serveSetup,
} from '../src/index.js';

export function setupServer(
  handler: SetupHandler,
  listen: { port: number; host?: string },
  log: Logger,
  limits: HttpLimits = HTTP_LIMITS,
): FrontEnd {
  return {
    name: 'setup page',
    async start() {
      const server = http.createServer(serverOptions(limits), serveSetup(handler, log));
      limitServer(server, log, limits);
      await new Promise<void>((resolve, reject) => {
        server.once('error', (error: NodeJS.ErrnoException) =>
          reject(
            new StartError(
              `The set-up page cannot listen on port ${listen.port} (${error.code ?? error.message}): choose another MAILSETTINGS_HTTP_PORT.`,
              { cause: error },
            ),
          ),
        );
        server.listen(listen.port, listen.host, resolve);
      });
      log.info('setup page: started', { port: (server.address() as AddressInfo).port });
      return async () => {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      };
    },
  };
}
