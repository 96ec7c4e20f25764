/** The STIX object type that stands for clusters of a MISP galaxy type. */
export type GalaxyStixType = 'attack-pattern' | 'intrusion-set' | 'threat-actor' | 'malware' | 'tool' | 'course-of-action' | 'x-misp-galaxy-cluster';

const BY_GALAXY: Readonly<Record<string, GalaxyStixType>> = {
  'mitre-attack-pattern': 'attack-pattern',
  'mitre-enterprise-attack-attack-pattern': 'attack-pattern',
  'mitre-mobile-attack-attack-pattern': 'attack-pattern',
  'mitre-pre-attack-attack-pattern': 'attack-pattern',
  'mitre-ics-techniques': 'attack-pattern',
  'mitre-intrusion-set': 'intrusion-set',
  'mitre-enterprise-attack-intrusion-set': 'intrusion-set',
  'mitre-mobile-attack-intrusion-set': 'intrusion-set',
  'threat-actor': 'threat-actor',
  'mitre-malware': 'malware',
  'mitre-enterprise-attack-malware': 'malware',
  'mitre-mobile-attack-malware': 'malware',
  malpedia: 'malware',
  ransomware: 'malware',
  botnet: 'malware',
  rat: 'malware',
  backdoor: 'malware',
  stealer: 'malware',
  banker: 'malware',
  'mitre-tool': 'tool',
  'mitre-enterprise-attack-tool': 'tool',
  'mitre-mobile-attack-tool': 'tool',
  tool: 'tool',
  'mitre-course-of-action': 'course-of-action',
  'mitre-enterprise-attack-course-of-action': 'course-of-action',
  'mitre-mobile-attack-course-of-action': 'course-of-action',
};

/** Which STIX type a cluster of `galaxyType` becomes; a custom object for galaxies STIX has no SDO for. */
export function stixTypeForGalaxy(galaxyType: string): GalaxyStixType {
  return Object.hasOwn(BY_GALAXY, galaxyType) ? (BY_GALAXY[galaxyType] as GalaxyStixType) : 'x-misp-galaxy-cluster';
}

// Galaxy a STIX SDO without `misp:galaxy-type` label imports into (foreign bundles).
const BY_STIX: Readonly<Record<string, string>> = {
  'attack-pattern': 'mitre-attack-pattern',
  'intrusion-set': 'mitre-intrusion-set',
  'threat-actor': 'threat-actor',
  malware: 'mitre-malware',
  tool: 'mitre-tool',
  'course-of-action': 'mitre-course-of-action',
};

/** The galaxy type for a STIX SDO type; undefined when it is not a galaxy-like SDO. */
export function galaxyForStixType(stixType: string): string | undefined {
  return Object.hasOwn(BY_STIX, stixType) ? BY_STIX[stixType] : undefined;
}
