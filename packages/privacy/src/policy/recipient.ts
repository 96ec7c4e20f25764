import { InputError, NotFoundError } from '@waggle/errors';
import type { Policy, Recipient, RecipientMatch } from './policy-schema.js';

/** The kinds of destination a policy can be written for. */
export type RecipientKind = keyof RecipientMatch;

/** A destination as the server describes it when it shares an event. */
export interface RecipientDescription {
  readonly kind: RecipientKind;
  readonly name?: string;
  readonly uuid?: string;
}

interface Named {
  readonly name?: string;
  readonly uuid?: string;
}

/** A destination described by what it is, one field per kind (any may be given). */
export type RecipientFacets = { readonly [K in RecipientKind]?: Named | string };

/**
 * Who an event is for: a recipient section's name (`"partners-energy"`), a
 * `{kind, name?, uuid?}` description, or facets such as
 * `{organisation: {name, uuid}, sharing_group: {uuid}}`.
 */
export type RecipientRef = string | RecipientDescription | RecipientFacets;

const KINDS: readonly RecipientKind[] = ['organisation', 'sharing_group', 'server', 'feed', 'stream', 'stix', 'taxii'];

function facetsOf(ref: RecipientDescription | RecipientFacets): { kind: RecipientKind; ids: string[] }[] {
  if ('kind' in ref && typeof ref.kind === 'string') {
    const d = ref as RecipientDescription;
    if (!KINDS.includes(d.kind)) throw new InputError(`unknown recipient kind '${String(d.kind)}'; expected one of ${KINDS.join(', ')}`, { field: 'recipient' });
    return [{ kind: d.kind, ids: [d.name, d.uuid].filter((x): x is string => x !== undefined && x !== '') }];
  }
  const facets = ref as RecipientFacets;
  return KINDS.flatMap((kind) => {
    const facet = facets[kind];
    if (facet === undefined) return [];
    const ids = typeof facet === 'string' ? [facet] : [facet.name, facet.uuid].filter((x): x is string => x !== undefined && x !== '');
    return [{ kind, ids }];
  });
}

const same = (a: string, b: string): boolean => a === b || a.toLowerCase() === b.toLowerCase();

function matches(match: RecipientMatch | undefined, facets: readonly { kind: RecipientKind; ids: string[] }[]): boolean {
  // A section without `match` is a catch-all (typically the last, `default`).
  if (match === undefined) return true;
  return facets.some(({ kind, ids }) => {
    const wanted = match[kind];
    return wanted !== undefined && wanted.some((w) => w === '*' || ids.some((id) => same(w, id)));
  });
}

/**
 * The recipient section that applies to `ref`: by name for a string, else the
 * first section (in file order) whose `match` fits one of the ref's facets;
 * sections without `match` fit everything. Names and UUIDs compare
 * case-insensitively. No fitting section is a `NotFoundError`: nothing is
 * shared under a policy that does not say how.
 */
export function selectRecipient(policy: Policy, ref: RecipientRef): Recipient {
  if (typeof ref === 'string') {
    const found = policy.recipients.find((r) => r.name === ref);
    if (found === undefined) throw new NotFoundError(`policy '${policy.name}' has no recipient '${ref}' (it has: ${policy.recipients.map((r) => r.name).join(', ')})`, { field: 'recipient' });
    return found;
  }
  const facets = facetsOf(ref);
  const found = policy.recipients.find((r) => matches(r.match, facets));
  if (found === undefined) {
    const said = facets.map((f) => `${f.kind} ${f.ids.join('/') || '(unnamed)'}`).join(', ') || 'an empty description';
    throw new NotFoundError(`policy '${policy.name}' has no recipient section for ${said}`, { field: 'recipient' });
  }
  return found;
}
