import type { PolicyNode } from './policy.js';

/**
 * Plain boolean evaluation: does a key holding `attributes` satisfy `policy`?
 * This is the reference the cryptography is tested against.
 */
export function satisfies(policy: PolicyNode, attributes: Iterable<string> | ReadonlySet<string>): boolean {
  const held = attributes instanceof Set ? (attributes as ReadonlySet<string>) : new Set(attributes);
  const walk = (node: PolicyNode): boolean => {
    switch (node.type) {
      case 'attribute':
        return held.has(node.name);
      case 'and':
        return node.children.every(walk);
      case 'or':
        return node.children.some(walk);
      case 'threshold':
        return node.children.filter(walk).length >= node.k;
    }
  };
  return walk(policy);
}

/** The distinct attribute names a policy mentions, in order of first appearance. */
export function policyAttributes(policy: PolicyNode): string[] {
  const seen = new Set<string>();
  const walk = (node: PolicyNode): void => {
    if (node.type === 'attribute') seen.add(node.name);
    else node.children.forEach(walk);
  };
  walk(policy);
  return [...seen];
}
