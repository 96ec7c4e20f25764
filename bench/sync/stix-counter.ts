/**
 * Counts the objects of a STIX bundle as it streams by, without parsing it:
 * a small state machine tracks strings and nesting, and every object that
 * opens at depth 2 (inside the bundle's `objects` array) counts once.
 */
export function createStixObjectCounter(): { feed(chunk: string): void; readonly count: number } {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let count = 0;
  return {
    feed(chunk) {
      for (let i = 0; i < chunk.length; i++) {
        const c = chunk.charCodeAt(i);
        if (inString) {
          if (escaped) escaped = false;
          else if (c === 92) escaped = true;
          else if (c === 34) inString = false;
          continue;
        }
        if (c === 34) inString = true;
        else if (c === 123 || c === 91) {
          depth++;
          // { of the bundle = 1, [ of objects = 2, each object's { = 3.
          if (c === 123 && depth === 3) count++;
        } else if (c === 125 || c === 93) depth--;
      }
    },
    get count() {
      return count;
    },
  };
}
