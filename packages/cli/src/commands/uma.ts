import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError, NotFoundError, Secret } from '@waggle/errors';
import {
  addClient, addUser, createResourceServerClient, ID_TOKEN_FORMAT, listClients, openSqliteUmaStore, parseAllowList, removeClient, requestRpt,
  type ResourceServerClient, type UmaStore,
} from '@waggle/uma';
import { serveUma, umaServeConfig, type UmaServeOpts } from './uma-serve.js';
import { untilSignal } from './until-signal.js';

/*
 * `waggle uma …`: the UMA 2.0 authorisation server and its clients from the shell.
 * Administrative commands (client, user) open the AS's SQLite file directly;
 * resource, policy and approval commands speak the protection API as a resource
 * server (PAT); `token` is the requesting party's side. Secrets come from files
 * or WAGGLE_UMA_CLIENT_SECRET, never from the command line.
 */

interface JsonOpt { json?: boolean }
interface RsOpts extends JsonOpt { as: string; clientId: string; clientSecretFile?: string }

const print = (text: string): boolean => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
const csv = (list: string): string[] => list.split(',').map((s) => s.trim()).filter((s) => s !== '');
const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

function readSecretFile(file: string | undefined, envName: string, what: string): Secret {
  if (file !== undefined) {
    if (!existsSync(file)) throw new InputError(`${what}: ${file} does not exist`, { field: what });
    return new Secret(readFileSync(file, 'utf8').trim());
  }
  const value = process.env[envName];
  if (value === undefined || value === '') throw new InputError(`${what} is needed: --${what}-file FILE or ${envName}`, { field: what });
  return new Secret(value);
}

