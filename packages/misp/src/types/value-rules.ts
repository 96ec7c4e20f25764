import { datetime } from './datetime-value.js';
import { cdhash, hexDigest, HASH_HEX_LENGTH, impfuzzy, ssdeep, sshFingerprint, telfhash, tlsh, vhash, x509Fingerprint } from './hash-values.js';
import {
  alphanumeric,
  autonomousSystem,
  bankCode,
  booleanFlag,
  cveId,
  cweId,
  digitsOnly,
  fileName,
  hexString,
  httpMethod,
  integer,
  jsonDocument,
  nonNegativeInteger,
  numeric,
  phoneNumber,
  uuid,
  windowsServiceName,
} from './misc-values.js';
import { domainName, emailAddress, ipAddress, ipOrCidr, joinIpPort, link, macAddress, onionAddress, port } from './network-values.js';
import { accept, anyValue, singleLine, type ValueRule } from './value-check.js';

/** How a composite (`value1|value2`) type is checked. */
export interface CompositeRule {
  /** Rewrites alternative notations (e.g. `ip:port`) into `value1|value2` before splitting. */
  readonly prepare: (value: string) => string;
  readonly first: ValueRule;
  readonly second: ValueRule;
  /** Whether value2 may be empty (only `regkey|value`: a key without data). */
  readonly secondMayBeEmpty: boolean;
}

// Types MISP accepts as any single line of text.
const SINGLE_LINE_TYPES = [
  'target-user', 'campaign-name', 'campaign-id', 'threat-actor', 'target-machine', 'target-org',
  'target-location', 'target-external', 'email-subject', 'malware-type', 'url', 'uri', 'user-agent',
  'regkey', 'filename', 'pdb', 'windows-scheduled-task', 'whois-registrant-name', 'whois-registrant-org',
  'whois-registrar', 'whois-creation-date', 'date-of-birth', 'place-of-birth', 'gender', 'passport-number',
  'passport-country', 'passport-expiration', 'redress-number', 'nationality', 'visa-number',
  'issue-date-of-the-visa', 'primary-residence', 'country-of-residence', 'special-service-request',
  'frequent-flyer-number', 'travel-details', 'payment-details', 'place-port-of-original-embarkation',
  'place-port-of-clearance', 'place-port-of-onward-foreign-destination', 'passenger-name-record-locator-number',
  'email-dst-display-name', 'email-src-display-name', 'email-reply-to', 'email-x-mailer', 'email-mime-boundary',
  'email-thread-index', 'email-message-id', 'github-username', 'github-repository', 'github-organisation',
  'twitter-id', 'dkim', 'dkim-signature', 'favicon-mmh3', 'chrome-extension-id', 'edge-extension-id',
  'mobile-application-id', 'azure-application-id', 'named pipe',
];

const lowercaseAnything: ValueRule = (value) => accept(value.toLowerCase());

function buildSingleRules(): ReadonlyMap<string, ValueRule> {
  const rules = new Map<string, ValueRule>();
  const set = (types: readonly string[], rule: ValueRule): void => {
    for (const type of types) rules.set(type, rule);
  };
  for (const [type, length] of Object.entries(HASH_HEX_LENGTH)) {
    rules.set(type, type.startsWith('x509-fingerprint-') ? x509Fingerprint(length) : hexDigest(length));
  }
  set(SINGLE_LINE_TYPES, singleLine);
  set(['tlsh'], tlsh);
  set(['telfhash'], telfhash);
  set(['ssdeep'], ssdeep);
  set(['impfuzzy'], impfuzzy);
  set(['cdhash'], cdhash);
  set(['vhash'], vhash);
  set(['ssh-fingerprint'], sshFingerprint);
  set(['ip-src', 'ip-dst'], ipOrCidr);
  set(['port'], port);
  set(['domain', 'hostname'], domainName);
  set(['email', 'email-src', 'email-dst', 'target-email', 'whois-registrant-email'], emailAddress(true));
  set(['eppn', 'dns-soa-email', 'jabber-id'], emailAddress(false));
  set(['mac-address'], macAddress(6));
  set(['mac-eui-64'], macAddress(8));
  set(['link'], link);
  set(['onion-address'], onionAddress);
  set(['vulnerability'], cveId);
  set(['weakness'], cweId);
  set(['windows-service-name', 'windows-service-displayname'], windowsServiceName);
  set(['http-method'], httpMethod);
  set(['hex'], hexString);
  set(['datetime'], datetime);
  set(['size-in-bytes', 'counter'], nonNegativeInteger);
  set(['integer'], integer);
  set(['float', 'bank-account-nr', 'aba-rtn'], numeric);
  set(['bin', 'cc-number'], digitsOnly);
  set(['prtn', 'phone-number', 'whois-registrant-phone'], phoneNumber);
  set(['iban', 'bic'], bankCode);
  set(['btc', 'dash', 'xmr'], alphanumeric);
  set(['AS'], autonomousSystem);
  set(['boolean'], booleanFlag);
  set(['cortex'], jsonDocument);
  set(['uuid'], uuid);
  set(['anonymised'], lowercaseAnything);
  return rules;
}

const unchanged = (value: string): string => value;

function pair(first: ValueRule, second: ValueRule, prepare = unchanged): CompositeRule {
  return { prepare, first, second, secondMayBeEmpty: false };
}

function buildCompositeRules(): ReadonlyMap<string, CompositeRule> {
  return new Map<string, CompositeRule>([
    ['malware-sample', pair(fileName, hexDigest(32))],
    ['domain|ip', pair(domainName, ipAddress)],
    ['ip-src|port', pair(ipAddress, port, joinIpPort)],
    ['ip-dst|port', pair(ipAddress, port, joinIpPort)],
    ['hostname|port', pair(domainName, port, (value) => value.replaceAll(':', '|'))],
    ['regkey|value', { ...pair(singleLine, singleLine), secondMayBeEmpty: true }],
  ]);
}

let cached: { single: ReadonlyMap<string, ValueRule>; composite: ReadonlyMap<string, CompositeRule> } | undefined;

function rules(): NonNullable<typeof cached> {
  cached ??= { single: buildSingleRules(), composite: buildCompositeRules() };
  return cached;
}

/**
 * The rule for a non-composite type. Types without a specific format in MISP
 * (free text such as `text`, `comment`, `yara`, `snort`) accept any value.
 */
export function singleValueRule(type: string): ValueRule {
  return rules().single.get(type) ?? anyValue;
}

/**
 * The rule for a composite type name; `filename|<hash>` checks its second half
 * with the rule of `<hash>`. Undefined when no specific rule exists.
 */
export function compositeValueRule(type: string): CompositeRule | undefined {
  const { single, composite } = rules();
  const explicit = composite.get(type);
  if (explicit) return explicit;
  const hashRule = type.startsWith('filename|') ? single.get(type.slice('filename|'.length)) : undefined;
  return hashRule ? pair(fileName, hashRule) : undefined;
}
