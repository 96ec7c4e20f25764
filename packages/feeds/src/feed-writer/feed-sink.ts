/** A file being written in the background, that appears under its name only on `commit`. */
export interface StagedFile {
  /** Appends text; resolves once the sink can take more (back-pressure). */
  write(text: string): Promise<void>;
  /** Moves the finished file into place atomically. */
  commit(): Promise<void>;
  /** Throws the partial file away; the previous file, if any, stays. */
  abort(): Promise<void>;
}

/**
 * Where a MISP feed is written. Every write is atomic (a temporary file, then a
 * rename), so a reader never sees half a file. Names are plain file names
 * (`manifest.json`, `hashes.csv`, `<uuid>.json`).
 */
export interface FeedSink {
  /** Where the feed goes, for messages (a folder path, a bucket URL...). */
  readonly location: string;
  /** Writes a whole file atomically. */
  writeFile(name: string, content: string): Promise<void>;
  /** Starts a file that is streamed, then committed (used for `hashes.csv`). */
  stage(name: string): Promise<StagedFile>;
  /** A file's text, or undefined when it does not exist. */
  readFile(name: string): Promise<string | undefined>;
  /** A file's lines without line ends, streamed; undefined when it does not exist. */
  openLines(name: string): Promise<AsyncIterable<string> | undefined>;
  exists(name: string): Promise<boolean>;
  /** Removes a file; no error when it is already gone. */
  removeFile(name: string): Promise<void>;
}
