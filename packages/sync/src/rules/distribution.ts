/** MISP distribution levels. */
export const Distribution = {
  /** Your organisation only. */
  ORG_ONLY: 0,
  /** This community only (this instance and instances syncing with it). */
  THIS_COMMUNITY: 1,
  /** Connected communities (two hops). */
  CONNECTED: 2,
  /** All communities. */
  ALL: 3,
  /** The sharing group in `sharing_group_id`. */
  SHARING_GROUP: 4,
  /** Attributes, objects, reports: inherit from the containing event. */
  INHERIT: 5,
} as const;
