import { attributeValue, type AttributeRecord } from '@waggle/core';

/** MISP's default attribute CSV columns. */
export const DEFAULT_CSV_COLUMNS = ['uuid', 'event_id', 'category', 'type', 'value', 'comment', 'to_ids', 'date', 'object_relation', 'attribute_tag', 'object_uuid', 'object_name', 'object_meta_category'] as const;

/** Quotes a CSV field when needed (RFC 4180). */
export function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Context for a CSV row that the attribute record alone does not hold. */
export interface CsvRowContext {
  readonly tags: string;
  readonly object?: { uuid: string; name: string; meta_category: string };
}

/** One attribute as a CSV row with the given columns. */
export function csvRow(a: AttributeRecord, ctx: CsvRowContext, columns: readonly string[]): string {
  const value = attributeValue(a);
  const cell = (c: string): string => {
    switch (c) {
      case 'uuid': return a.uuid;
      case 'event_id': return String(a.event_id);
      case 'category': return a.category;
      case 'type': return a.type;
      case 'value': return value;
      case 'comment': return a.comment;
      case 'to_ids': return a.to_ids ? '1' : '0';
      case 'date': return new Date(a.timestamp * 1000).toISOString().slice(0, 10).replace(/-/g, '');
      case 'timestamp': return String(a.timestamp);
      case 'object_relation': return a.object_relation ?? '';
      case 'attribute_tag': return ctx.tags;
      case 'object_uuid': return ctx.object?.uuid ?? '';
      case 'object_name': return ctx.object?.name ?? '';
      case 'object_meta_category': return ctx.object?.meta_category ?? '';
      case 'id': return String(a.id);
      case 'distribution': return String(a.distribution);
      case 'first_seen': return a.first_seen ?? '';
      case 'last_seen': return a.last_seen ?? '';
      default: return '';
    }
  };
  return columns.map((c) => csvField(cell(c))).join(',');
}
