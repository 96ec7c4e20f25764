/** Options shared by the administration service factories. */
export interface AdminServiceOptions {
  /**
   * Called after every committed change of users, roles, auth keys, organisations or
   * sharing groups. The server wires it to the auth service's `invalidate()`, whose
   * cached principals would otherwise keep old permissions for a few seconds.
   */
  readonly onChange?: () => void;
}

/** Calls the change callback; a failing callback never undoes a committed change. */
export function notifyChange(options: AdminServiceOptions): void {
  try {
    options.onChange?.();
  } catch {
    // The change is durable; at worst a cached principal lives until its TTL ends.
  }
}

/** MISP's `YYYY-MM-DD HH:MM:SS` (UTC) rendering of a Unix time. */
export function sqlDateTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('T', ' ').slice(0, 19);
}
