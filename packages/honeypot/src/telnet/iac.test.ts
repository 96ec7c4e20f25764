import { describe, expect, it } from 'vitest';
import { createIacParser, DO, DONT, IAC, SB, SE, WILL, WONT } from './iac.js';

describe('Telnet IAC parser', () => {
  it('strips negotiation, keeps escaped 255 and answers each request once', () => {
    const p = createIacParser();
    const first = p.feed(Buffer.from([0x61, IAC, DO, 24, IAC, IAC, 0x62, IAC, WILL, 31, IAC, DO, 1]));
    expect([...first.data]).toEqual([0x61, 255, 0x62]);
    expect([...first.reply]).toEqual([IAC, WONT, 24, IAC, DONT, 31]);
    expect(p.feed(Buffer.from([IAC, DO, 24])).reply.length).toBe(0);
  });

  it('skips subnegotiations split across chunks and bounds them', () => {
    const p = createIacParser(8);
    expect([...p.feed(Buffer.from([0x41, IAC, SB, 31, 0])).data]).toEqual([0x41]);
    expect([...p.feed(Buffer.from([80, 0, 24, IAC, SE, 0x42])).data]).toEqual([0x42]);
    const runaway = p.feed(Buffer.concat([Buffer.from([IAC, SB]), Buffer.alloc(20, 0x58)]));
    expect(runaway.data.length).toBeLessThan(20);
  });
});
