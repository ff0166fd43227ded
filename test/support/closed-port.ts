// A port on 127.0.0.1 that nothing listens on: the kernel picks a free one, the listener closes at once, so a
// connection to it is refused (a closed mail port, for the live check).
import net from 'node:net';

export function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
