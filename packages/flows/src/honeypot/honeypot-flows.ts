import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { InputError, NotFoundError } from '@waggle/errors';
import type { FlowRecord } from '../flow-record.js';
import type { BadRow, FlowInput } from '../load/load-flows.js';
import { sessionToFlow } from './session-flow.js';
import { addEvent, newTally, type SessionTally } from './session-summary.js';

/** Flows made from a honeypot log. */
export interface HoneypotFlows {
  /** One attack-labelled flow per session, ordered by start time. */
  readonly flows: FlowRecord[];
  /** Lines that were not Cowrie events (bad JSON, no `eventid`/`session`, bad `timestamp`). */
  readonly badLines: readonly BadRow[];
}

/** Folds Cowrie JSON lines into per-session tallies, in memory. */
export interface SessionFolder {
  add(line: string): void;
  result(): HoneypotFlows;
}

function parseEvent(line: string): { event: Record<string, unknown>; eventid: string; session: string; time: number } | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'not JSON';
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object';
  const event = value as Record<string, unknown>;
  const { eventid, session, timestamp } = event;
  if (typeof eventid !== 'string' || eventid === '') return 'no eventid';
  if (typeof session !== 'string' || session === '') return 'no session';
  const time = typeof timestamp === 'string' ? Date.parse(timestamp) : NaN;
  if (Number.isNaN(time)) return 'no valid timestamp';
  return { event, eventid, session, time };
}

/** Creates a folder; feed it lines in any order, then read its flows. */
export function createSessionFolder(keepBadLines = 100): SessionFolder {
  const sessions = new Map<string, SessionTally>();
  const bad: BadRow[] = [];
  let line = 0;
  return {
    add(text) {
      line += 1;
      if (text.trim() === '') return;
      const parsed = parseEvent(text);
      if (typeof parsed === 'string') {
        if (bad.length < keepBadLines) bad.push({ line, reason: parsed });
        return;
      }
      let tally = sessions.get(parsed.session);
      // direct-tcpip events carry the requested target in place of the envelope: never take addresses from them.
      const envelope = parsed.eventid === 'cowrie.direct-tcpip.request' ? {} : parsed.event;
      if (tally === undefined) {
        tally = newTally(parsed.session, envelope, parsed.time);
        sessions.set(parsed.session, tally);
      } else if (tally.srcIp === '' && envelope === parsed.event) {
        const known = newTally(parsed.session, envelope, tally.start);
        tally.srcIp = known.srcIp;
        tally.srcPort = known.srcPort;
        tally.dstIp = known.dstIp;
        tally.dstPort = known.dstPort;
        tally.protocol = known.protocol;
      }
      addEvent(tally, parsed.eventid, parsed.event, parsed.time);
    },
    result() {
      const flows = [...sessions.values()].map(sessionToFlow).sort((a, b) => a.ts - b.ts);
      return { flows, badLines: [...bad] };
    },
  };
}

/**
 * Turns honeypot sessions (Cowrie JSON lines, as `@waggle/honeypot` and Cowrie write them) into
 * labelled flows: one flow per session, `label` 1, `attackType` from the behaviour (`ssh-bruteforce`,
 * `telnet-intrusion`, `http-exploit`, `scan`, …), packets and bytes estimated from the events.
 * Sessions without `cowrie.session.closed` are kept with the time up to their last event.
 */
export function honeypotSessionsToFlows(lines: Iterable<string>): HoneypotFlows {
  const folder = createSessionFolder();
  for (const line of lines) folder.add(line);
  return folder.result();
}

/** Reads a Cowrie JSON-lines file or stream line by line and converts it like {@link honeypotSessionsToFlows}. */
export async function readHoneypotFlows(input: FlowInput): Promise<HoneypotFlows> {
  if (typeof input === 'string') {
    await stat(input).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'ENOENT' ? new NotFoundError(`honeypot log not found: ${input}`, { field: 'path' }) : new InputError(`cannot read ${input}: ${error.code ?? error.message}`, { field: 'path' });
    });
  }
  const stream = typeof input === 'string' ? createReadStream(input) : input instanceof Readable ? input : Readable.from(input);
  const folder = createSessionFolder();
  for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) folder.add(line);
  return folder.result();
}
