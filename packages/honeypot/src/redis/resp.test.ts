import { describe, expect, it } from 'vitest';
import { createRespParser, resp, splitInline } from './resp.js';

describe('RESP parser', () => {
  it('parses pipelined arrays split at any byte', () => {
    const p = createRespParser(1024);
    const wire = Buffer.from('*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*1\r\n$4\r\nPING\r\n');
    const commands = [];
    for (const b of wire) commands.push(...p.feed(Buffer.from([b])).commands);
    expect(commands.map((c) => c.map((a) => a.toString()))).toEqual([['GET', 'k'], ['PING']]);
  });

  it('keeps binary bulk strings intact', () => {
    const p = createRespParser(1024);
    const [cmd] = p.feed(Buffer.concat([Buffer.from('*2\r\n$3\r\nSET\r\n$3\r\n'), Buffer.from([0, 255, 10]), Buffer.from('\r\n')])).commands;
    expect([...(cmd?.[1] ?? [])]).toEqual([0, 255, 10]);
  });

  it('reports oversized and malformed input as protocol errors, then ignores the rest', () => {
    expect(createRespParser(10).feed(Buffer.from('*1\r\n$11\r\n')).error).toBe('Protocol error: invalid bulk length');
    expect(createRespParser(10).feed(Buffer.from('*x\r\n')).error).toBe('Protocol error: invalid multibulk length');
    expect(createRespParser(10).feed(Buffer.from('*1\r\n+OK\r\n')).error).toBe("Protocol error: expected '$', got '+'");
    const p = createRespParser(10);
    expect(p.feed(Buffer.from('A'.repeat(11))).error).toBe('Protocol error: too big inline request');
    expect(p.feed(Buffer.from('PING\r\n')).commands).toEqual([]);
  });

  it('splits inline commands like redis-cli', () => {
    expect(splitInline(`set k "a b\\x41" 'c d'`)).toEqual(['set', 'k', 'a bA', 'c d']);
    expect(resp.array(['a', null])).toBe('*2\r\n$1\r\na\r\n$-1\r\n');
  });
});
