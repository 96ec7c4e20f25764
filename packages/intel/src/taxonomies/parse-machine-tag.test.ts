import { describe, expect, it } from 'vitest';
import { parseMachineTag } from './parse-machine-tag.js';

describe('parseMachineTag', () => {
  it('splits triple tags', () => {
    expect(parseMachineTag('admiralty-scale:source-reliability="a"')).toEqual({ namespace: 'admiralty-scale', predicate: 'source-reliability', value: 'a' });
    expect(parseMachineTag('misp-galaxy:threat-actor="Sofacy Group: APT28"')).toEqual({ namespace: 'misp-galaxy', predicate: 'threat-actor', value: 'Sofacy Group: APT28' });
  });

  it('splits double tags', () => {
    expect(parseMachineTag('tlp:red')).toEqual({ namespace: 'tlp', predicate: 'red' });
    expect(parseMachineTag('PAP:AMBER')).toEqual({ namespace: 'PAP', predicate: 'AMBER' });
  });

  it.each(['malware', '', 'tlp:', ':red', 'tlp:ex:chr', 'a:b="', 'a:b=""', 'a:b="c"d', 'a:b=c', 'a=b:c'])('treats %j as a plain tag, like MISP', (name) => {
    expect(parseMachineTag(name)).toBeUndefined();
  });
});
