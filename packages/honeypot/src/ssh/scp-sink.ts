import { collectUpload, type QuarantinedFile, type UploadCollector } from '../log/quarantine.js';

/** What the SCP sink needs. */
export interface ScpSinkDeps {
  quarantineDir: string | undefined;
  maxUploadBytes: number;
  /** Longest control line accepted (`C0644 123 name`). */
  maxLineBytes: number;
  /** Called per received file with its name relative to the `scp -t` target. */
  onUpload(relativeName: string, file: QuarantinedFile): void;
  /** Sends bytes back to the client (acks and errors). */
  reply(data: Buffer): void;
  /** Ends the exchange (protocol error or client done). */
  end(code: number): void;
}

/**
 * The receiving side of the legacy SCP protocol (`scp -O`, and old clients): acknowledges
 * control lines, collects each `C` file's bytes (capped) into quarantine. Folders (`D`/`E`) and
 * times (`T`) are acknowledged only. Returns a function to feed channel data into.
 */
export function createScpSink(deps: ScpSinkDeps): (chunk: Buffer) => void {
  const ACK = Buffer.from([0]);
  let line: Buffer[] = [];
  let lineSize = 0;
  let file: { name: string; remaining: number; upload: UploadCollector } | undefined;
  let awaitingStatus = false;
  let failed = false;
  const dirs: string[] = [];
  deps.reply(ACK);

  const handleLine = (text: string): void => {
    const kind = text[0];
    if (kind === 'C') {
      const m = /^C([0-7]{4}) (\d+) (.+)$/.exec(text);
      if (m === null) return fail('protocol error: bad file line');
      const name = (m[3] as string).replace(/\//g, '_');
      file = { name, remaining: Number(m[2]), upload: collectUpload(deps.quarantineDir, deps.maxUploadBytes) };
      deps.reply(ACK);
      if (file.remaining === 0) awaitingStatus = true;
    } else if (kind === 'D') {
      const m = /^D[0-7]{4} \d+ (.+)$/.exec(text);
      if (m === null) return fail('protocol error: bad directory line');
      dirs.push((m[1] as string).replace(/\//g, '_'));
      deps.reply(ACK);
    } else if (kind === 'E') {
      dirs.pop();
      deps.reply(ACK);
    } else if (kind === 'T') {
      deps.reply(ACK);
    } else {
      return fail('protocol error: unexpected message type');
    }
    return undefined;
  };
  const fail = (message: string): void => {
    failed = true;
    deps.reply(Buffer.from(`\x02scp: ${message}\n`));
    deps.end(1);
  };

  return (chunk) => {
    let offset = 0;
    while (offset < chunk.length && !failed) {
      if (file !== undefined && !awaitingStatus) {
        const take = Math.min(file.remaining, chunk.length - offset);
        file.upload.push(chunk.subarray(offset, offset + take));
        file.remaining -= take;
        offset += take;
        if (file.remaining === 0) awaitingStatus = true;
        continue;
      }
      if (file !== undefined && awaitingStatus) {
        // The sender's status byte after the data: 0 means the file was sent completely.
        offset += 1;
        const stored = file.upload.finish();
        deps.onUpload([...dirs, file.name].join('/'), stored);
        file = undefined;
        awaitingStatus = false;
        deps.reply(ACK);
        continue;
      }
      const nl = chunk.indexOf(0x0a, offset);
      const end = nl === -1 ? chunk.length : nl;
      lineSize += end - offset;
      if (lineSize > deps.maxLineBytes) return fail('protocol error: line too long');
      line.push(chunk.subarray(offset, end));
      offset = end;
      if (nl !== -1) {
        offset += 1;
        const text = Buffer.concat(line).toString('utf8');
        line = [];
        lineSize = 0;
        handleLine(text);
      }
    }
    return undefined;
  };
}
