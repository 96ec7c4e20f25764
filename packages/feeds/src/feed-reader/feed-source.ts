/**
 * Where a MISP feed is read from. Names are plain file names (`manifest.json`,
 * `hashes.csv`, `<uuid>.json`) resolved against the one location the user
 * configured. Failures are waggle errors: NotFoundError (no such file),
 * UnavailableError (retryable: network, timeout, cut-off body, I/O),
 * TooLargeError (over the size limit), InputError (not UTF-8 text).
 */
export interface FeedSource {
  /** The configured folder or base URL. */
  readonly location: string;
  /** The full path or URL of `name`, for messages. */
  describe(name: string): string;
  /** A whole file as text. */
  readText(name: string): Promise<string>;
  /** A file's lines (without line ends), streamed, so large files need no memory. */
  readLines(name: string): AsyncIterable<string>;
}