function withDb<T>(db: string, fn: (store: UmaStore) => T): T {
  const store = openSqliteUmaStore(db);
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

function rsClient(o: RsOpts): ResourceServerClient {
  if (!URL.canParse(o.as)) throw new InputError(`--as must be the AS URL, got "${o.as}"`, { field: 'as' });
  return createResourceServerClient({ asUri: o.as, clientId: o.clientId, clientSecret: readSecretFile(o.clientSecretFile, 'WAGGLE_UMA_CLIENT_SECRET', 'client-secret') });
}

const asClient = (c: Command): Command => c
  .requiredOption('--as <url>', 'authorisation server URL (issuer)')
  .requiredOption('--client-id <id>', 'client id')
  .option('--client-secret-file <file>', 'file holding the client secret (or WAGGLE_UMA_CLIENT_SECRET)')
  .option('--json', 'machine-readable output');


/** Registers `waggle uma serve|client|user|resource|policy|requests|approve|token`. */
export function registerUmaCommands(program: Command): void {
  const uma = program.command('uma').description('UMA 2.0 authorisation server, resource registration, owner policies and RPTs');

  uma.command('serve').description('run the authorisation server until SIGINT/SIGTERM')
    .requiredOption('--db <file>', 'SQLite file of the AS (created if missing)')
    .option('--issuer <url>', 'public base URL (default http://HOST:PORT)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on', '8090')
    .option('--trust <file>', 'JSON {"issuers":[{"issuer","jwks_uri"|"jwks","audience"?}]} of identity providers for pushed claims')
    .option('--rpt-lifetime <seconds>', 'RPT lifetime', '300')
    .option('--no-claims-interaction', 'do not offer interactive claims gathering')
    .action(async (o: UmaServeOpts) => {
      await serveUma(umaServeConfig(o), untilSignal(), (url) => process.stderr.write(`UMA authorisation server on ${url} (discovery: /.well-known/uma2-configuration)\n`));
    });

  const client = uma.command('client').description('OAuth clients of the AS');
  client.command('add').description('register a client; prints its id and secret (shown once)')
    .requiredOption('--db <file>', 'AS SQLite file').requiredOption('--name <name>', 'display name')
    .option('--owner <subject>', 'resource owner this client acts for (makes it a resource server that may get PATs)')
    .option('--redirect-uri <uri>', 'claims redirect URI (repeatable)', collect)
    .option('--id <clientId>', 'choose the client id').option('--json', 'machine-readable output')
    .action((o: JsonOpt & { db: string; name: string; owner?: string; redirectUri?: string[]; id?: string }) => {
      const c = withDb(o.db, (s) => addClient(s, { name: o.name, ...(o.owner === undefined ? {} : { owner: o.owner }), redirectUris: o.redirectUri ?? [], ...(o.id === undefined ? {} : { clientId: o.id }) }));
      print(o.json === true ? JSON.stringify({ client_id: c.clientId, client_secret: c.clientSecret.reveal() }) : `client_id: ${c.clientId}\nclient_secret: ${c.clientSecret.reveal()}\n(store the secret now; only its hash is kept)`);
    });
  client.command('list').description('list clients').requiredOption('--db <file>', 'AS SQLite file').option('--json', 'machine-readable output')
    .action((o: JsonOpt & { db: string }) => {
      const list = withDb(o.db, listClients);
      print(o.json === true ? JSON.stringify(list) : list.map((c) => `${c.clientId}\t${c.name}\t${c.owner === null ? '(requesting party client)' : `owner=${c.owner}`}`).join('\n') || '(no clients)');
    });
  client.command('remove').description('remove a client and its PATs').argument('<clientId>').requiredOption('--db <file>', 'AS SQLite file')
    .action((id: string, o: { db: string }) => {
      withDb(o.db, (s) => removeClient(s, id));
      process.stderr.write(`removed client ${id}\n`);
    });

  uma.command('user').description('requesting parties who sign in at the claims interaction endpoint').command('add').argument('<username>')
    .requiredOption('--db <file>', 'AS SQLite file').option('--password-file <file>', 'file holding the password (or WAGGLE_UMA_PASSWORD)')
    .option('--claims <list>', 'claims as name=value pairs, comma-separated (e.g. "org=ACME,sector=energy,role=CERT")', '')
    .action((username: string, o: { db: string; passwordFile?: string; claims: string }) => {
      const claims: Record<string, string> = {};
      for (const pair of csv(o.claims)) {
        const at = pair.indexOf('=');
        if (at <= 0) throw new InputError(`--claims item "${pair}" is not name=value`, { field: 'claims' });
        claims[pair.slice(0, at)] = pair.slice(at + 1);
      }
      const password = readSecretFile(o.passwordFile, 'WAGGLE_UMA_PASSWORD', 'password');
      withDb(o.db, (s) => addUser(s, { username, password, claims }));
      process.stderr.write(`added user ${username}\n`);
    });

  const resource = uma.command('resource').description('resource registration (as a resource server, with a PAT)');
  asClient(resource.command('register').description('register a resource; prints its id').requiredOption('--scopes <list>', 'comma-separated scopes, e.g. read,write')
    .option('--name <name>', 'name').option('--type <type>', 'type URI or name').option('--description <text>', 'description'))
    .action(async (o: RsOpts & { scopes: string; name?: string; type?: string; description?: string }) => {
      const r = await rsClient(o).registerResource({ resource_scopes: csv(o.scopes), ...(o.name === undefined ? {} : { name: o.name }), ...(o.type === undefined ? {} : { type: o.type }), ...(o.description === undefined ? {} : { description: o.description }) });
      print(o.json === true ? JSON.stringify(r) : r._id);
    });
  asClient(resource.command('list').description('list the ids of this client\'s resources')).action(async (o: RsOpts) => {
    const ids = await rsClient(o).listResources();
    print(o.json === true ? JSON.stringify(ids) : ids.join('\n') || '(no resources)');
  });
  asClient(resource.command('delete').description('delete a resource').argument('<id>')).action(async (id: string, o: RsOpts) => {
    await rsClient(o).deleteResource(id);
    process.stderr.write(`deleted resource ${id}\n`);
  });

  const policy = uma.command('policy').description("the owner's policy of a resource");
  asClient(policy.command('set').description('replace the policy: who gets which scopes').argument('<resource>')
    .requiredOption('--allow <list>', 'who, e.g. "org:ACME,sector:energy+role:CERT,user:alice" (comma = any one; + = all of)')
    .requiredOption('--scopes <list>', 'scopes granted, e.g. read').option('--ask', 'ask the owner to approve each request (request_submitted)')
    .option('--add', 'add this rule to the existing policy instead of replacing it'))
    .action(async (id: string, o: RsOpts & { allow: string; scopes: string; ask?: boolean; add?: boolean }) => {
      const rs = rsClient(o);
      const rule = { scopes: csv(o.scopes), allow: parseAllowList(o.allow), ...(o.ask === true ? { approval: 'owner' } : {}) };
      const before = o.add === true ? ((await rs.getPolicy(id)) as { rules: unknown[] }).rules : [];
      await rs.setPolicy(id, { rules: [...before, rule] });
      print(o.json === true ? JSON.stringify(await rs.getPolicy(id)) : `policy of ${id} updated`);
    });
  asClient(policy.command('show').description('print the policy').argument('<resource>')).action(async (id: string, o: RsOpts) => {
    print(JSON.stringify(await rsClient(o).getPolicy(id), null, o.json === true ? 0 : 2));
  });

  asClient(uma.command('requests').description('list access requests waiting for the owner')).action(async (o: RsOpts) => {
    const list = await rsClient(o).listRequests();
    print(o.json === true ? JSON.stringify(list) : list.map((r) => `${r.id}\t${r.status}\t${r.subject ?? '-'}\t${r.permissions.map((p) => `${p.resource_id}:${p.resource_scopes.join(' ')}`).join(', ')}`).join('\n') || '(no requests)');
  });
  asClient(uma.command('approve').description('approve (or --deny) a request, named by id or by the ticket the client holds').argument('<ticketOrRequest>').option('--deny', 'deny instead'))
    .action(async (ref: string, o: RsOpts & { deny?: boolean }) => {
      const r = await rsClient(o).decideRequest(ref, o.deny === true ? 'deny' : 'approve');
      print(o.json === true ? JSON.stringify(r) : `request ${r.id} ${r.status}`);
    });

  asClient(uma.command('token').description('requesting party: exchange a ticket (and claims) for an RPT, printed on stdout')
    .requiredOption('--ticket <ticket>', 'permission ticket from the resource server')
    .option('--claim-token <file>', 'file holding a claim token (ID token or JWT)').option('--claim-token-format <uri>', 'its format', ID_TOKEN_FORMAT)
    .option('--pct <pct>', 'persisted claims token from an earlier answer').option('--rpt <rpt>', 'RPT to upgrade').option('--scope <scopes>', 'extra scopes, space-separated'))
    .action(async (o: RsOpts & { ticket: string; claimToken?: string; claimTokenFormat: string; pct?: string; rpt?: string; scope?: string }) => {
      if (!URL.canParse(o.as)) throw new InputError(`--as must be the AS URL, got "${o.as}"`, { field: 'as' });
      if (o.claimToken !== undefined && !existsSync(o.claimToken)) throw new NotFoundError(`--claim-token ${o.claimToken} does not exist`);
      const d = await createResourceServerClient({ asUri: o.as, clientId: o.clientId, clientSecret: 'unused' }).discovery();
      const result = await requestRpt({
        tokenEndpoint: d.token_endpoint, clientId: o.clientId, clientSecret: readSecretFile(o.clientSecretFile, 'WAGGLE_UMA_CLIENT_SECRET', 'client-secret'), ticket: o.ticket,
        ...(o.claimToken === undefined ? {} : { claimToken: readFileSync(o.claimToken, 'utf8').trim(), claimTokenFormat: o.claimTokenFormat }),
        ...(o.pct === undefined ? {} : { pct: o.pct }), ...(o.rpt === undefined ? {} : { rpt: o.rpt }), ...(o.scope === undefined ? {} : { scope: o.scope }),
      });
      if (result.ok) {
        print(o.json === true ? JSON.stringify({ rpt: result.rpt, expires_in: result.expiresIn, pct: result.pct, upgraded: result.upgraded }) : result.rpt);
        return;
      }
      if (o.json === true) print(JSON.stringify(result));
      const extra = [result.ticket === undefined ? '' : ` new ticket: ${result.ticket}`, result.requiredClaims === undefined ? '' : ` required claims: ${result.requiredClaims.map((c) => c.name ?? '?').join(', ')}`, result.redirectUser === undefined ? '' : ` sign in at: ${result.redirectUser}`, result.interval === undefined ? '' : ` poll again in ${String(result.interval)} s`].join(';');
      process.stderr.write(`waggle: ${result.error}: ${result.description}${extra}\n`);
      process.exitCode = result.error === 'need_info' || result.error === 'request_submitted' ? 3 : 1;
    });
}
