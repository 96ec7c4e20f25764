/** The rules the agent applies. */
export const RULE_IDS = [
  'ssh-brute-force',
  'login-after-failures',
  'account-created',
  'sudo-failure',
  'new-listening-port',
  'new-suid-binary',
  'account-file-changed',
  'authorized-keys-changed',
  'cron-changed',
  'watched-file-changed',
  'port-probe',
  'package-changed',
  'suspicious-process',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export type Severity = 'low' | 'medium' | 'high' | 'critical';

/** An alert: what rule fired, when, about whom, with the evidence lines. */
export interface Alert {
  readonly rule: RuleId;
  readonly severity: Severity;
  readonly time: Date;
  readonly message: string;
  readonly ip?: string;
  readonly user?: string;
  readonly path?: string;
  readonly port?: number;
  readonly evidence: readonly string[];
}

/** The MITRE ATT&CK technique each rule detects, as MISP's galaxy cluster value. */
export const RULE_TECHNIQUE: Readonly<Partial<Record<RuleId, string>>> = {
  'ssh-brute-force': 'Password Guessing - T1110.001',
  'login-after-failures': 'Valid Accounts - T1078',
  'account-created': 'Local Account - T1136.001',
  'sudo-failure': 'Sudo and Sudo Caching - T1548.003',
  'new-listening-port': 'Non-Standard Port - T1571',
  'new-suid-binary': 'Setuid and Setgid - T1548.001',
  'account-file-changed': 'Account Manipulation - T1098',
  'authorized-keys-changed': 'SSH Authorized Keys - T1098.004',
  'cron-changed': 'Cron - T1053.003',
  'watched-file-changed': 'Account Manipulation - T1098',
  'port-probe': 'Network Service Discovery - T1046',
  'suspicious-process': 'Masquerading - T1036',
};
