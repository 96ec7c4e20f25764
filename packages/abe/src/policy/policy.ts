/** An attribute name: letters, digits and `_ . : -`, e.g. `sector:energy`. */
export const ATTRIBUTE_PATTERN = /^[A-Za-z0-9_.:-]+$/;

/** A leaf: the key must hold this attribute. */
export interface AttributeNode {
  readonly type: 'attribute';
  readonly name: string;
}

/** Every child must be satisfied. */
export interface AndNode {
  readonly type: 'and';
  readonly children: readonly PolicyNode[];
}

/** At least one child must be satisfied. */
export interface OrNode {
  readonly type: 'or';
  readonly children: readonly PolicyNode[];
}

/** At least `k` of the children must be satisfied (`k of (a, b, c)`). */
export interface ThresholdNode {
  readonly type: 'threshold';
  readonly k: number;
  readonly children: readonly PolicyNode[];
}

/** A parsed access policy: a monotone boolean formula over attributes. */
export type PolicyNode = AttributeNode | AndNode | OrNode | ThresholdNode;

/** Limits that keep a hostile policy from exhausting memory or the stack. */
export const POLICY_LIMITS = { maxLength: 16_384, maxLeaves: 512, maxDepth: 64, maxThresholdChildren: 256 } as const;
