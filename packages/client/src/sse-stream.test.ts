import { describe, expect, it } from 'vitest';
import { createSseParser, type SseMessage } from './sse-stream.js';

describe('SSE parser', () => {
  it('splits events across chunk boundaries, skips comments, joins data lines', () => {
    const got: SseMessage[] = [];
    const feed = createSseParser((m) => got.push(m));
    feed(': waggle event stream\n\nid: 7\nevent: misp_json_event\nda');
    feed('ta: {"Event":{"uuid":"u1"}}\n\n: keep-alive\n\r\ndata: a\r\ndata: b\r\n\r\n');
    expect(got).toEqual([
      { event: 'misp_json_event', data: '{"Event":{"uuid":"u1"}}', id: '7' },
      { event: 'message', data: 'a\nb', id: '7' },
    ]);
  });
});
