import type { Command } from 'commander';
import { NotFoundError } from '@waggle/errors';
import type { ChannelReport, SyncReport } from '@waggle/sync';
import type { ConfigInput } from '../config.js';
import type { Output } from '../output.js';
import type { Runtime } from '../runtime.js';
import { withRuntime } from './with-runtime.js';
import { adminPrincipal } from './principal.js';

type WithStore = (c: Command) => Command;


function printReport(out: Output, r: SyncReport): void {
  out.print(`${r.direction}: ${String(r.listed)} listed, ${String(r.fetched)} ${r.direction === 'pull' ? 'fetched' : 'sent'}, ${String(r.created)} created, ${String(r.updated)} updated, ${String(r.unchanged)} unchanged, ${String(r.skipped)} skipped, ${String(r.failed)} failed (${String(r.durationMs)} ms)\n`);
  for (const e of r.errors.slice(0, 20)) out.print(`  ${e.eventUuid ?? '-'}\t${e.code}\t${e.message}\n`);
  if (r.aborted || r.failed > 0) process.exitCode = 1;
  printChannel(out, r.direction, 'sightings', r.sightings);
  printChannel(out, r.direction, 'galaxy clusters', r.galaxyClusters);
}

function printChannel(out: Output, direction: string, name: string, c: ChannelReport | undefined): void {
  if (c === undefined || c.disabled) return;
  out.print(`${direction} ${name}: ${String(c.candidates)} candidates, ${String(c.sent)} ${direction === 'pull' ? 'received' : 'sent'}, ${String(c.saved)} saved, ${String(c.unchanged)} unchanged, ${String(c.skipped)} skipped, ${String(c.failed)} failed (${String(c.durationMs)} ms)\n`);
  for (const e of c.errors.slice(0, 20)) out.print(`  ${e.eventUuid ?? '-'}\t${e.code}\t${e.message}\n`);
  if (c.aborted || c.failed > 0) process.exitCode = 1;
}

async function serverId(rt: Runtime, ref: string): Promise<number> {
  const p = await adminPrincipal(rt);
  const all = await rt.services.sync.list(p);
  const hit = all.find((s) => {
    const server = s.Server as { id: string; name: string };
    return server.id === ref || server.name === ref;
  });
  if (hit === undefined) throw new NotFoundError(`No server "${ref}" (see \`waggle servers list\`)`);
  return Number((hit.Server as { id: string }).id);
}

