// MISP's freetext refang table (ComplexTypeTool::REFANG_REGEX_TABLE), applied to
// every candidate whatever its type, plus "(.)", which the task asks for and
// analysts use as often as "[.]".
const REWRITES: readonly (readonly [RegExp, string])[] = [
  [/^(?:hxxp|hxtp|htxp|meow|h\[tt\]p)/i, 'http'],
  [/\[\.\]|\[dot\]|\(dot\)|\(\.\)/gi, '.'],
  [/\[hxxp:\/\/\]/gi, 'http://'],
  [/\[@\]|\[at\]/gi, '@'],
  [/\[:\]/g, ':'],
];

/**
 * Undoes common defanging of one candidate token the way MISP's freetext
 * import does: `hxxp`→`http`, `[.]`/`[dot]`/`(dot)`/`(.)`→`.`, `[at]`/`[@]`→`@`,
 * `[:]`→`:`, then drops trailing dots and the brackets around any other single
 * character (`[/]`→`/`).
 */
export function refangCandidate(token: string): string {
  if (!/[[(]|^h|^meow/i.test(token)) return token.replace(/\.+$/, '');
  let value = token;
  for (const [from, to] of REWRITES) value = value.replace(from, to);
  value = value.replace(/\.+$/, '');
  return value.replace(/\[(.)\]/gu, '$1');
}
