import { describe, expect, it } from 'vitest';
import { intelTrigger, type IntelWatch } from './intel-trigger.js';

const watch: IntelWatch = {
  host: 'web01',
  cves: new Set(['CVE-2024-6387']),
  sector: 'Finance',
  ownEventUuid: '11111111-2222-5333-8444-555555555555',
  ownEventId: '9',
  attributeUuids: new Set(['aaaaaaaa-2222-5333-8444-555555555555']),
};

describe('intelTrigger', () => {
  it('triggers on events naming a host CVE, tagged with the host or the sector', () => {
    expect(intelTrigger('misp_json_event', { Event: { uuid: 'e1', Attribute: [{ type: 'vulnerability', value: 'CVE-2024-6387' }] }, action: 'add' }, watch)).toBe('event e1 names CVE-2024-6387');
    expect(intelTrigger('misp_json_event', { Event: { uuid: 'e2', Object: [{ name: 'vulnerability', Attribute: [{ type: 'vulnerability', value: 'cve-2024-6387' }] }] } }, watch)).toBe('event e2 names CVE-2024-6387');
    expect(intelTrigger('misp_json_event', { Event: { uuid: 'e3', Tag: [{ name: 'waggle:host="web01"' }] } }, watch)).toBe('event e3 tagged waggle:host="web01"');
    expect(intelTrigger('misp_json_event', { Event: { uuid: 'e4', Tag: [{ name: 'misp-galaxy:sector="finance"' }] } }, watch)).toBe('event e4 tagged with sector Finance');
    expect(intelTrigger('misp_json_event', { Event: { uuid: 'e5', Tag: [{ name: 'cve:CVE-2024-6387' }] } }, watch)).toBe('event e5 tagged with CVE-2024-6387');
  });

  it('triggers on attributes, sightings of known attributes and tags', () => {
    expect(intelTrigger('misp_json_attribute', { Attribute: { uuid: 'a1', event_id: '3', type: 'vulnerability', value: 'CVE-2024-6387' }, action: 'add' }, watch)).toBe('attribute a1 names CVE-2024-6387');
    expect(intelTrigger('misp_json_sighting', { Sighting: { attribute_uuid: 'aaaaaaaa-2222-5333-8444-555555555555', event_id: '3', type: '0' } }, watch)).toBe('sighting of attribute aaaaaaaa-2222-5333-8444-555555555555');
    expect(intelTrigger('misp_json_tag', { Tag: { name: 'waggle:host="web01"' }, event_id: '4', action: 'attach' }, watch)).toBe('tag attached: tagged waggle:host="web01"');
  });

  it('ignores unrelated messages, its own risk event and every host risk report', () => {
    expect(intelTrigger('misp_json_event', { Event: { uuid: 'x', Attribute: [{ type: 'vulnerability', value: 'CVE-2020-0001' }], Tag: [{ name: 'waggle:host="db02"' }] } }, watch)).toBeUndefined();
    expect(intelTrigger('misp_json_event', { Event: { uuid: watch.ownEventUuid, Attribute: [{ type: 'vulnerability', value: 'CVE-2024-6387' }], Tag: [{ name: 'waggle:host="web01"' }] } }, watch)).toBeUndefined();
    expect(intelTrigger('misp_json_event', { Event: { uuid: 'other-host-report', Tag: [{ name: 'waggle:host-risk' }], Attribute: [{ type: 'vulnerability', value: 'CVE-2024-6387' }] } }, watch)).toBeUndefined();
    expect(intelTrigger('misp_json_attribute', { Attribute: { uuid: 'a2', event_id: '9', type: 'vulnerability', value: 'CVE-2024-6387' } }, watch)).toBeUndefined();
    expect(intelTrigger('misp_json_attribute', { Attribute: { uuid: 'a3', type: 'text', value: 'CVE-2024-6387' } }, watch)).toBeUndefined();
    expect(intelTrigger('misp_json_sighting', { Sighting: { attribute_uuid: 'aaaaaaaa-2222-5333-8444-555555555555', type: '1' } }, watch)).toBeUndefined();
    expect(intelTrigger('misp_json_sighting', { Sighting: { attribute_uuid: 'unknown', type: '0' } }, watch)).toBeUndefined();
    expect(intelTrigger('misp_json_tag', { Tag: { name: 'waggle:host="web01"' }, event_id: '9', action: 'attach' }, watch)).toBeUndefined();
    expect(intelTrigger('misp_json_audit', { Log: {} }, watch)).toBeUndefined();
    expect(intelTrigger('misp_json_event', 'not json', watch)).toBeUndefined();
  });
});
