import type { Command } from 'commander';
import { InputError } from '@waggle/errors';
import type { MispJson, ReputationQuery } from '@waggle/core';
import type { ConfigInput } from '../config.js';
import { adminPrincipal } from './principal.js';
import { withRuntime } from './with-runtime.js';

type WithStore = (c: Command) => Command;
type Opts = ConfigInput & { halfLifeDays?: string; json?: boolean };

function queryOf(opts: Opts): ReputationQuery {
  if (opts.halfLifeDays === undefined) return {};
  const days = Number(opts.halfLifeDays);
  if (!Number.isFinite(days)) throw new InputError('--half-life-days must be a number of days', { field: 'half-life-days' });
  return { halfLifeDays: days };
}

/** One line per organisation: score, uncertainty, the evidence, and what it created. */
function line(r: MispJson): string {
  const org = r.Organisation as MispJson;
  const e = r.evidence as MispJson;
  return [
    String(org.name), Number(r.score).toFixed(3), `±${Number(r.uncertainty).toFixed(3)}`,
    `seen ${String(e.sightings)}`, `false-positive ${String(e.false_positives)}`, `opinions ${String(e.opinions)}`, `from ${String(e.reporters)} orgs`,
    `${String(r.events)} events, ${String(r.attributes)} attributes`,
  ].join('\t');
}

/** `waggle reputation [ORG]`: source reputation over the whole store, as a site admin sees it. */
export function registerReputationCommand(program: Command, withStore: WithStore): void {
  withStore(
    program.command('reputation').argument('[org]', 'one organisation (id, UUID or name); all creator organisations if left out')
      .option('--half-life-days <days>', 'feedback loses half its weight after this many days (0: never)', '180')
      .option('--json', 'print the JSON the API answers')
      .description('rate each source organisation from the sightings, false positives and opinions of the others (ADR 0015)'),
  ).action(async (org: string | undefined, _opts: Opts, cmd: Command) => {
    const opts = cmd.optsWithGlobals<Opts>();
    const query = queryOf(opts);
    await withRuntime(opts, async (rt, out) => {
      const p = await adminPrincipal(rt);
      const list = org === undefined ? await rt.services.reputation.list(p, query) : [await rt.services.reputation.view(p, org, query)];
      if (opts.json === true) {
        out.print(`${JSON.stringify(org === undefined ? list : list[0], null, 2)}\n`);
        return;
      }
      for (const item of list) out.print(`${line(item.Reputation as MispJson)}\n`);
    });
  });
}
