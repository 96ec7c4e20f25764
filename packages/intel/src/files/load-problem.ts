/** Something wrong with one file (or a directory) met while loading a data set. */
export interface LoadProblem {
  /** Path of the file or directory concerned, as built from the directory given. */
  readonly file: string;
  readonly message: string;
}

/** Text of an unknown thrown value, for problem messages. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
