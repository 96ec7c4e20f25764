/**
 * ATT&CK technique ids for the attack classes waggle's detectors and the
 * common IDS data sets report (`attack_type` of a finding). Keys are
 * normalised with {@link normaliseAttackType}.
 */
export const ATTACK_TYPE_TECHNIQUES: Readonly<Record<string, string>> = {
  'ssh-bruteforce': 'T1110',
  'ftp-bruteforce': 'T1110',
  'telnet-bruteforce': 'T1110',
  'rdp-bruteforce': 'T1110',
  bruteforce: 'T1110',
  'brute-force': 'T1110',
  'password-guessing': 'T1110',
  'ssh-patator': 'T1110',
  'ftp-patator': 'T1110',
  portscan: 'T1046',
  'port-scan': 'T1046',
  'address-scan': 'T1046',
  'network-scan': 'T1046',
  scan: 'T1046',
  reconnaissance: 'T1595',
  'c2-beaconing': 'T1071',
  beaconing: 'T1071',
  c2: 'T1071',
  'command-and-control': 'T1071',
  bot: 'T1071',
  botnet: 'T1071',
  exfiltration: 'T1041',
  'data-exfiltration': 'T1041',
  'web-exploit': 'T1190',
  'web-attack': 'T1190',
  exploit: 'T1190',
  'sql-injection': 'T1190',
  sqli: 'T1190',
  xss: 'T1190',
  'syn-flood': 'T1498',
  'udp-flood': 'T1498',
  'icmp-flood': 'T1498',
  dos: 'T1498',
  ddos: 'T1498',
  'http-flood': 'T1499',
  'dos-hulk': 'T1499',
  'dos-slowloris': 'T1499',
  'dos-slowhttptest': 'T1499',
  'dos-goldeneye': 'T1499',
  'coin-mining': 'T1496',
};

/** Lower case, runs of blanks, underscores and dashes folded to one `-` (`DoS Hulk` → `dos-hulk`). */
export function normaliseAttackType(text: string): string {
  return text.trim().toLowerCase().replace(/[\s_\-–—]+/g, '-').replace(/^-|-$/g, '');
}

/**
 * The attack types an `attack-type` value names: a plain name, or the
 * per-detector JSON record a finding's security-event object carries
 * (`{"<detector>": {"attacks": [{"attack_type": …}]}}`).
 */
export function attackTypesIn(value: string): string[] {
  const text = value.trim();
  if (!text.startsWith('{')) return text === '' ? [] : [text];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return [text];
  }
  const out: string[] = [];
  if (typeof json !== 'object' || json === null) return out;
  for (const entry of Object.values(json as Record<string, unknown>)) {
    const attacks = (entry as { attacks?: unknown } | null)?.attacks;
    if (!Array.isArray(attacks)) continue;
    for (const a of attacks) {
      const t = (a as { attack_type?: unknown } | null)?.attack_type;
      if (typeof t === 'string' && t.trim() !== '') out.push(t);
    }
  }
  return [...new Set(out)];
}
