import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinTemplatesDir } from './builtin-templates-dir.js';
import { loadTemplatesFromDir } from './template-loader.js';
import { validateObject } from './validate-object.js';

const MISP_OBJECTS = '/work/shared/data/misp-objects';

const SHIPPED_UPSTREAM = [
  'ai-model-component',
  'anonymisation',
  'cowrie',
  'domain-ip',
  'email',
  'file',
  'ip-port',
  'network-connection',
  'suricata',
  'url',
  'virustotal-report',
  'vulnerability',
];

const temps: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'waggle-templates-'));
  temps.push(dir);
  return dir;
}

function writeDefinition(dir: string, name: string, text: string): string {
  mkdirSync(join(dir, name), { recursive: true });
  const file = join(dir, name, 'definition.json');
  writeFileSync(file, text);
  return file;
}

function definition(name: string, uuid: string, version = 1): string {
  return JSON.stringify({
    name,
    uuid,
    version,
    description: `${name} template`,
    'meta-category': 'misc',
    attributes: { text: { description: 'Text', 'misp-attribute': 'text', 'ui-priority': 0 } },
  });
}

afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('builtin templates', () => {
  const registry = loadTemplatesFromDir(builtinTemplatesDir());

  it('lives in packages/misp/data/objects', () => {
    expect(builtinTemplatesDir()).toMatch(/packages[/\\]misp[/\\]data[/\\]objects$/);
  });

  it('load without problems', () => {
    expect(registry.problems).toEqual([]);
    expect(registry.list().map((template) => template.name)).toEqual(
      [...SHIPPED_UPSTREAM, 'ml-model', 'security-event'].sort(),
    );
  });

  it('include the waggle templates', () => {
    const event = registry.get('security-event');
    expect(event).toMatchObject({ uuid: 'a9d2a93c-cdd3-4688-b096-edbe94f44f46', version: 2 });
    expect(event?.requiredOneOf).toEqual(['src-ip', 'dst-ip', 'signature']);
    expect(registry.get('5a70de61-56c7-43a1-af7c-6b61a3c535c1')?.name).toBe('ml-model');
    expect(registry.get('ml-model')?.required).toEqual(['name', 'sha256']);
  });

  it('validate a typical security-event object', () => {
    const event = registry.get('security-event');
    if (event === undefined) throw new Error('security-event missing');
    const attributes = [
      { object_relation: 'src-ip', type: 'ip-src', value: '198.51.100.7' },
      { object_relation: 'dst-port', type: 'port', value: '22' },
      { object_relation: 'protocol', type: 'text', value: 'tcp' },
      { object_relation: 'confidence', type: 'float', value: '0.93' },
      { object_relation: 'pcap', type: 'attachment', value: 'a.pcap' },
      { object_relation: 'pcap', type: 'attachment', value: 'b.pcap' },
    ];
    expect(validateObject(event, { name: 'security-event', attributes })).toEqual({ ok: true });
    expect(
      validateObject(event, { name: 'security-event', attributes: [{ object_relation: 'protocol', type: 'text', value: 'quic' }] }).ok,
    ).toBe(false);
  });

  it.skipIf(!existsSync(MISP_OBJECTS))('are unchanged copies of misp-objects', () => {
    for (const name of SHIPPED_UPSTREAM) {
      const shipped = readFileSync(join(builtinTemplatesDir(), name, 'definition.json'), 'utf8');
      const upstream = readFileSync(join(MISP_OBJECTS, 'objects', name, 'definition.json'), 'utf8');
      expect(shipped, name).toBe(upstream);
    }
  });
});

describe.skipIf(!existsSync(MISP_OBJECTS))('the misp-objects collection', () => {
  it('loads from the checkout root through its objects folder', () => {
    const registry = loadTemplatesFromDir(MISP_OBJECTS);
    expect(registry.size).toBeGreaterThan(400);
    expect(registry.problems.length).toBeLessThan(10);
    expect(registry.get('file')?.uuid).toBe('688c46fb-5edb-40a3-8273-1af7923e2215');
    expect(loadTemplatesFromDir(join(MISP_OBJECTS, 'objects')).size).toBe(registry.size);
  });
});

describe('loadTemplatesFromDir', () => {
  it('reports a corrupt definition.json by file and still loads the others', () => {
    const dir = tempDir();
    writeDefinition(dir, 'good', definition('good', '11111111-1111-4111-8111-111111111111'));
    const corrupt = writeDefinition(dir, 'broken', '{"name": "broken", ');
    const registry = loadTemplatesFromDir(dir);
    expect(registry.size).toBe(1);
    expect(registry.get('good')).toBeDefined();
    expect(registry.problems).toHaveLength(1);
    expect(registry.problems[0]?.file).toBe(corrupt);
    expect(registry.problems[0]?.message).toMatch(/^cannot read JSON: /);
  });

  it('reports each schema problem of an invalid template against its file', () => {
    const dir = tempDir();
    const file = writeDefinition(dir, 'bad', JSON.stringify({ name: 'bad', version: 'one' }));
    const registry = loadTemplatesFromDir(dir);
    expect(registry.size).toBe(0);
    expect(registry.problems.map((problem) => problem.file)).toEqual(Array(5).fill(file));
    expect(registry.problems.map((problem) => problem.message)).toContain('uuid: must be a string');
  });

  it('skips files and folders without a definition.json', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'LICENSE.md'), 'text');
    mkdirSync(join(dir, 'empty'));
    writeDefinition(dir, 'good', definition('good', '11111111-1111-4111-8111-111111111111'));
    const registry = loadTemplatesFromDir(dir);
    expect(registry.problems).toEqual([]);
    expect(registry.size).toBe(1);
  });

  it('keeps the newer of two definitions with one uuid and reports the duplicate', () => {
    const dir = tempDir();
    const uuid = '11111111-1111-4111-8111-111111111111';
    writeDefinition(dir, 'a-new', definition('flow', uuid, 3));
    const old = writeDefinition(dir, 'b-old', definition('flow', uuid, 2));
    const registry = loadTemplatesFromDir(dir);
    expect(registry.get('flow')?.version).toBe(3);
    expect(registry.problems).toEqual([
      { file: old, message: `duplicate uuid ${uuid} (also template 'flow'); kept version 3 of 'flow'` },
    ]);
  });

  it('reports a missing directory instead of throwing', () => {
    const missing = join(tempDir(), 'nope');
    const registry = loadTemplatesFromDir(missing);
    expect(registry.size).toBe(0);
    expect(registry.problems).toHaveLength(1);
    expect(registry.problems[0]?.file).toBe(missing);
  });

  it('returns a registry that accepts more templates', () => {
    const dir = tempDir();
    writeDefinition(dir, 'good', definition('good', '11111111-1111-4111-8111-111111111111'));
    const registry = loadTemplatesFromDir(dir);
    const loaded = registry.get('good');
    if (loaded === undefined) throw new Error('good missing');
    expect(registry.add({ ...loaded, version: 2 })).toBe(true);
    expect(registry.get('good')?.version).toBe(2);
    expect(registry.size).toBe(1);
  });
});
