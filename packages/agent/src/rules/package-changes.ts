import type { InstalledPackage } from '@waggle/inventory';
import type { Alert } from './alert.js';

/** Installed, removed and changed packages between two inventories, as low-severity alerts. */
export function packageChanges(before: readonly InstalledPackage[], after: readonly InstalledPackage[], time: Date): Alert[] {
  const key = (p: InstalledPackage): string => `${p.name}:${p.architecture}`;
  const old = new Map(before.map((p) => [key(p), p]));
  const now = new Map(after.map((p) => [key(p), p]));
  const alerts: Alert[] = [];
  for (const [k, p] of now) {
    const b = old.get(k);
    if (b === undefined) alerts.push({ rule: 'package-changed', severity: 'low', time, message: `package installed: ${p.name} ${p.version} (${p.architecture})`, evidence: [k] });
    else if (b.version !== p.version) alerts.push({ rule: 'package-changed', severity: 'low', time, message: `package changed: ${p.name} ${b.version} → ${p.version}`, evidence: [k] });
  }
  for (const [k, p] of old) if (!now.has(k)) alerts.push({ rule: 'package-changed', severity: 'low', time, message: `package removed: ${p.name} ${p.version}`, evidence: [k] });
  return alerts;
}
