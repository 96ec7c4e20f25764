import { describe, expect, it } from 'vitest';
import { parseCsv, parseCsvTable } from './csv.js';

describe('parseCsv', () => {
  it('splits plain fields and rows, with LF or CRLF, skipping blank lines', () => {
    expect(parseCsv('a,b\r\n1,2\n\n3,4\n')).toEqual([['a', 'b'], ['1', '2'], ['3', '4']]);
  });
  it('keeps commas, doubled quotes and line breaks inside quoted fields', () => {
    expect(parseCsv('x,"a, b","say ""hi""","line1\nline2"\n')).toEqual([['x', 'a, b', 'say "hi"', 'line1\nline2']]);
  });
  it('reads empty fields, a trailing empty field and a last row without newline', () => {
    expect(parseCsv('a,,c,\n,"",z')).toEqual([['a', '', 'c', ''], ['', '', 'z']]);
  });
  it('drops a byte-order mark and keeps CR inside quotes', () => {
    expect(parseCsv('\uFEFFname\n"a\r\nb"')).toEqual([['name'], ['a\r\nb']]);
  });
  it('rejects an unclosed quote, naming the source and line', () => {
    expect(() => parseCsv('a\n"open,\nstill', 'f.csv')).toThrow(/f\.csv: quoted field opened on line 2 is never closed/);
  });
  it('rejects text after a closing quote', () => {
    expect(() => parseCsv('"a"b,c', 'g.csv')).toThrow(/g\.csv: line 1: text after a closing quote/);
  });
  it('keeps a quote inside an unquoted field as text', () => {
    expect(parseCsv('5" floppy,x')).toEqual([['5" floppy', 'x']]);
  });
});

describe('parseCsvTable', () => {
  it('maps rows to records by trimmed header, short rows reading as empty, first of duplicate names kept', () => {
    const t = parseCsvTable(' a ,b,,\n1,2,3,4\n5\n', 't.csv', ['a']);
    expect(t.header).toEqual(['a', 'b', '', '']);
    expect(t.records).toEqual([{ a: '1', b: '2' }, { a: '5', b: '' }]);
  });
  it('names the file and the missing columns', () => {
    expect(() => parseCsvTable('a,b\n1,2', 'data/x.csv', ['a', 'c', 'd'])).toThrow('data/x.csv: missing columns c, d (header: a,b)');
    expect(() => parseCsvTable('', 'empty.csv', ['a'])).toThrow('empty.csv: missing column a (header: empty)');
  });
});
