/** The label that marks a `note` as a MISP event report (misp-stix writes the same). */
export const EVENT_REPORT_LABEL = 'misp:data-layer="Event Report"';

// MISP's Markdown element references: `@[attribute](<uuid>)`, `@[object](<uuid>)`.
const ELEMENT_REFERENCE = /@\[(attribute|object)\]\(([^)\s]+)\)/g;

/** The uuids of the attributes and objects a report's Markdown refers to, in order, without repeats. */
export function referencedElementUuids(content: string): string[] {
  const uuids: string[] = [];
  for (const m of content.matchAll(ELEMENT_REFERENCE)) {
    const uuid = m[2] as string;
    if (!uuids.includes(uuid)) uuids.push(uuid);
  }
  return uuids;
}
