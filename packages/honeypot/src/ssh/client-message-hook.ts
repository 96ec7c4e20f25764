import type { Connection } from 'ssh2';

/**
 * Messages only a server sends (RFC 4253 §10, RFC 4252 §5) that ssh2 1.17 can report when a
 * client sends them: its dispatcher parses each and hands it to a named handler that its server
 * never sets. Number → ssh2's handler name. A well-behaved client never sends any of them.
 */
export const OBSERVABLE_CLIENT_MESSAGES: ReadonlyMap<number, string> = new Map([
  [6, 'SERVICE_ACCEPT'],
  [51, 'USERAUTH_FAILURE'],
  [52, 'USERAUTH_SUCCESS'],
  [53, 'USERAUTH_BANNER'],
]);

/** RFC names of {@link OBSERVABLE_CLIENT_MESSAGES}, for evidence. */
export const clientMessageName = (message: number): string => {
  const name = OBSERVABLE_CLIENT_MESSAGES.get(message);
  return name === undefined ? `message ${String(message)}` : `SSH_MSG_${name}`;
};

/** The part of ssh2's (untyped, internal) per-connection protocol object used here. */
interface ProtocolInternals {
  _handlers?: Record<string, unknown>;
}

/**
 * Calls `listener` each time the client sends `message` (a key of
 * {@link OBSERVABLE_CLIENT_MESSAGES}), decrypted and decompressed by ssh2. Returns false when
 * the message is not observable or ssh2's internals are not what this was written against.
 *
 * Why an internal hook: after key exchange every packet is encrypted, so the passive socket tap
 * (`kexinit.ts`) cannot see message numbers, and ssh2's server emits no event for a message a
 * client should never send — its dispatcher only looks up `_handlers.<NAME>` on the connection's
 * protocol object for each such packet and drops it when absent. That table is built per
 * connection (`server.js`, `messageHandlers`), so adding an entry observes exactly this client's
 * messages without patching ssh2. It is the only place the package reaches into ssh2 for this;
 * the end-to-end test with a client sending a real encrypted message 52 fails if it stops working.
 */
export function onClientMessage(client: Connection, message: number, listener: () => void): boolean {
  const name = OBSERVABLE_CLIENT_MESSAGES.get(message);
  const handlers = (client as unknown as { _protocol?: ProtocolInternals })._protocol?._handlers;
  if (name === undefined || typeof handlers !== 'object' || handlers === null) return false;
  const previous = handlers[name];
  // ssh2's server sets none of these; chain anyway so an upgrade that starts using one keeps working.
  handlers[name] = (...args: unknown[]): void => {
    listener();
    if (typeof previous === 'function') (previous as (...a: unknown[]) => void)(...args);
  };
  return true;
}
