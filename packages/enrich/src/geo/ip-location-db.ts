import { readFileSync } from 'node:fs';
import { InputError, UnavailableError } from '@waggle/errors';
import type { IpAddress } from '../values/ip-address.js';
import { buildRangeTable, type RangeTable } from './range-table.js';

/** The ip-location-db "num" CSV files to use; any may be left out (that family then has no answer). */
export interface IpLocationFiles {
  readonly asnIpv4?: string;
  readonly asnIpv6?: string;
  readonly countryIpv4?: string;
  readonly countryIpv6?: string;
}

/** A range the address fell in. */
export interface IpRange {
  readonly family: 4 | 6;
  readonly start: bigint;
  readonly end: bigint;
}

/** The autonomous system announcing an address. */
export interface AsnAnswer extends IpRange {
  readonly asn: number;
  readonly organization: string;
}

/** The country an address is registered in (ISO 3166-1 alpha-2). */
export interface CountryAnswer extends IpRange {
  readonly countryCode: string;
}

/** Offline ASN and country lookups; each table is loaded on its first lookup and kept. */
export interface IpLocationDb {
  asnOf(ip: IpAddress): AsnAnswer | undefined;
  countryOf(ip: IpAddress): CountryAnswer | undefined;
  /** Loads every configured table now (for start-up checks and benchmarks). */
  loadAll(): void;
  /** Rows per loaded table, by name (`asnIpv4`, …). */
  loaded(): Readonly<Record<string, number>>;
}

/** Reads the organisation column: plain, or quoted with `""` escapes. */
function unquote(field: string): string {
  return field.startsWith('"') && field.endsWith('"') && field.length >= 2 ? field.slice(1, -1).replace(/""/g, '"') : field;
}

function asnTable(text: string, family: 4 | 6, file: string, orgs: string[], orgIndex: Map<string, number>): RangeTable {
  return buildRangeTable(text, family, file, (rest, line) => {
    const comma = rest.indexOf(',');
    const asnText = comma < 0 ? rest : rest.slice(0, comma);
    if (!/^\d{1,10}$/.test(asnText) || Number(asnText) > 0xffffffff) throw new InputError(`${file} line ${String(line)}: AS number "${asnText}" is not a 32-bit number`, { field: 'file', line });
    const org = comma < 0 ? '' : unquote(rest.slice(comma + 1));
    let index = orgIndex.get(org);
    if (index === undefined) {
      index = orgs.length;
      // A copy, not a slice: V8 slices keep the whole file text alive.
      const copy = Buffer.from(org, 'utf8').toString('utf8');
      orgs.push(copy);
      orgIndex.set(copy, index);
    }
    return [Number(asnText), index];
  });
}

function countryTable(text: string, family: 4 | 6, file: string): RangeTable {
  return buildRangeTable(text, family, file, (rest, line) => {
    const code = rest.trim();
    if (!/^[A-Z]{2}$/.test(code)) throw new InputError(`${file} line ${String(line)}: country code "${code}" is not two capital letters`, { field: 'file', line });
    return [code.charCodeAt(0), code.charCodeAt(1)];
  });
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UnavailableError(`cannot read IP database ${file}: ${(e as Error).message}`, e);
  }
}

/**
 * Opens the databases lazily: nothing is read until the first lookup of a
 * family, so a command that never looks up an IPv6 address never pays for
 * the IPv6 tables. Organisation names are stored once each.
 */
export function createIpLocationDb(files: IpLocationFiles): IpLocationDb {
  const orgs: string[] = [];
  const orgIndex = new Map<string, number>();
  const tables = new Map<keyof IpLocationFiles, RangeTable | null>();
  const table = (name: keyof IpLocationFiles): RangeTable | null => {
    const known = tables.get(name);
    if (known !== undefined) return known;
    const file = files[name];
    let built: RangeTable | null = null;
    if (file !== undefined) {
      const family = name.endsWith('6') ? 6 : 4;
      built = name.startsWith('asn') ? asnTable(readText(file), family, file, orgs, orgIndex) : countryTable(readText(file), family, file);
    }
    tables.set(name, built);
    return built;
  };
  const range = (t: RangeTable, row: number): IpRange => ({ family: t.family, start: t.start(row), end: t.end(row) });
  return {
    asnOf(ip) {
      const t = table(ip.family === 4 ? 'asnIpv4' : 'asnIpv6');
      const row = t === null ? -1 : t.find(ip);
      if (t === null || row < 0) return undefined;
      return { ...range(t, row), asn: t.a[row] as number, organization: orgs[t.b[row] as number] ?? '' };
    },
    countryOf(ip) {
      const t = table(ip.family === 4 ? 'countryIpv4' : 'countryIpv6');
      const row = t === null ? -1 : t.find(ip);
      if (t === null || row < 0) return undefined;
      return { ...range(t, row), countryCode: String.fromCharCode(t.a[row] as number, t.b[row] as number) };
    },
    loadAll() {
      for (const name of ['asnIpv4', 'asnIpv6', 'countryIpv4', 'countryIpv6'] as const) table(name);
    },
    loaded() {
      const out: Record<string, number> = {};
      for (const [name, t] of tables) if (t !== null) out[name] = t.size;
      return out;
    },
  };
}
