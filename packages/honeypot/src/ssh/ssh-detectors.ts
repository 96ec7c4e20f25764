import { InputError } from '@waggle/errors';
import type { Connection } from 'ssh2';
import type { SessionLog } from '../log/session-log.js';
import { clientMessageName, OBSERVABLE_CLIENT_MESSAGES, onClientMessage } from './client-message-hook.js';

/**
 * An exploit detector on the SSH transport: the client sending `client_message`, a message
 * only servers send, gives the exploit away. A profile's `ssh_detectors` entries have this shape.
 */
export interface SshDetectorRule {
  readonly id: string;
  readonly cve: string;
  /** ATT&CK technique id logged with the event (e.g. `T1190`). */
  readonly technique: string;
  /** The SSH message number, one of {@link OBSERVABLE_CLIENT_MESSAGES} (52 for CVE-2018-10933). */
  readonly client_message: number;
  readonly description?: string | undefined;
}

const CVE = /^CVE-\d{4}-\d{4,}$/;
const TECHNIQUE = /^T\d{4}(\.\d{3})?$/;

/** Rejects detectors the service cannot apply, naming every problem at once. */
export function validateSshDetectors(rules: readonly SshDetectorRule[]): void {
  const problems: string[] = [];
  const supported = [...OBSERVABLE_CLIENT_MESSAGES.keys()].join(', ');
  rules.forEach((r, i) => {
    const at = `detectors[${String(i)}]`;
    if (typeof r.id !== 'string' || r.id === '') problems.push(`${at}.id must be a non-empty string`);
    if (typeof r.cve !== 'string' || !CVE.test(r.cve)) problems.push(`${at}.cve must look like CVE-2018-10933`);
    if (typeof r.technique !== 'string' || !TECHNIQUE.test(r.technique)) problems.push(`${at}.technique must be an ATT&CK id such as T1190`);
    if (!OBSERVABLE_CLIENT_MESSAGES.has(r.client_message)) problems.push(`${at}.client_message must be one of ${supported} (messages only a server sends)`);
  });
  if (problems.length > 0) throw new InputError(`invalid ssh configuration: ${problems.join('; ')}`, { field: 'detectors' });
}

/**
 * Applies `rules` to one connection. When the client sends a detector's message, logs
 * `waggle.ssh.exploit` (once per detector) and ends the connection: ssh2 never treats the
 * client as authenticated, so nothing is granted, and continuing would only run on ssh2's
 * auth bookkeeping, which message 52 from a client leaves off by one. Returns false when the
 * detectors could not be installed (see `client-message-hook.ts`).
 */
export function watchSshDetectors(client: Connection, rules: readonly SshDetectorRule[], log: SessionLog): boolean {
  if (rules.length === 0) return true;
  let requests = 0;
  let lastUser = '';
  client.on('authentication', (ctx) => {
    requests += 1;
    // Attacker-chosen; the login events carry it whole, the evidence only needs to name it.
    lastUser = ctx.username.slice(0, 128);
  });
  const fired = new Set<string>();
  const byMessage = new Map<number, SshDetectorRule[]>();
  for (const rule of rules) byMessage.set(rule.client_message, [...(byMessage.get(rule.client_message) ?? []), rule]);
  for (const [message, matching] of byMessage) {
    const installed = onClientMessage(client, message, () => {
      const state = client.authenticated
        ? `sent after user "${lastUser}" authenticated`
        : requests === 0
          ? 'sent before any authentication request'
          : `sent after ${String(requests)} authentication request(s) for user "${lastUser}", none accepted`;
      for (const rule of matching) {
        if (fired.has(rule.id)) continue;
        fired.add(rule.id);
        log.emit('waggle.ssh.exploit', {
          cve: rule.cve,
          technique: rule.technique,
          detector: rule.id,
          evidence: [`client sent ${clientMessageName(message)} (${String(message)})`, state],
        });
      }
      client.end();
    });
    if (!installed) return false;
  }
  return true;
}
