/** Test builders for MISP events in the JSON shape a MISP server returns. */

let counter = 0;

/** A fresh RFC 4122 v4-shaped uuid, unique within the test run. */
export function nextUuid(): string {
  counter++;
  const hex = counter.toString(16).padStart(12, '0');
  return `5a3c2fda-0000-4000-8000-${hex}`;
}

/** Builds an attribute; `overrides` wins. */
export function anAttribute(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    uuid: nextUuid(),
    type: 'ip-dst',
    category: 'Network activity',
    value: '198.51.100.7',
    to_ids: true,
    comment: '',
    timestamp: '1709290000',
    Tag: [],
    ...overrides,
  };
}

/** Builds an object with the given attributes. */
export function anObject(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    uuid: nextUuid(),
    name: 'file',
    'meta-category': 'file',
    template_uuid: '688c46fb-5edb-40a3-8273-1af7923e2215',
    template_version: '25',
    description: 'File object describing a file with meta-information',
    comment: '',
    timestamp: '1709290100',
    Attribute: [],
    ObjectReference: [],
    ...overrides,
  };
}

/** Builds an event wrapped as `events/view` returns it. */
export function anEvent(overrides: Record<string, unknown> = {}): { Event: Record<string, unknown> } {
  return {
    Event: {
      uuid: nextUuid(),
      info: 'Phishing wave',
      date: '2024-03-01',
      timestamp: '1709290000',
      publish_timestamp: '1709290500',
      published: true,
      distribution: '1',
      threat_level_id: '2',
      analysis: '1',
      Orgc: { id: '1', uuid: '55f6ea5e-2c60-40e5-964f-47a8950d210f', name: 'CIRCL' },
      Org: { id: '1', uuid: '55f6ea5e-2c60-40e5-964f-47a8950d210f', name: 'CIRCL' },
      Tag: [],
      Attribute: [],
      Object: [],
      Galaxy: [],
      ...overrides,
    },
  };
}

const hex = (n: number, seed = 'a1b2c3d4e5f6'): string => seed.repeat(Math.ceil(n / seed.length)).slice(0, n);

/** A valid value for every MISP type this package maps, plus some that map to custom objects. */
export const SAMPLE_VALUES: Readonly<Record<string, string>> = {
  'ip-dst': '198.51.100.7',
  'ip-src': '2001:db8::1',
  'ip-dst|port': '198.51.100.7|8080',
  'ip-src|port': '203.0.113.9|443',
  'hostname|port': 'c2.example.com|8443',
  domain: 'evil.example.com',
  hostname: 'www.evil.example.com',
  'domain|ip': 'evil.example.com|198.51.100.7',
  url: 'https://evil.example.com/path?q=1',
  uri: '/wp-admin/x.php',
  link: 'https://www.welivesecurity.com/2017/12/21/sednit/',
  email: 'someone@example.com',
  'email-src': 'attacker@example.com',
  'email-dst': 'victim@example.org',
  'email-src-display-name': 'Mr Attacker',
  'email-dst-display-name': 'Ms Victim',
  'email-subject': "Invoice 'urgent' \\ overdue",
  'email-message-id': '<1234@mail.example.com>',
  'email-reply-to': 'reply@example.com',
  'email-x-mailer': 'Mailer 1.0',
  'email-body': 'Hello,\nplease open the attachment.',
  filename: 'C:\\Users\\me\\invoice.exe',
  attachment: 'invoice.pdf',
  'size-in-bytes': '12345',
  'mime-type': 'application/pdf',
  md5: hex(32),
  sha1: hex(40),
  sha256: hex(64),
  sha512: hex(128),
  'sha3-256': hex(64),
  'sha3-512': hex(128),
  ssdeep: '96:s4Ud1Lj96tHHlZDrwciQmA+4uy1I0G4HYuL8N3TzS8QsO/wqWXLcMSx:sF1LjEtHHlZDrJzrhuyZvHYm8tKp/RWO',
  tlsh: hex(70),
  sha224: hex(56),
  sha384: hex(96),
  'sha512/224': hex(56),
  'sha512/256': hex(64),
  'sha3-224': hex(56),
  'sha3-384': hex(96),
  imphash: hex(32),
  authentihash: hex(64),
  pehash: hex(40),
  impfuzzy: '48:y3pGFrQ+1ssq5TVCkt4Y0sZtsVZ7wt0WxTBLutQUdZg5l:3pGeK1kt4Y0sZtsT',
  telfhash: hex(70),
  vhash: '065046655d155d15z1c4z',
  cdhash: hex(40),
  'filename|md5': `sample.exe|${hex(32)}`,
  'filename|sha1': `sample.exe|${hex(40)}`,
  'filename|sha256': `sample.exe|${hex(64)}`,
  'filename|sha512': `sample.exe|${hex(128)}`,
  'filename|ssdeep': 'sample.exe|96:s4Ud1Lj96tHHlZDrwciQmA+4uy1I0G4HYuL8N3TzS8QsO:sF1LjEtHHlZDrJzrhuyZvHYm8tKp',
  'filename|tlsh': `sample.exe|${hex(70)}`,
  'filename|imphash': `sample.exe|${hex(32)}`,
  'filename|sha3-256': `sample.exe|${hex(64)}`,
  'malware-sample': `sample.exe|${hex(32)}`,
  'mac-address': '00:0a:95:9d:68:16',
  AS: '64500',
  mutex: 'Global\\evil-mutex',
  regkey: 'HKEY_LOCAL_MACHINE\\Software\\Evil',
  'regkey|value': 'HKEY_LOCAL_MACHINE\\Software\\Evil\\Run|C:\\evil.exe',
  'user-agent': 'Mozilla/5.0 (evil)',
  'http-method': 'POST',
  'x509-fingerprint-md5': hex(32),
  'x509-fingerprint-sha1': hex(40),
  'x509-fingerprint-sha256': hex(64),
  port: '4444',
  cpe: 'cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:*',
  vulnerability: 'CVE-2021-44228',
  'campaign-name': 'Operation Tea',
  yara: 'rule evil { strings: $a = "evil" condition: $a }',
  sigma: 'title: evil\ndetection:\n  condition: selection',
  snort: 'alert tcp any any -> any 80 (msg:"evil"; sid:1;)',
  'stix2-pattern': "[file:hashes.'SHA-256' = '" + hex(64) + "']",
  text: 'free text with "quotes"',
  comment: 'a comment',
  btc: '1BoatSLRHtKNngkdXEeobR76b53LETtpyT',
  'github-username': 'evil-user',
  'whois-registrar': 'registrar.example.com',
};
