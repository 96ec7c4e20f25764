import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { InputError, NotFoundError } from '@waggle/errors';
import { authKeyRecord, generateAuthKey } from '@waggle/core';
import type { ConfigInput } from '../config.js';
import { withRuntime } from './with-runtime.js';

type WithStore = (c: Command) => Command;


const now = (): number => Math.floor(Date.now() / 1000);

/** `waggle admin …`: organisations, users and keys, straight on the store (for operators on the host). */
export function registerAdminCommands(program: Command, withStore: WithStore): void {
  const admin = program.command('admin').description('administer organisations, users and API keys');
  const org = admin.command('org').description('organisations');
  withStore(org.command('add').argument('<name>').option('--external', 'an organisation of another instance').description('create an organisation')).action(async (name: string, opts: ConfigInput & { external?: boolean }) =>
    withRuntime(opts, async (rt, out) => {
      const created = await rt.store.write(async (repos) => {
        if ((await repos.getOrganisation(name)) !== undefined) throw new InputError(`Organisation "${name}" already exists`, { field: 'name' });
        return repos.insertOrganisation({ uuid: randomUUID(), name, description: '', type: '', nationality: '', sector: '', contacts: '', local: opts.external !== true, restricted_to_domain: '', landingpage: '', created_by: 0, date_created: now(), date_modified: now() });
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
      });
      out.print(`${key}\n`);
    }),
  );
  withStore(user.command('list').description('list users')).action(async (opts: ConfigInput) =>
    withRuntime(opts, async (rt, out) => {
      for (const u of await rt.store.read((r) => r.listUsers())) out.print(`${u.id}\t${u.email}\torg ${u.org_id}\trole ${u.role_id}${u.disabled ? '\tdisabled' : ''}\n`);
    }),
  );

  const key = admin.command('key').description('API keys');
  withStore(key.command('add').argument('<email>').option('--comment <text>', 'what the key is for', '').description('create a new API key for a user and print it')).action(async (email: string, opts: ConfigInput & { comment: string }) =>
    withRuntime(opts, async (rt, out) => {
      const raw = generateAuthKey();
      await rt.store.write(async (repos) => {
        const u = await repos.getUser(email);
        if (u === undefined) throw new NotFoundError(`No user ${email}`);
        await repos.insertAuthKey(authKeyRecord(raw, u.id, now(), randomUUID(), { comment: opts.comment }));
      });
      out.print(`${raw}\n`);
    }),
  );
}
