import { describe, expect, it } from 'vitest';
import { describeTypes } from './describe-types.js';
import { isCompositeType } from './type-registry.js';
import { anyValue } from './value-check.js';
import { compositeValueRule, singleValueRule } from './value-rules.js';

// MISP accepts any content for these (multi-line included); everything else
// has a specific rule, so a new type in describe-types.json shows up here.
const FREE_FORM_TYPES = [
  'email-attachment', 'email-body', 'snort', 'suricata', 'bro', 'zeek', 'community-id', 'pattern-in-file',
  'pattern-in-traffic', 'pattern-in-memory', 'filename-pattern', 'pgp-public-key', 'pgp-private-key', 'yara',
  'stix2-pattern', 'sigma', 'gene', 'kusto-query', 'mime-type', 'identity-card-number', 'cookie', 'cpe',
  'attachment', 'comment', 'text', 'other', 'mutex', 'process-state', 'email-header', 'first-name',
  'middle-name', 'last-name', 'full-name',
];

describe('value rules', () => {
  it('has a specific rule for every composite type', () => {
    for (const type of describeTypes().types.filter(isCompositeType)) {
      expect(compositeValueRule(type), type).toBeDefined();
    }
  });

  it('leaves only MISP free-form types without a specific rule', () => {
    const freeForm = describeTypes().types.filter((type) => !isCompositeType(type) && singleValueRule(type) === anyValue);
    expect(freeForm.sort()).toEqual([...FREE_FORM_TYPES].sort());
  });

  it('has no composite rule for non-composite names', () => {
    expect(compositeValueRule('md5')).toBeUndefined();
    expect(compositeValueRule('filename|text')).toBeUndefined();
  });
});
