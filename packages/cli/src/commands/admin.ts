import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { InputError, NotFoundError } from '@waggle/errors';
import { authKeyRecord, generateAuthKey, logJson, verifyStoredChain, type AuditLogRecord, type Repositories } from '@waggle/core';
import type { ConfigInput } from '../config.js';
import { withRuntime } from './with-runtime.js';

type WithStore = (c: Command) => Command;


const now = (): number => Math.floor(Date.now() / 1000);

/** Changes made on the host are audited too, by user 0 from `cli` (MISP logs its console commands the same way). */
async function auditCli(repos: Repositories, model: string, modelId: number, title: string): Promise<void> {
  await repos.insertAudit({ created: now(), user_id: 0, org_id: 0, ip: 'cli', action: 'add', model, model_id: modelId, model_title: title, change: '' });
}

/** `waggle admin …`: organisations, users and keys, straight on the store (for operators on the host). */
export function registerAdminCommands(program: Command, withStore: WithStore): void {
  const admin = program.command('admin').description('administer organisations, users and API keys');
  const org = admin.command('org').description('organisations');
  withStore(org.command('add').argument('<name>').option('--external', 'an organisation of another instance').description('create an organisation')).action(async (name: string, opts: ConfigInput & { external?: boolean }) =>
    withRuntime(opts, async (rt, out) => {
      const created = await rt.store.write(async (repos) => {
        if ((await repos.getOrganisation(name)) !== undefined) throw new InputError(`Organisation "${name}" already exists`, { field: 'name' });
        const o = await repos.insertOrganisation({ uuid: randomUUID(), name, description: '', type: '', nationality: '', sector: '', contacts: '', local: opts.external !== true, restricted_to_domain: '', landingpage: '', created_by: 0, date_created: now(), date_modified: now() });
        await auditCli(repos, 'Organisation', o.id, o.name);
        return o;
      });
      out.print(`${created.id}\t${created.uuid}\t${created.name}\n`);
    }),
  );
  withStore(org.command('list').description('list organisations')).action(async (opts: ConfigInput) =>
    withRuntime(opts, async (rt, out) => {
      for (const o of await rt.store.read((r) => r.listOrganisations())) out.print(`${o.id}\t${o.uuid}\t${o.local ? 'local' : 'external'}\t${o.name}\n`);
    }),
  );

  const user = admin.command('user').description('users');
  withStore(user.command('add').argument('<email>').requiredOption('--org <name>', 'organisation name, id or uuid').option('--role <id>', 'role id (1 admin, 2 org admin, 3 user, 4 publisher, 5 sync user, 6 read only)', '3').description('create a user and print its API key')).action(async (email: string, opts: ConfigInput & { org: string; role: string }) =>
    withRuntime(opts, async (rt, out) => {
      const key = generateAuthKey();
      await rt.store.write(async (repos) => {
        const o = await repos.getOrganisation(opts.org);
        if (o === undefined) throw new NotFoundError(`No organisation "${opts.org}"`);
        const role = await repos.getRole(Number(opts.role));
        if (role === undefined) throw new NotFoundError(`No role ${opts.role}`);
        if ((await repos.getUser(email)) !== undefined) throw new InputError(`User ${email} already exists`, { field: 'email' });
        const u = await repos.insertUser({ email, org_id: o.id, role_id: role.id, password_hash: '', disabled: false, autoalert: false, contactalert: false, termsaccepted: true, change_pw: false, nids_sid: 0, gpgkey: '', certif_public: '', expiration: null, invited_by: 0, date_created: now(), date_modified: now(), last_login: 0, current_login: 0 });
        await repos.insertAuthKey(authKeyRecord(key, u.id, now(), randomUUID(), { comment: 'created by waggle admin user add' }));
        await auditCli(repos, 'User', u.id, u.email);
      });
      out.print(`${key}\n`);
    }),
  );
  withStore(user.command('list').description('list users')).action(async (opts: ConfigInput) =>
    withRuntime(opts, async (rt, out) => {
      for (const u of await rt.store.read((r) => r.listUsers())) out.print(`${u.id}\t${u.email}\torg ${u.org_id}\trole ${u.role_id}${u.disabled ? '\tdisabled' : ''}\n`);
    }),
  );

  withStore(
    admin
      .command('log')
      .description('show the audit log, newest first: who changed what (tab-separated: time, e-mail, organisation, action, title)')
      .option('--model <name>', 'only entries on this model (Event, Attribute, MispObject, EventReport, User, …)')
      .option('--action <name>', 'only this action (add, edit, delete, publish, …)')
      .option('--event <id>', 'the history of one event (id or UUID): the event, its attributes, objects, proposals and reports')
      .option('--limit <n>', 'at most this many entries', '50')
      .option('--verify', 'check the whole hash chain of the log against its head instead (exit code 1 if broken)'),
  ).action(async (opts: ConfigInput & { model?: string; action?: string; event?: string; limit: string; verify?: boolean }) =>
    withRuntime(opts, async (rt, out) => {
      if (opts.verify === true) {
        const verdict = await verifyStoredChain(rt);
        if (verdict.ok) out.print(`audit chain intact: ${String(verdict.size)} entries, head ${verdict.hash}\n`);
        else {
          out.print(`audit chain broken at entry ${String(verdict.seq)}: ${verdict.reason}\n`);
          process.exitCode = 1;
        }
        return;
      }
      const limit = Number(opts.limit);
      if (!Number.isSafeInteger(limit) || limit < 1) throw new InputError('--limit must be a positive integer', { field: 'limit' });
      const lines = await rt.store.read(async (repos) => {
        let entries: AuditLogRecord[];
        if (opts.event !== undefined) {
          const event = await repos.getEvent(/^[0-9]+$/.test(opts.event) ? Number(opts.event) : opts.event);
          if (event === undefined) throw new NotFoundError(`No event ${opts.event}`);
          entries = (await repos.listEventHistory(event.id, { limit })).filter((e) => (opts.model === undefined || e.model === opts.model) && (opts.action === undefined || e.action === opts.action));
        } else {
          entries = await repos.listAudit({ limit, ...(opts.model !== undefined ? { model: opts.model } : {}), ...(opts.action !== undefined ? { actions: [opts.action] } : {}) });
        }
        return describeEntries(repos, entries);
      });
      for (const line of lines) out.print(`${line}\n`);
    }),
  );

  const key = admin.command('key').description('API keys');
  withStore(key.command('add').argument('<email>').option('--comment <text>', 'what the key is for', '').description('create a new API key for a user and print it')).action(async (email: string, opts: ConfigInput & { comment: string }) =>
    withRuntime(opts, async (rt, out) => {
      const raw = generateAuthKey();
      await rt.store.write(async (repos) => {
        const u = await repos.getUser(email);
        if (u === undefined) throw new NotFoundError(`No user ${email}`);
        const k = await repos.insertAuthKey(authKeyRecord(raw, u.id, now(), randomUUID(), { comment: opts.comment }));
        await auditCli(repos, 'AuthKey', k.id, `key for ${u.email}`);
      });
      out.print(`${raw}\n`);
    }),
  );
}

/** Audit entries as lines: time, e-mail, organisation, action, title. */
async function describeEntries(repos: Repositories, entries: readonly AuditLogRecord[]): Promise<string[]> {
  const emails = new Map<number, string>();
  const orgs = new Map<number, string>();
  const lines: string[] = [];
  for (const e of entries) {
    if (!emails.has(e.user_id)) emails.set(e.user_id, (await repos.getUser(e.user_id))?.email ?? '-');
    if (!orgs.has(e.org_id)) orgs.set(e.org_id, (await repos.getOrganisation(e.org_id))?.name ?? '-');
    const log = logJson(e, emails.get(e.user_id) ?? '-', orgs.get(e.org_id) ?? '-');
    lines.push([log.created, log.email, log.org, log.action, log.title].map(String).join('\t'));
  }
  return lines;
}