/** `waggle servers …`: connections to other MISP-compatible instances, and sync with them. */
export function registerServerCommands(program: Command, withStore: WithStore): void {
  const servers = program.command('servers').description('connections to other waggle or MISP instances, and sync');
  withStore(
    servers.command('add').argument('<name>').requiredOption('--url <url>', 'base URL of the remote instance').requiredOption('--key <authkey>', 'API key of a sync user on the remote instance')
      .option('--remote-org <name|id|uuid>', 'this instance\'s record of the organisation running the remote (created if missing with --remote-org-uuid)')
      .option('--remote-org-uuid <uuid>', 'UUID of the remote organisation, to create its record here')
      .option('--pull', 'pull from it').option('--push', 'push to it').option('--push-sightings', 'also push sightings (MISP push_sightings)').option('--pull-galaxy-clusters', 'also pull custom galaxy clusters').option('--push-galaxy-clusters', 'also push custom galaxy clusters').option('--pull-rules <json>', 'MISP pull rules').option('--push-rules <json>', 'MISP push rules')
      .description('add a server connection'),
  ).action(async (name: string, opts: ConfigInput & { url: string; key: string; remoteOrg?: string; remoteOrgUuid?: string; pull?: boolean; push?: boolean; pushSightings?: boolean; pullGalaxyClusters?: boolean; pushGalaxyClusters?: boolean; pullRules?: string; pushRules?: string }) =>
    withRuntime(opts, async (rt, out) => {
      const p = await adminPrincipal(rt);
      let remoteOrgId = 0;
      if (opts.remoteOrg !== undefined) {
        const now = Math.floor(Date.now() / 1000);
        const org = await rt.store.write(async (repos) => (await repos.getOrganisation(opts.remoteOrg as string)) ?? (opts.remoteOrgUuid === undefined ? undefined : repos.insertOrganisation({
          uuid: opts.remoteOrgUuid.toLowerCase(), name: opts.remoteOrg as string, description: '', type: '', nationality: '', sector: '', contacts: '', local: false,
          restricted_to_domain: '', landingpage: '', created_by: p.user.id, date_created: now, date_modified: now,
        })));
        if (org === undefined) throw new NotFoundError(`No organisation "${opts.remoteOrg}"; give --remote-org-uuid to create it`);
        remoteOrgId = org.id;
      }
      const s = await rt.services.sync.add(p, {
        Server: { name, url: opts.url, authkey: opts.key, remote_org_id: remoteOrgId, pull: opts.pull === true, push: opts.push === true, push_sightings: opts.pushSightings === true, pull_galaxy_clusters: opts.pullGalaxyClusters === true, push_galaxy_clusters: opts.pushGalaxyClusters === true, ...(opts.pullRules !== undefined ? { pull_rules: opts.pullRules } : {}), ...(opts.pushRules !== undefined ? { push_rules: opts.pushRules } : {}) },
      });
      const server = s.Server as { id: string; name: string };
      out.print(`${server.id}\t${server.name}\n`);
    }),
  );
  withStore(servers.command('list').description('list server connections')).action(async (opts: ConfigInput) =>
    withRuntime(opts, async (rt, out) => {
      for (const row of await rt.services.sync.list(await adminPrincipal(rt))) {
        const s = row.Server as { id: string; name: string; url: string; pull: boolean; push: boolean };
        const remote = row.RemoteOrg as { name?: string } | null;
        out.print(`${s.id}\t${s.name}\t${s.url}\t${s.pull ? 'pull' : '-'}\t${s.push ? 'push' : '-'}\t${remote?.name ?? ''}\n`);
      }
    }),
  );
  withStore(servers.command('remove').argument('<server>', 'name or id').description('remove a server connection and its sync state')).action(async (ref: string, opts: ConfigInput) =>
    withRuntime(opts, async (rt) => {
      await rt.services.sync.delete(await adminPrincipal(rt), await serverId(rt, ref));
    }),
  );
  withStore(servers.command('test').argument('<server>', 'name or id').description('check the connection and the remote user\'s sync permission')).action(async (ref: string, opts: ConfigInput) =>
    withRuntime(opts, async (rt, out) => {
      const t = await rt.services.sync.test(await adminPrincipal(rt), await serverId(rt, ref));
      out.print(`${t.message}${t.version !== undefined ? ` (remote version ${t.version})` : ''}\n`);
      if (t.status !== 1) process.exitCode = 1;
    }),
  );
  for (const direction of ['pull', 'push'] as const) {
    withStore(servers.command(direction).argument('<server>', 'name or id').description(`${direction} events ${direction === 'pull' ? 'from' : 'to'} a server now (incremental)`)).action(async (ref: string, opts: ConfigInput) =>
      withRuntime(opts, async (rt, out) => {
        const p = await adminPrincipal(rt);
        const id = await serverId(rt, ref);
        printReport(out, direction === 'pull' ? await rt.services.sync.pull(p, id) : await rt.services.sync.push(p, id));
      }),
    );
  }
  withStore(servers.command('log').argument('[server]', 'name or id').option('--limit <n>', 'lines', '50').description('show the sync log, newest first')).action(async (ref: string | undefined, opts: ConfigInput & { limit: string }) =>
    withRuntime(opts, async (rt, out) => {
      const p = await adminPrincipal(rt);
      for (const l of await rt.services.sync.logs(p, ref === undefined ? undefined : await serverId(rt, ref), Number(opts.limit))) {
        out.print(`${new Date(l.created * 1000).toISOString()}\t${l.direction}\t${l.level}\t${l.event_uuid || '-'}\t${l.message}\n`);
      }
    }),
  );
}
