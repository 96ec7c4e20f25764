import { InputError } from '@waggle/errors';

/** One credential rule: `user:password` (or Cowrie's `user:x:password`). */
export interface UserDbRule {
  username: string | RegExp | '*';
  password: string | RegExp | '*';
  /** A `!` rule denies the passwords it matches. */
  deny: boolean;
}

/** Cowrie's default: root logs in with any password except `root` and `123456`. */
export const DEFAULT_USERDB: readonly string[] = ['root:!root', 'root:!123456', 'root:*'];

function pattern(text: string): string | RegExp {
  const m = /^\/(.*)\/([a-z]*)$/.exec(text);
  if (m === null) return text;
  try {
    return new RegExp(m[1] ?? '', (m[2] ?? '').replace(/[^imsu]/g, ''));
  } catch (cause) {
    throw new InputError(`invalid regular expression in userdb rule: ${text}`, { cause: String(cause) });
  }
}

/**
 * Parses userdb rules, Cowrie's syntax: `user:password`, `user:x:password`, `*` for any,
 * `!password` to deny, `/regex/i` patterns. Comment lines (`#`) and blank lines are skipped.
 */
export function parseUserDb(lines: readonly string[]): UserDbRule[] {
  const rules: UserDbRule[] = [];
  const problems: string[] = [];
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const parts = line.split(':');
    if (parts.length < 2) {
      problems.push(`line ${i + 1}: expected user:password`);
      return;
    }
    const username = parts[0] as string;
    // Cowrie's three-field form keeps a uid placeholder in the middle.
    let password = parts.length >= 3 ? parts.slice(2).join(':') : (parts[1] as string);
    if (username === '') {
      problems.push(`line ${i + 1}: empty username`);
      return;
    }
    const deny = password.startsWith('!');
    if (deny) password = password.slice(1);
    rules.push({
      username: username === '*' ? '*' : pattern(username),
      password: password === '*' ? '*' : pattern(password),
      deny,
    });
  });
  if (problems.length > 0) throw new InputError(`invalid userdb: ${problems.join('; ')}`, { problems });
  return rules;
}

const matches = (p: string | RegExp, value: string): boolean =>
  p === '*' ? true : typeof p === 'string' ? p === value : p.test(value);

/** First matching rule wins; no match means refusal. */
export function checkCredentials(rules: readonly UserDbRule[], username: string, password: string): boolean {
  for (const rule of rules) {
    if (!matches(rule.username, username)) continue;
    if (matches(rule.password, password)) return !rule.deny;
  }
  return false;
}
