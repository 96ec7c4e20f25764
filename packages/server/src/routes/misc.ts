import type { FastifyInstance } from 'fastify';
import { describeTypes } from '@waggle/misp';
import type { RouteContext } from '../http/context.js';

/**
 * The MISP API version waggle implements. PyMISP parses it as a numeric tuple and
 * picks endpoints by it, so it must be MISP's numbering, not waggle's own version.
 */
export const MISP_API_VERSION = '2.5.2';

/** The oldest hotfix per MISP minor version whose sync features waggle serves (sightings restSearch needs 2.4.165+). */
const MIN_HOTFIX: Readonly<Record<string, number>> = { '2.4': 170, '2.5': 2 };

/**
 * The version announced to the caller. A stock MISP aborts a push when the
 * remote's major or minor version differs from its own, so a MISP (known by
 * its `User-Agent: MISP 2.4.190 …` or older `MISP-version` header) is told its
 * own major.minor, with a hotfix no older than the features waggle serves.
 * Everyone else (PyMISP, waggle) gets MISP_API_VERSION.
 */
export function versionForCaller(userAgent: string | undefined, mispVersion: string | undefined): string {
  const claimed = /^MISP (\d+\.\d+\.\d+)/.exec(userAgent ?? '')?.[1] ?? /^\d+\.\d+\.\d+$/.exec((mispVersion ?? '').trim())?.[0];
  if (claimed === undefined) return MISP_API_VERSION;
  const [major, minor, hotfix] = claimed.split('.');
  const floor = MIN_HOTFIX[`${String(major)}.${String(minor)}`];
  if (floor === undefined) return MISP_API_VERSION;
  return `${String(major)}.${String(minor)}.${String(Math.max(Number(hotfix), floor))}`;
}

/** Version, describeTypes and health endpoints. */
export function registerMiscRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/health', async () => ({ status: 'ok', version: ctx.version }));

  app.get('/servers/get_version', async (request) => {
    const p = await ctx.principal(request);
    const misp = request.headers['misp-version'];
    return {
      version: versionForCaller(request.headers['user-agent'], Array.isArray(misp) ? misp[0] : misp),
      pymisp_recommended_version: MISP_API_VERSION,
      waggle_version: ctx.version,
      perm_sync: p.role.perm_sync,
      perm_sighting: p.role.perm_sighting,
      perm_galaxy_editor: p.role.perm_galaxy_editor,
      perm_analyst_data: false,
      request_encoding: [],
      filter_sightings: true,
    };
  });

  app.get('/servers/get_py_mispversion', async () => ({ version: MISP_API_VERSION }));

  app.get('/attributes/describe_types', async () => ({ result: describeTypes() }));
}
