import { sql, type ExpressionBuilder, type Expression, type SqlBool } from 'kysely';
import type { Viewer } from '@waggle/core';
import type { Database } from './schema.js';

/*
 * MISP's access rules as SQL (see MISP's Event::createEventConditions and
 * Attribute::buildConditions):
 *  - site admins see everything;
 *  - an event is visible to the owner org, or when distribution is 1–3, or
 *    when distribution is 4 and the viewer's org may see the sharing group;
 *  - inside a visible event the owner org sees every attribute; others see an
 *    attribute (and its object) unless it is distribution 0, or distribution 4
 *    with a sharing group they may not see. 5 (inherit) follows the event.
 */

type EB = ExpressionBuilder<Database, 'events'>;

function sgList(viewer: Viewer): readonly number[] {
  // An empty IN list is not valid SQL; -1 never matches a sharing group id.
  return viewer.sharingGroupIds.length > 0 ? viewer.sharingGroupIds : [-1];
}

/** Condition on the `events` table alias `events`. */
export function eventVisible(eb: EB, viewer: Viewer): Expression<SqlBool> {
  if (viewer.siteAdmin) return sql<SqlBool>`1 = 1`;
  const misp = eb.or([
    eb('events.org_id', '=', viewer.orgId),
    eb('events.distribution', 'in', [1, 2, 3]),
    eb.and([eb('events.distribution', '=', 4), eb('events.sharing_group_id', 'in', sgList(viewer))]),
  ]);
  const hidden = viewer.hiddenCreatorOrgIds ?? [];
  // Producers that govern reads through UMA (ADR 0013): not found by another organisation's key.
  return hidden.length === 0 ? misp : eb.and([misp, eb('events.orgc_id', 'not in', hidden)]);
}

/** Condition on `attributes` joined with `events` (and optionally `objects`). */
export function attributeVisible(eb: ExpressionBuilder<Database, 'events' | 'attributes'>, viewer: Viewer): Expression<SqlBool> {
  if (viewer.siteAdmin) return sql<SqlBool>`1 = 1`;
  const sgs = sgList(viewer);
  return eb.and([
    eventVisible(eb as unknown as EB, viewer),
    eb.or([
      eb('events.org_id', '=', viewer.orgId),
      eb.and([
        eb('attributes.distribution', '!=', 0),
        eb.or([eb('attributes.distribution', '!=', 4), eb('attributes.sharing_group_id', 'in', sgs)]),
        eb.or([
          eb('attributes.object_id', '=', 0),
          eb.exists(
            eb
              .selectFrom('objects as vo')
              .select('vo.id')
              .whereRef('vo.id', '=', 'attributes.object_id')
              .where((o) =>
                o.and([
                  o('vo.distribution', '!=', 0),
                  o.or([o('vo.distribution', '!=', 4), o('vo.sharing_group_id', 'in', sgs)]),
                ]),
              ),
          ),
        ]),
      ]),
    ]),
  ]);
}
