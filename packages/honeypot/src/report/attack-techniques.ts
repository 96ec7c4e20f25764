/**
 * Names of the MITRE ATT&CK techniques the honeypots observe, as the
 * `mitre-attack-pattern` galaxy spells its cluster values (`Name - Txxxx`).
 */
const NAMES: Readonly<Record<string, string>> = {
  T1021: 'Remote Services',
  'T1021.004': 'SSH',
  T1053: 'Scheduled Task/Job',
  'T1053.003': 'Cron',
  T1059: 'Command and Scripting Interpreter',
  'T1059.004': 'Unix Shell',
  T1078: 'Valid Accounts',
  T1083: 'File and Directory Discovery',
  T1090: 'Proxy',
  'T1098.004': 'SSH Authorized Keys',
  T1105: 'Ingress Tool Transfer',
  T1110: 'Brute Force',
  'T1110.001': 'Password Guessing',
  'T1110.003': 'Password Spraying',
  T1190: 'Exploit Public-Facing Application',
  'T1505.003': 'Web Shell',
  T1595: 'Active Scanning',
};

/** The galaxy tag of a technique, e.g. `misp-galaxy:mitre-attack-pattern="Brute Force - T1110"`. */
export function attackPatternTag(technique: string): string {
  const name = NAMES[technique] ?? technique;
  return `misp-galaxy:mitre-attack-pattern="${name} - ${technique}"`;
}

/** The technique id in a galaxy tag or cluster value (`… - T1110.001`), if any. */
export function techniqueOfTag(tag: string): string | undefined {
  const m = /(T\d{4}(?:\.\d{3})?)"?\s*$/.exec(tag);
  return m?.[1];
}
