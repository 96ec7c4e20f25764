import { createSocket, type Socket } from 'node:dgram';
import dnsPacket from 'dns-packet';

/** A real UDP DNS server on 127.0.0.1 answering PTR questions from a table. */
export interface TestDnsServer {
  /** `127.0.0.1:<port>`, as a resolver address. */
  readonly address: string;
  /** PTR names asked, in order. */
  readonly questions: string[];
  close(): Promise<void>;
}

/**
 * Starts the server. `ptr` maps a reverse name (`4.3.2.1.in-addr.arpa`) to
 * host names; other names get NXDOMAIN. With `silent`, it never answers (for
 * timeout tests).
 */
export async function startDnsServer(ptr: Readonly<Record<string, readonly string[]>>, silent = false): Promise<TestDnsServer> {
  const socket: Socket = createSocket('udp4');
  const questions: string[] = [];
  socket.on('message', (msg, rinfo) => {
    const query = dnsPacket.decode(msg);
    const q = query.questions?.[0];
    if (q === undefined) return;
    questions.push(q.name);
    if (silent) return;
    const names = q.type === 'PTR' ? ptr[q.name.toLowerCase()] : undefined;
    const answer = dnsPacket.encode({
      type: 'response',
      id: query.id ?? 0,
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | (names === undefined ? 3 : 0),
      questions: [q],
      answers: (names ?? []).map((data) => ({ type: 'PTR' as const, class: 'IN' as const, name: q.name, ttl: 60, data })),
    });
    socket.send(answer, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${String(socket.address().port)}`,
    questions,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
