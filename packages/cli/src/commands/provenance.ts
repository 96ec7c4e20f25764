import type { Command } from 'commander';
import type { MispJson } from '@waggle/core';
import type { ConfigInput } from '../config.js';
import { adminPrincipal } from './principal.js';
import { withRuntime } from './with-runtime.js';

type WithStore = (c: Command) => Command;
type Opts = ConfigInput & { json?: boolean };

/** The other side of a crossing (push, pull, receive, serve), as its entry names it. */
function peerOf(change: unknown): string {
  const peer = (change as { peer?: { server?: string; org?: string } } | null)?.peer;
  if (peer === undefined) return '';
  return [peer.server !== undefined ? `server ${peer.server}` : '', peer.org !== undefined ? `org ${peer.org}` : ''].filter((s) => s !== '').join(', ');
}

/** One line per entry: position, time, action, model, organisation, peer, outcome, digest, whether its hash recomputes. */
function line(e: MispJson): string {
  const change = e.change as { outcome?: string; digest?: string } | null;
  return [
    String(e.seq), String(e.created), String(e.action), `${String(e.model)} ${String(e.model_id)}`, String((e.Organisation as MispJson).name),
    peerOf(e.change), change?.outcome ?? '', change?.digest ?? '', e.hash_ok === true ? 'hash ok' : 'HASH MISMATCH',
  ].join('\t');
}

/** `waggle provenance EVENT`: the event's entries in the hash-chained audit log (ADR 0015). */
export function registerProvenanceCommand(program: Command, withStore: WithStore): void {
  withStore(
    program.command('provenance').argument('<event>', 'the event (id or UUID)')
      .option('--json', 'print the JSON the API answers (GET /provenance/events/{id})')
      .description('show where an event came from and whom it went to: its entries in the hash-chained audit log (created, edited, published, pushed, pulled, received, served) with content digests; exit code 1 if an entry does not hash to its recorded value'),
  ).action(async (event: string, _opts: Opts, cmd: Command) => {
    const opts = cmd.optsWithGlobals<Opts>();
    await withRuntime(opts, async (rt, out) => {
      const trail = await rt.services.provenance.trail(await adminPrincipal(rt), event);
      const entries = trail.entries;
      if (opts.json === true) out.print(`${JSON.stringify(trail, null, 2)}\n`);
      else {
        const ev = trail.Event;
        out.print(`event ${String(ev.uuid)} "${String(ev.info)}" by ${String((ev.Orgc as MispJson).name)}; chain head ${String(trail.head.size)} entries, ${trail.head.signature === undefined ? 'unsigned' : 'signed'}\n`);
        for (const e of entries) out.print(`${line(e)}\n`);
      }
      if (entries.some((e) => e.hash_ok !== true)) process.exitCode = 1;
    });
  });
}
