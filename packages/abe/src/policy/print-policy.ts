import type { PolicyNode } from './policy.js';

/**
 * The canonical text of a policy: keywords upper case (`AND`, `OR`, `of`),
 * single spaces, nested operators of the same kind flattened by the parser,
 * and only the parentheses the precedence needs. Operand order is kept,
 * because the secret-sharing matrix (and so the ciphertext) depends on it.
 * `parsePolicy(printPolicy(p))` gives `p` back.
 */
export function printPolicy(node: PolicyNode): string {
  switch (node.type) {
    case 'attribute':
      return node.name;
    case 'and':
      return node.children.map((c) => (c.type === 'or' ? `(${printPolicy(c)})` : printPolicy(c))).join(' AND ');
    case 'or':
      return node.children.map(printPolicy).join(' OR ');
    case 'threshold':
      return `${node.k} of (${node.children.map(printPolicy).join(', ')})`;
  }
}
