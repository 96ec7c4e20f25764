import type { Warninglist } from '../warninglists/warninglist.js';

/** A warninglist builder for tests: only the fields a test cares about. */
export function aWarninglist(fields: Partial<Warninglist> & Pick<Warninglist, 'type' | 'list'>): Warninglist {
  return { name: `test ${fields.type} list`, description: 'test', version: 1, category: 'false_positive', matching_attributes: ['ALL'], ...fields };
}
