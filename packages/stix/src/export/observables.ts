import type { StixObject } from '../common/stix-types.js';
import { isIndexStep, type Comparison } from '../mapping/comparison.js';
import { ipObjectType } from '../mapping/parts.js';
import { isHashValue, isHostname, isValidScoValue } from './sco-values.js';

/** Makes the id of the n-th (0-based) observable of `type` in one observed-data. */
export type ScoIdFactory = (type: string, n: number) => string;

interface Node {
  readonly type: string;
  readonly props: Record<string, unknown>;
  /** Children reached through `<name>_ref`, so `from_ref.value` and `from_ref.display_name` share one. */
  readonly refChildren: Map<string, Node>;
  readonly paths: Set<string>;
}

const newNode = (type: string): Node => ({ type, props: {}, refChildren: new Map(), paths: new Set() });

function childType(ref: string, value: unknown, declared: string | undefined): string | undefined {
  if (declared !== undefined) return declared;
  if (ref === 'from_ref' || ref === 'sender_ref' || ref === 'to_refs' || ref === 'cc_refs' || ref === 'bcc_refs') return 'email-addr';
  if (typeof value !== 'string') return undefined;
  return ipObjectType(value) ?? (isHostname(value) ? 'domain-name' : undefined);
}

// Applies one comparison to `node`; false when the path has no observable form here.
function apply(node: Node, c: Comparison, declaredRefTypes: ReadonlyMap<string, string>, children: Node[]): boolean {
  const [first, second, third] = c.path;
  if (first === undefined) return false;
  if (c.path.length === 1) {
    node.props[first] = c.value;
    return true;
  }
  if (c.path.length === 2 && (first === 'hashes' || first === 'additional_header_fields') && second !== undefined) {
    if (first === 'hashes' && !isHashValue(second, String(c.value))) return false;
    const dict = (node.props[first] ??= {}) as Record<string, unknown>;
    dict[second] = c.value;
    return true;
  }
  if (first === 'values' && second === '[*]' && third === 'data' && c.path.length === 3) {
    ((node.props.values ??= []) as unknown[]).push({ data: c.value });
    return true;
  }
  if (first.endsWith('_ref') && c.path.length === 2 && second !== undefined) {
    if (second === 'type') return true;
    let child = node.refChildren.get(first);
    if (child === undefined) {
      const type = childType(first, c.value, declaredRefTypes.get(first));
      if (type === undefined) return false;
      child = newNode(type);
      node.refChildren.set(first, child);
      children.push(child);
    }
    child.props[second] = c.value;
    return true;
  }
  if (first.endsWith('_refs') && second === '[*]' && third !== undefined && c.path.length === 3) {
    const type = childType(first, c.value, undefined);
    if (type === undefined) return false;
    const child = newNode(type);
    child.props[third] = c.value;
    children.push(child);
    ((node.props[first] ??= []) as Node[]).push(child);
    return true;
  }
  return false;
}

function valid(node: Node): boolean {
  for (const [property, value] of Object.entries(node.props)) {
    if (typeof value === 'string' || typeof value === 'number') {
      if (!isValidScoValue(node.type, property, value)) return false;
    }
  }
  switch (node.type) {
    case 'ipv4-addr': case 'ipv6-addr': case 'domain-name': case 'url': case 'email-addr': case 'mac-addr':
      return typeof node.props.value === 'string';
    case 'autonomous-system':
      return typeof node.props.number === 'number';
    case 'mutex':
      return typeof node.props.name === 'string';
    case 'file':
      return node.props.name !== undefined || node.props.hashes !== undefined;
    case 'network-traffic':
      return node.refChildren.has('src_ref') || node.refChildren.has('dst_ref');
    case 'windows-registry-key': case 'x509-certificate': case 'email-message':
      return true;
    default:
      return false;
  }
}

/**
 * Builds the cyber-observable objects of one observed-data from groups of
 * comparisons (one group per MISP attribute). Comparisons about the same
 * object type share one observable unless they would overwrite each other.
 * Undefined when some comparison has no valid observable form (the caller
 * then keeps the attribute as a custom object).
 */
export function buildObservables(groups: readonly (readonly Comparison[])[], idFor: ScoIdFactory): StixObject[] | undefined {
  const roots: Node[] = [];
  const children: Node[] = [];
  for (const group of groups) {
    const declared = new Map<string, string>();
    for (const c of group) {
      if (c.path.length === 2 && c.path[0]?.endsWith('_ref') === true && c.path[1] === 'type') declared.set(c.path[0], String(c.value));
    }
    const chosen = new Map<string, Node>();
    for (const c of group) {
      const key = c.path.join('.');
      let node = chosen.get(c.object);
      if (node === undefined) {
        const paths = group.filter((g) => g.object === c.object).map((g) => g.path.join('.')).filter((p) => !p.includes('[*]') && !p.endsWith('.type'));
        node = roots.find((r) => r.type === c.object && paths.every((p) => !r.paths.has(p)));
        if (node === undefined) {
          node = newNode(c.object);
          roots.push(node);
        }
        chosen.set(c.object, node);
      }
      if (!c.path.some(isIndexStep)) node.paths.add(key);
      if (!apply(node, c, declared, children)) return undefined;
    }
  }
  const all = [...roots, ...children];
  if (!all.every(valid)) return undefined;
  const counts = new Map<string, number>();
  const ids = new Map<Node, string>();
  for (const node of all) {
    const n = counts.get(node.type) ?? 0;
    counts.set(node.type, n + 1);
    ids.set(node, idFor(node.type, n));
  }
  return all.map((node) => {
    const props: Record<string, unknown> = { ...node.props };
    for (const [ref, child] of node.refChildren) props[ref] = ids.get(child);
    for (const [key, value] of Object.entries(props)) {
      if (Array.isArray(value) && value.every((v) => typeof v === 'object' && v !== null && 'refChildren' in v)) props[key] = value.map((v) => ids.get(v as Node));
    }
    if (node.type === 'network-traffic') props.protocols = ['tcp'];
    if (node.type === 'email-message') props.is_multipart = false;
    return { type: node.type, spec_version: '2.1', id: ids.get(node) as string, ...props };
  });
}
