import { randomBytes } from 'node:crypto';
import { createMemoryKeyStore } from '../memory-key-store.js';
import type { KeyStore } from '../key-store.js';

type J = Record<string, unknown>;

/** Identifiers of the victim that must never leave in clear. */
export const VICTIM_STRINGS = [
  '10.20.30.40',
  '192.168.1.15',
  'fd00::1:2',
  'WS-FIN-042',
  'fileserver01',
  'j.mueller',
  'jmueller',
  'jana.mueller',
  'a.schmidt',
  'Nordwind',
  'nordwind',
  'Hamburg',
  'INC-4711',
  'Jana',
];

const SHA256 = '3b0d8c5d1e9a0f6f1c7d2b4e8a9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c';
const SHA256_2 = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
const MD5 = 'd41d8cd98f00b204e9800998ecf8427e';

/** Indicators of the attacker that must arrive unchanged. */
export const ATTACKER_STRINGS = [
  '185.220.101.47',
  '45.133.1.20|4444',
  'secure-docs-share.top',
  'https://secure-docs-share.top/inv/download.php',
  'c2.evil-updates.net',
  'billing@secure-docs-share.top',
  SHA256,
  SHA256_2,
  MD5,
  'Rechnung_2026.pdf.exe',
  'CVE-2023-23397',
  'Offene Rechnung 2026-03',
  'misp-galaxy:mitre-attack-pattern=\\"Spearphishing Attachment - T1566.001\\"',
  'misp-galaxy:mitre-attack-pattern=\\"Ingress Tool Transfer - T1105\\"',
  'tlp:amber',
];

let n = 0;
const uuid = (): string => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;

function attr(type: string, value: string, extra: J = {}): J {
  return { uuid: uuid(), type, category: 'Network activity', value, to_ids: false, distribution: '5', comment: '', Tag: [], ...extra };
}

/**
 * A phishing intrusion against "Nordwind Energie GmbH": victim addresses,
 * hosts, users, mailboxes, comments and free text, next to the attacker's
 * addresses, domains, URLs, hashes, malware sample, CVE and ATT&CK tags.
 */
