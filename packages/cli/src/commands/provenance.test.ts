import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { cliStore } from '../test-support/run-cli.js';

describe('waggle provenance', () => {
  const { home, database, run, remove } = cliStore('waggle-provenance-');
  afterAll(remove);
  const uuid = '5d5a1c2e-0000-4000-8000-0000000e0e77';

  it('lists an event\'s chained entries, in JSON too, and fails on an entry that no longer hashes to its record', async () => {
    const file = join(home, 'event.json');
    writeFileSync(file, JSON.stringify({ Event: { uuid, info: 'Traced event', date: '2026-12-01', distribution: '1', threat_level_id: '2', analysis: '0', Attribute: [{ type: 'domain', category: 'Network activity', value: 'traced.example' }] } }));
    // The first command on a new store creates the admin; an unknown event is a clear error.
    const missing = await run('provenance', uuid);
    expect(missing.code).not.toBe(0);
    expect(missing.err).toMatch(/Invalid event/);
    const imported = await run('import', file);
    expect(imported.code, imported.err).toBe(0);
    const table = await run('provenance', uuid);
    expect(table.code, table.err + table.out).toBe(0);
    const lines = table.out.trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^event ${uuid} "Traced event" by \\S+; chain head \\d+ entries, signed$`));
    expect(lines.slice(1).some((l) => /^\d+\t\S+\tadd\tEvent \d+\t/.test(l) && l.endsWith('\thash ok'))).toBe(true);
    const json = JSON.parse((await run('provenance', uuid, '--json')).out) as { Event: { uuid: string }; entries: { action: string; hash_ok: boolean }[] };
    expect(json.Event.uuid).toBe(uuid);
    expect(json.entries.every((e) => e.hash_ok)).toBe(true);
    // Someone edits the stored log behind the chain's back: the entry no longer hashes to its record.
    const db = new BetterSqlite3(database);
    db.prepare("update audit_logs set model_title = 'rewritten' where model = 'Event' and action = 'add'").run();
    db.close();
    const tampered = await run('provenance', uuid);
    expect(tampered.code).toBe(1);
    expect(tampered.out).toContain('HASH MISMATCH');
  });
});
