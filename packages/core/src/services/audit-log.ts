import { ForbiddenError } from '@waggle/errors';
import type { Principal } from '../access/principal.js';
import { ACL_DENIED } from '../access/permissions.js';
import type { AuditLogRecord, OrganisationRecord, UserRecord } from '../model/records.js';
import type { AuditFilter, Ref, Repositories } from '../ports/store.js';
import { orgMap } from '../views/event-view.js';
import { mysqlDatetime, type MispJson } from '../views/misp-json.js';
import { visibleEvent } from './visible.js';
import type { CoreDeps } from './deps.js';

/**
 * A search of the audit log as MISP's `admin/logs/index` takes it (PyMISP `search_logs`): the store's
 * filters (titles are title or description, both the entry's title here; exact or `%` patterns),
 * plus what is resolved here first.
 */
export type LogSearch = Pick<AuditFilter, 'ids' | 'titles' | 'createdFrom' | 'createdTo' | 'models' | 'modelIds' | 'actions' | 'userIds' | 'changes' | 'ips' | 'limit'> & {
  /** User e-mail addresses; exact or `%` patterns. */
  readonly emails?: readonly string[];
  /** Organisation names, ids or UUIDs. */
  readonly orgs?: readonly string[];
  readonly page?: number;
};

const matches = (value: string, pattern: string): boolean => {
  if (!pattern.includes('%')) return value === pattern;
  const re = pattern.toLowerCase().split('%').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${re}$`, 's').test(value.toLowerCase());
};

/** An audit entry as a MISP `Log` (string ids, the user's e-mail and the organisation's name). */
export function logJson(entry: AuditLogRecord, email: string, org: string): MispJson {
  const title = `${entry.model} (${String(entry.model_id)}): ${entry.model_title}`;
  return {
    id: String(entry.id),
    title,
    created: mysqlDatetime(entry.created),
    model: entry.model,
    model_id: String(entry.model_id),
    action: entry.action,
    user_id: String(entry.user_id),
    change: entry.change,
    email,
    org,
    description: title,
    ip: entry.ip,
  };
}

/** The users and organisations the entries name (0, the system or the host's CLI, names nobody). */
async function namesOf(repos: Repositories, entries: readonly AuditLogRecord[]): Promise<{ users: Map<number, UserRecord>; orgs: Map<number, OrganisationRecord> }> {
  const users = new Map<number, UserRecord>();
  for (const id of new Set(entries.map((e) => e.user_id))) {
    const u = id === 0 ? undefined : await repos.getUser(id);
    if (u !== undefined) users.set(id, u);
  }
  return { users, orgs: await orgMap(repos, entries.map((e) => e.org_id).filter((id) => id !== 0)) };
}

/** The audit log as MISP serves it: `admin/logs/index` for administrators, `logs/event_index` for an event's readers. */
export function createAuditLogService(deps: CoreDeps) {
  const { store } = deps;

  return {
    /**
     * Site admins search every entry; organisation admins their organisation's entries (MISP
     * restricts `Log.org` the same way); anyone else is refused.
     */
    async search(p: Principal, q: LogSearch): Promise<MispJson[]> {
      if (!p.role.perm_site_admin && !p.role.perm_admin) throw new ForbiddenError(ACL_DENIED);
      return store.read(async (repos) => {
        let orgIds: number[] | undefined;
        if (q.orgs !== undefined) {
          const found = await Promise.all(q.orgs.map((o) => repos.getOrganisation(/^[0-9]+$/.test(o) ? Number(o) : o)));
          orgIds = found.flatMap((o) => (o === undefined ? [] : [o.id]));
        }
        if (!p.role.perm_site_admin) orgIds = (orgIds ?? [p.org.id]).filter((id) => id === p.org.id);
        let userIds = q.userIds === undefined ? undefined : [...q.userIds];
        if (q.emails !== undefined) {
          const emails = q.emails;
          const byEmail = (await repos.listUsers()).filter((u) => emails.some((e) => matches(u.email, e))).map((u) => u.id);
          userIds = userIds === undefined ? byEmail : userIds.filter((id) => byEmail.includes(id));
        }
        // The filters the store reads as they are; e-mails and organisations were resolved to ids above.
        const { emails: _emails, orgs: _orgs, userIds: _userIds, limit, page, ...direct } = q;
        const filter: AuditFilter = {
          ...direct,
          ...(userIds !== undefined ? { userIds } : {}),
          ...(orgIds !== undefined ? { orgIds } : {}),
          ...(limit !== undefined ? { limit, offset: ((page ?? 1) - 1) * limit } : {}),
        };
        const entries = await repos.listAudit(filter);
        const { users, orgs } = await namesOf(repos, entries);
        return entries.map((e) => ({ Log: logJson(e, users.get(e.user_id)?.email ?? '', orgs.get(e.org_id)?.name ?? '') }));
      });
    },

    /**
     * The history of an event the principal may see (MISP `logs/event_index`): changes to the event and
     * its attributes, objects, proposals and reports. Others' e-mail addresses are blanked for users
     * outside their organisation, as in MISP.
     */
    async eventHistory(p: Principal, ref: Ref, page: { readonly limit?: number; readonly page?: number } = {}): Promise<MispJson[]> {
      return store.read(async (repos) => {
        const event = await visibleEvent(repos, p, ref);
        const limit = page.limit;
        const entries = await repos.listEventHistory(event.id, limit === undefined ? {} : { limit, offset: ((page.page ?? 1) - 1) * limit });
        const { users, orgs } = await namesOf(repos, entries);
        return entries.map((e) => {
          const user = users.get(e.user_id);
          const email = user !== undefined && (p.role.perm_site_admin || user.org_id === p.org.id) ? user.email : '';
          return logJson(e, email, orgs.get(e.org_id)?.name ?? '');
        });
      });
    },
  };
}

/** The audit log service's type. */
export type AuditLogService = ReturnType<typeof createAuditLogService>;