export function aPhishingEvent(overrides: J = {}): { Event: J } {
  // Same UUIDs on every call, so two calls build equal events.
  n = 0;
  return {
    Event: {
      id: '12',
      uuid: 'c0ffee00-0000-4000-8000-000000000001',
      info: 'Phishing against Nordwind Energie finance team (INC-4711)',
      date: '2026-03-04',
      timestamp: '1772600000',
      distribution: '1',
      threat_level_id: '2',
      analysis: '1',
      published: false,
      attribute_count: '0',
      orgc_id: '1',
      org_id: '1',
      Orgc: { id: '1', name: 'Nordwind Energie CERT', uuid: '5a5a5a5a-0000-4000-8000-00000000000a', local: true },
      Org: { id: '1', name: 'Nordwind Energie CERT', uuid: '5a5a5a5a-0000-4000-8000-00000000000a', local: true },
      event_creator_email: 'soc@nordwind-energie.de',
      Tag: [
        { name: 'tlp:amber', local: 0 },
        { name: 'misp-galaxy:mitre-attack-pattern="Spearphishing Attachment - T1566.001"', local: 0 },
        { name: 'misp-galaxy:mitre-attack-pattern="Ingress Tool Transfer - T1105"', local: 0 },
        { name: 'nordwind:internal-case', local: 1 },
      ],
      Attribute: [
        attr('ip-dst', '185.220.101.47', { to_ids: true, comment: 'C2 seen from Jana laptop' }),
        attr('ip-src|port', '45.133.1.20|4444', { to_ids: true }),
        attr('domain', 'secure-docs-share.top', { to_ids: true }),
        attr('url', 'https://secure-docs-share.top/inv/download.php', { to_ids: true }),
        attr('hostname', 'c2.evil-updates.net', { to_ids: true }),
        attr('sha256', SHA256, { category: 'Payload delivery', to_ids: true }),
        attr('filename|sha256', `Rechnung_2026.pdf.exe|${SHA256_2}`, { category: 'Payload delivery', to_ids: true }),
        attr('filename|sha256', `C:\\Users\\jmueller\\Downloads\\x.exe|${SHA256_2}`, { category: 'Payload delivery', to_ids: true }),
        attr('malware-sample', `Rechnung_2026.pdf.exe|${MD5}`, { category: 'Payload delivery', to_ids: true, data: 'UEsDBAoAAAAAAA==' }),
        attr('vulnerability', 'CVE-2023-23397', { category: 'External analysis' }),
        attr('email-src', 'billing@secure-docs-share.top', { category: 'Payload delivery', to_ids: true }),
        attr('email-subject', 'Offene Rechnung 2026-03', { category: 'Payload delivery' }),
        attr('ip-src', '10.20.30.40', { comment: 'finance workstation of j.mueller' }),
        attr('ip-dst', '192.168.1.15'),
        attr('ip-src', 'fd00::1:2'),
        attr('target-machine', 'WS-FIN-042', { category: 'Targeting data' }),
        attr('hostname', 'fileserver01.nordwind.corp'),
        attr('target-user', 'j.mueller', { category: 'Targeting data' }),
        attr('email-dst', 'jana.mueller@nordwind-energie.de', { category: 'Payload delivery' }),
        attr('target-email', 'finance@nordwind-energie.de', { category: 'Targeting data' }),
        attr('target-org', 'Nordwind Energie GmbH', { category: 'Targeting data' }),
        attr('target-location', 'Hamburg Hafen', { category: 'Targeting data' }),
        attr('text', 'Ticket INC-4711 escalated by the Nordwind SOC', { category: 'Other' }),
        attr('ip-dst', '185.220.101.48', { Sighting: [{ uuid: uuid(), type: '0', date_sighting: '1772600100', org_id: '1', source: 'nordwind-ids', Organisation: { name: 'Nordwind Energie CERT' } }] }),
      ],
      Object: [
        {
          name: 'email',
          uuid: 'e0000000-0000-4000-8000-000000000001',
          template_uuid: 'a0c666e0-fc65-4be8-b48f-3423d788b552',
          comment: 'mail received by Jana Mueller',
          Attribute: [
            attr('email-src', 'billing@secure-docs-share.top', { object_relation: 'from', category: 'Payload delivery' }),
            attr('email-dst', 'a.schmidt@nordwind-energie.de', { object_relation: 'to', category: 'Payload delivery' }),
            attr('email-subject', 'Offene Rechnung 2026-03', { object_relation: 'subject', category: 'Payload delivery' }),
          ],
          ObjectReference: [],
        },
        {
          name: 'user-account',
          uuid: 'e0000000-0000-4000-8000-000000000002',
          comment: '',
          Attribute: [attr('text', 'jmueller.adm', { object_relation: 'username', category: 'Other' })],
          ObjectReference: [],
        },
      ],
      RelatedEvent: [{ Event: { id: '7', info: 'Nordwind red team exercise', Orgc: { name: 'Nordwind Energie CERT' } } }],
      ShadowAttribute: [{ type: 'ip-dst', value: '10.20.30.41', email: 'analyst@nordwind-energie.de' }],
      EventReport: [{ name: 'Nordwind incident notes', content: 'Jana clicked at 09:14' }],
      ...overrides,
    },
  };
}

/** A key store in memory with the `community` key, from a seeded byte source. */
export function keysWithCommunity(seed = 1): KeyStore {
  let counter = seed;
  const store = createMemoryKeyStore({
    random: (size) => {
      const out = new Uint8Array(size);
      for (let i = 0; i < size; i++) out[i] = (counter * 31 + i * 7) & 0xff;
      counter++;
      return out;
    },
    now: () => new Date('2026-03-05T00:00:00Z'),
  });
  store.add('community');
  return store;
}

/** A key store with real random keys (when determinism across stores is not wanted). */
export function randomKeys(): KeyStore {
  const store = createMemoryKeyStore({ random: (size) => randomBytes(size), now: () => new Date() });
  store.add('community');
  return store;
}
