// The set-up page, autoconfig and Autodiscover on a port of their own (MAILSETTINGS_HTTP_PORT), for when no
// Slack HTTP server is there to carry them (Socket Mode, or Discord alone): a plain node:http server around
// the core's handler, which answers 404 for anything else.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FrontEnd, type Logger, type SetupHandler, StartError } from '../src/index.js';

export function setupServer(
  handler: SetupHandler,
  listen: { port: number; host?: string },
  log: Logger,
): FrontEnd {
  return {
    name: 'setup page',
    async start() {
      const server = http.createServer((req, res) => {
        if (!handler(req, res))
          res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
      });
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
