import { createHash } from 'node:crypto';

/** The client's algorithm lists from its SSH_MSG_KEXINIT (RFC 4253 §7.1). */
export interface ClientKexInit {
  kexAlgs: string[];
  keyAlgs: string[];
  encCS: string[];
  encSC: string[];
  macCS: string[];
  macSC: string[];
  compCS: string[];
  compSC: string[];
  langCS: string[];
  langSC: string[];
}

/** HASSH (Salesforce): md5 of `kex;enc;mac;cmp` client-to-server lists. */
export function hassh(kex: ClientKexInit): { hassh: string; hasshAlgorithms: string } {
  const hasshAlgorithms = [kex.kexAlgs, kex.encCS, kex.macCS, kex.compCS].map((l) => l.join(',')).join(';');
  return { hassh: createHash('md5').update(hasshAlgorithms).digest('hex'), hasshAlgorithms };
}

const SSH_MSG_KEXINIT = 20;
const MAX_IDENT = 255;
/** RFC 4253 §6.1: implementations must handle packets of 35000 bytes; more is abuse. */
const MAX_PACKET = 35_000;

/** What the tap learned; `error` set when the client's bytes are not SSH. */
export interface TapResult {
  version?: string;
  kex?: ClientKexInit;
  error?: string;
}

/**
 * Reads the client's identification string and first binary packet (its KEXINIT, sent in
 * clear before any key exchange) from the raw bytes `ssh2` will also consume. It holds at most
 * one packet and stops once both are known, because ssh2 does not expose the client's lists.
 */
export function createKexInitTap(onDone: (result: TapResult) => void): (chunk: Buffer) => boolean {
  let buffer = Buffer.alloc(0);
  let version: string | undefined;
  let done = false;
  const finish = (result: TapResult): boolean => {
    done = true;
    buffer = Buffer.alloc(0);
    onDone(result);
    return true;
  };
  return (chunk) => {
    if (done) return true;
    buffer = Buffer.concat([buffer, chunk]);
    while (version === undefined) {
      const nl = buffer.indexOf(0x0a);
      if (nl === -1) return buffer.length > MAX_IDENT * 4 ? finish({ error: 'no identification line' }) : false;
      const line = buffer.subarray(0, nl).toString('latin1').replace(/\r$/, '');
      buffer = buffer.subarray(nl + 1);
      // Servers may send lines before the ident; clients should not, but tolerate them.
      if (line.startsWith('SSH-')) version = line.slice(0, MAX_IDENT);
    }
    if (buffer.length < 5) return false;
    const length = buffer.readUInt32BE(0);
    if (length > MAX_PACKET || length < 2) return finish({ version, error: 'bad packet length' });
    if (buffer.length < 4 + length) return false;
    const padding = buffer.readUInt8(4);
    const payload = buffer.subarray(5, 4 + length - padding);
    const kex = parseKexInitPayload(payload);
    return finish(kex === undefined ? { version, error: 'first packet is not KEXINIT' } : { version, kex });
  };
}

/** Parses a KEXINIT payload (message byte, cookie, ten name-lists); undefined if malformed. */
export function parseKexInitPayload(payload: Buffer): ClientKexInit | undefined {
  if (payload.length < 17 || payload[0] !== SSH_MSG_KEXINIT) return undefined;
  let offset = 17;
  const lists: string[][] = [];
  for (let i = 0; i < 10; i += 1) {
    if (offset + 4 > payload.length) return undefined;
    const len = payload.readUInt32BE(offset);
    offset += 4;
    if (offset + len > payload.length) return undefined;
    const text = payload.subarray(offset, offset + len).toString('latin1');
    offset += len;
    lists.push(text === '' ? [] : text.split(','));
  }
  const [kexAlgs, keyAlgs, encCS, encSC, macCS, macSC, compCS, compSC, langCS, langSC] = lists as [
    string[], string[], string[], string[], string[], string[], string[], string[], string[], string[],
  ];
  return { kexAlgs, keyAlgs, encCS, encSC, macCS, macSC, compCS, compSC, langCS, langSC };
}
