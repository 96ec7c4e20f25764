import { createHash } from 'node:crypto';
import { InputError, NotFoundError } from '@waggle/errors';
import type { ObjectTemplate } from '@waggle/misp';
import type { Principal } from '../access/principal.js';
import { requireSiteAdmin } from '../access/permissions.js';
import type { MispJson } from '../views/misp-json.js';
import type { CoreDeps } from './deps.js';

/** Where templates beyond the built-in ones come from (the data folder's `templates/`), read again on `update`. */
export interface TemplateSource {
  read(): { readonly templates: readonly ObjectTemplate[]; readonly problems: readonly string[] };
}

/**
 * A template's id: MISP numbers its rows; here templates live in a registry, so the id is derived
 * from the UUID (48 bits of its SHA-256), which keeps it stable when templates are added.
 */
export function templateId(t: Pick<ObjectTemplate, 'uuid'>): number {
  return Number.parseInt(createHash('sha256').update(t.uuid.toLowerCase()).digest('hex').slice(0, 12), 16);
}

function templateJson(t: ObjectTemplate): MispJson {
  return {
    id: String(templateId(t)),
    user_id: '0',
    org_id: '0',
    uuid: t.uuid,
    name: t.name,
    'meta-category': t['meta-category'],
    description: t.description,
    version: String(t.version),
    requirements: { ...(t.required !== undefined ? { required: t.required } : {}), ...(t.requiredOneOf !== undefined ? { requiredOneOf: t.requiredOneOf } : {}) },
    fixed: true,
    active: true,
  };
}

function elementsJson(t: ObjectTemplate): MispJson[] {
  const id = String(templateId(t));
  return Object.entries(t.attributes).map(([relation, a], i) => ({
    id: String(i + 1),
    object_template_id: id,
    object_relation: relation,
    type: a['misp-attribute'],
    'ui-priority': String(a['ui-priority']),
    categories: a.categories ?? [],
    sane_default: a.sane_default ?? [],
    values_list: a.values_list ?? [],
    description: a.description,
    disable_correlation: a.disable_correlation ?? false,
    multiple: a.multiple ?? false,
  }));
}

/** MISP's `objectTemplates/*` over the server's template registry (the templates it validates objects with). */
export function createObjectTemplateService(deps: CoreDeps, source?: TemplateSource) {
  const find = (ref: string): ObjectTemplate => {
    const byId = /^[0-9]+$/.test(ref) ? deps.templates.list().find((t) => String(templateId(t)) === ref) : undefined;
    const t = byId ?? deps.templates.get(ref);
    if (t === undefined) throw new NotFoundError('Invalid object template.');
    return t;
  };
  return {
    /** Every template, by name (`object_templates()`). */
    list(): MispJson[] {
      return deps.templates.list().map((t) => ({ ObjectTemplate: templateJson(t) }));
    },
    /** One template with its elements, by id, UUID or name (`get_object_template`). */
    view(ref: string): MispJson {
      const t = find(ref);
      return { ObjectTemplate: templateJson(t), ObjectTemplateElement: elementsJson(t) };
    },
    /** The template as its `definition.json` (`get_raw_object_template`). */
    raw(ref: string): ObjectTemplate {
      return find(ref);
    },
    /** Reads the data folder's templates again (after `waggle templates import`); site admins only. */
    update(p: Principal): { stored: number; problems: readonly string[] } {
      requireSiteAdmin(p, 'update object templates');
      if (source === undefined) throw new InputError('This server has no template folder to read templates from', { field: 'templates' });
      const { templates, problems } = source.read();
      let stored = 0;
      for (const t of templates) if (deps.templates.add(t)) stored++;
      return { stored, problems };
    },
  };
}

/** The object template service's type. */
export type ObjectTemplateService = ReturnType<typeof createObjectTemplateService>;
