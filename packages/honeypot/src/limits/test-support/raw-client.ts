import { connect, type Socket } from 'node:net';

/** A raw TCP client for tests: collects everything received and waits for expected text. */
export interface RawClient {
  socket: Socket;
  received(): Buffer;
  text(): string;
  send(data: string | Buffer): void;
  /** Resolves once the received bytes contain `text` (latin1) after `from`, or rejects after `timeoutMs`. */
  waitFor(text: string | RegExp | ((received: string) => boolean), timeoutMs?: number): Promise<string>;
  closed: Promise<void>;
  end(): void;
}

/** Connects to 127.0.0.1:`port`. */
export function rawClient(port: number): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let buffer = Buffer.alloc(0);
    const waiters = new Set<() => void>();
    socket.on('data', (d: Buffer) => {
      buffer = Buffer.concat([buffer, d]);
      for (const w of waiters) w();
    });
    socket.on('error', () => undefined);
    const closed = new Promise<void>((r) => socket.once('close', () => {
      for (const w of waiters) w();
      r();
    }));
    socket.once('connect', () =>
      resolve({
        socket,
        received: () => buffer,
        text: () => buffer.toString('latin1'),
        send: (data) => socket.write(data),
        waitFor(text, timeoutMs = 5000) {
          const match = (): boolean => {
            const s = buffer.toString('latin1');
            return typeof text === 'string' ? s.includes(text) : typeof text === 'function' ? text(s) : text.test(s);
          };
          if (match()) return Promise.resolve(buffer.toString('latin1'));
          return new Promise((res, rej) => {
            const check = (): void => {
              if (match()) {
                waiters.delete(check);
                clearTimeout(timer);
                res(buffer.toString('latin1'));
              } else if (socket.destroyed) {
                waiters.delete(check);
                clearTimeout(timer);
                rej(new Error(`connection closed before ${String(text)}; got ${JSON.stringify(buffer.toString('latin1').slice(-300))}`));
              }
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              rej(new Error(`timed out waiting for ${String(text)}; got ${JSON.stringify(buffer.toString('latin1').slice(-300))}`));
            }, timeoutMs);
            waiters.add(check);
          });
        },
        closed,
        end: () => socket.end(),
      }),
    );
    socket.once('error', reject);
  });
}
