/**
 * Destination-port service buckets, one-hot encoded as features. Attacks target
 * services (SSH brute force on 22, floods on 80/443, SMB worms on 445), so the
 * service class carries more signal than the port number itself.
 */
export const PORT_CLASSES = [
  'ssh', 'telnet', 'http', 'https', 'dns', 'smtp', 'mail', 'ftp', 'rdp', 'smb', 'db', 'ntp-snmp',
  'other-well-known', 'registered', 'ephemeral', 'none',
] as const;

/** One service bucket. */
export type PortClass = (typeof PORT_CLASSES)[number];

const BY_PORT: ReadonlyMap<number, PortClass> = new Map<number, PortClass>([
  [22, 'ssh'], [2222, 'ssh'],
  [23, 'telnet'], [2323, 'telnet'],
  [80, 'http'], [8080, 'http'], [8000, 'http'], [8008, 'http'], [8888, 'http'],
  [443, 'https'], [8443, 'https'],
  [53, 'dns'], [5353, 'dns'],
  [25, 'smtp'], [465, 'smtp'], [587, 'smtp'],
  [110, 'mail'], [143, 'mail'], [993, 'mail'], [995, 'mail'],
  [20, 'ftp'], [21, 'ftp'],
  [3389, 'rdp'],
  [139, 'smb'], [445, 'smb'], [137, 'smb'], [138, 'smb'],
  [1433, 'db'], [1521, 'db'], [3306, 'db'], [5432, 'db'], [6379, 'db'], [27017, 'db'], [9200, 'db'],
  [123, 'ntp-snmp'], [161, 'ntp-snmp'], [162, 'ntp-snmp'],
]);

/** The service bucket of a destination port (0 or absent ports are `none`). */
export function portClass(port: number): PortClass {
  if (!Number.isInteger(port) || port <= 0 || port > 65535) return 'none';
  const known = BY_PORT.get(port);
  if (known !== undefined) return known;
  if (port < 1024) return 'other-well-known';
  return port < 49152 ? 'registered' : 'ephemeral';
}
