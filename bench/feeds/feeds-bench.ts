import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFeedWriter, extractIndicators, fetchFeedEvent, folderSink, folderSource, readFeedHashes, readManifest } from '@waggle/feeds';
import { createPrng, type Prng } from '../core/prng.js';
import { parseArgs, parseCount } from '../lib/args.js';
import { startRssSampler } from '../lib/rss-sampler.js';
import { formatTable, mib, thousands } from '../lib/table.js';

/** Usage text of `npm run bench -- feeds`. */
export const FEEDS_USAGE = `usage: npm run bench -- feeds [options]

  --attributes N   attributes in the synthetic feed (default 100000 = 1,000 events x 100; accepts 100k, 1m)
  --per-event N    attributes per event (default 100)
  --seed N         data seed (default 1)
  --text-mb N      size of the freetext sample in MB (default 10)`;

const KNOWN = new Set(['attributes', 'per-event', 'seed', 'text-mb', 'help']);

interface FeedsOptions {
  readonly attributes: number;
  readonly perEvent: number;
  readonly seed: number;
  readonly textMb: number;
}

function parseFeedsOptions(argv: readonly string[]): FeedsOptions | 'help' {
  const { named, positional } = parseArgs(argv, new Set(['help']));
  if (named.has('help')) return 'help';
  const unknown = [...named.keys()].filter((k) => !KNOWN.has(k));
  if (unknown.length > 0 || positional.length > 0) throw new Error(`unknown arguments: ${[...unknown.map((k) => `--${k}`), ...positional].join(' ')}\n${FEEDS_USAGE}`);
  const count = (name: string, fallback: number): number => {
    const value = named.get(name);
    if (value === undefined) return fallback;
    if (value === true) throw new Error(`--${name} needs a value`);
    return parseCount(value, name);
  };
  return { attributes: count('attributes', 100_000), perEvent: count('per-event', 100), seed: count('seed', 1), textMb: count('text-mb', 10) };
}

const uuidOf = (prng: Prng): string => {
  const h = prng.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20)}`;
};

// One synthetic event in MISP REST shape, deterministic for (seed, index).
function syntheticEvent(prng: Prng, index: number, attributes: number): unknown {
  const attribute = (): Record<string, unknown> => {
    const kind = prng.int(0, 4);
    const [type, category, value] =
      kind === 0 ? ['ip-dst', 'Network activity', `10.${prng.int(0, 255)}.${prng.int(0, 255)}.${prng.int(1, 254)}`]
        : kind === 1 ? ['domain', 'Network activity', `${prng.hex(10)}.example.com`]
          : kind === 2 ? ['url', 'Network activity', `http://${prng.hex(8)}.example.net/${prng.hex(12)}`]
            : kind === 3 ? ['sha256', 'Payload delivery', prng.hex(64)]
              : ['filename|md5', 'Payload delivery', `${prng.hex(6)}.exe|${prng.hex(32)}`];
    return { uuid: uuidOf(prng), type, category, value, to_ids: true, comment: '', timestamp: 1_700_000_000 + index, distribution: 5 };
  };
  return {
    Event: {
      uuid: uuidOf(prng),
      info: `Synthetic event ${index}`,
      date: '2024-01-01',
      analysis: 2,
      threat_level_id: 3,
      timestamp: 1_700_000_000 + index,
      published: true,
      Orgc: { name: 'Bench', uuid: '00000000-0000-4000-8000-00000000beef' },
      Tag: [{ name: 'tlp:white', colour: '#ffffff' }],
      Attribute: Array.from({ length: attributes }, attribute),
    },
  };
}

function syntheticText(prng: Prng, bytes: number): string {
  const words = ['the', 'actor', 'deployed', 'a', 'loader', 'which', 'contacted', 'its', 'server', 'version', '1.2.3', 'report.pdf', 'e.g.'];
  const parts: string[] = [];
  let size = 0;
  while (size < bytes) {
    const roll = prng.int(0, 29);
    const word =
      roll === 0 ? `hxxp://${prng.hex(8)}[.]example[.]com/${prng.hex(6)}`
        : roll === 1 ? `198.51.${prng.int(0, 255)}.${prng.int(1, 254)}`
          : roll === 2 ? prng.hex(64)
            : roll === 3 ? `CVE-20${prng.int(10, 24)}-${prng.int(1000, 99999)}`
              : prng.pick(words);
    parts.push(word);
    size += word.length + 1;
  }
  return parts.join(prng.chance(0.5) ? ' ' : '\n');
}

/** Runs the feeds benchmark; returns the process exit code. */
export async function runFeedsBench(argv: readonly string[]): Promise<number> {
  const options = parseFeedsOptions(argv);
  if (options === 'help') {
    process.stdout.write(`${FEEDS_USAGE}\n`);
    return 0;
  }
  const events = Math.max(1, Math.round(options.attributes / options.perEvent));
  const dir = await mkdtemp(join(tmpdir(), 'waggle-feeds-bench-'));
  try {
    const writeRss = startRssSampler(50);
    const prng = createPrng(options.seed);
    let written = 0;
    const t0 = performance.now();
    const writer = createFeedWriter(folderSink(dir));
    for (let i = 0; i < events; i++) {
      await writer.add(syntheticEvent(prng, i, options.perEvent));
      written += options.perEvent;
    }
    const summary = await writer.finish();
    const writeSeconds = (performance.now() - t0) / 1000;
    const writeMemory = writeRss.stop();
    globalThis.gc?.();
    const readRss = startRssSampler(50);

    const t1 = performance.now();
    const source = folderSource(dir);
    const manifest = await readManifest(source);
    let read = 0;
    for (const uuid of manifest.keys()) read += (await fetchFeedEvent(source, uuid)).Event.Attribute.length;
    const index = await readFeedHashes(source);
    const readSeconds = (performance.now() - t1) / 1000;
    const readMemory = readRss.stop();
    if (read !== written) throw new Error(`read back ${read} attributes, wrote ${written}`);

    const text = syntheticText(createPrng(options.seed + 1), options.textMb * 1_000_000);
    const t2 = performance.now();
    const found = extractIndicators(text);
    const textSeconds = (performance.now() - t2) / 1000;
    const textMb = Buffer.byteLength(text) / 1_000_000;

    const rows = [
      ['feed write', thousands(written), `${writeSeconds.toFixed(2)} s`, `${thousands(written / writeSeconds)} attr/s`],
      ['feed read (events + hashes.csv index)', thousands(read), `${readSeconds.toFixed(2)} s`, `${thousands(read / readSeconds)} attr/s`],
      ['freetext extraction', `${textMb.toFixed(1)} MB`, `${textSeconds.toFixed(2)} s`, `${(textMb / textSeconds).toFixed(1)} MB/s`],
    ];
    process.stdout.write(`${formatTable(['phase', 'volume', 'time', 'rate'], rows)}\n\n`);
    process.stdout.write(`feed: ${thousands(events)} events, ${thousands(summary.hashes)} hashes.csv lines, ${thousands(index.size)} distinct hashes\n`);
    process.stdout.write(`freetext: ${thousands(found.length)} distinct indicators\n`);
    process.stdout.write(`peak RSS: feed write ${mib(writeMemory.peakBytes)} (start ${mib(writeMemory.startBytes)}), feed read incl. hash index ${mib(readMemory.peakBytes)}\n`);
    return 0;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
