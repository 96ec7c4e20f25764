import type { Principal } from '../access/principal.js';
import type { Repositories } from '../ports/store.js';

/** Records who changed what (inside the same transaction as the change). */
export async function audit(
  repos: Repositories,
  p: Principal,
  now: number,
  entry: { action: string; model: string; modelId: number; title: string; change?: unknown },
): Promise<void> {
  await repos.insertAudit({
    created: now,
    user_id: p.user.id,
    org_id: p.org.id,
    ip: p.ip,
    action: entry.action,
    model: entry.model,
    model_id: entry.modelId,
    model_title: entry.title.slice(0, 255),
    change: entry.change === undefined ? '' : JSON.stringify(entry.change).slice(0, 65_535),
  });
}
