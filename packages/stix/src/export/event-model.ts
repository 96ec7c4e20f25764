/** A MISP tag, by name. */
export type TagName = string;

/** One sighting of an attribute, normalised. */
export interface SightingModel {
  readonly uuid: string;
  readonly rawUuid: string | undefined;
  readonly type: string;
  readonly date: Date | undefined;
  readonly source: string | undefined;
  readonly org: OrgModel | undefined;
}

/** An organisation with a STIX-usable uuid. */
export interface OrgModel {
  readonly uuid: string;
  readonly name: string;
}

/** A galaxy cluster with the galaxy it belongs to. */
export interface ClusterModel {
  readonly uuid: string;
  readonly rawUuid: string | undefined;
  readonly galaxyType: string;
  readonly galaxyName: string;
  readonly galaxyDescription: string;
  readonly value: string;
  readonly tagName: string;
  readonly description: string;
  readonly meta: Readonly<Record<string, unknown>>;
}

/** An attribute, normalised: uuid made STIX-usable, flags and times parsed. */
export interface AttributeModel {
  readonly uuid: string;
  /** The uuid as MISP sent it, when it was not STIX-usable (kept so import can restore it). */
  readonly rawUuid: string | undefined;
  readonly type: string;
  readonly category: string | undefined;
  readonly value: string;
  readonly toIds: boolean;
  readonly comment: string;
  readonly timestamp: Date | undefined;
  readonly firstSeen: Date | undefined;
  readonly lastSeen: Date | undefined;
  readonly objectRelation: string | undefined;
  readonly tags: readonly TagName[];
  readonly clusters: readonly ClusterModel[];
  readonly sightings: readonly SightingModel[];
}

/** A reference between MISP objects/attributes, by their raw (as sent) uuids. */
export interface ReferenceModel {
  readonly uuid: string;
  readonly rawUuid: string | undefined;
  readonly sourceRaw: string;
  readonly targetRaw: string;
  readonly relationshipType: string;
  readonly comment: string;
}

/** A MISP object, normalised. */
export interface ObjectModel {
  readonly uuid: string;
  readonly rawUuid: string | undefined;
  readonly name: string;
  readonly metaCategory: string | undefined;
  readonly templateUuid: string | undefined;
  readonly templateVersion: string | undefined;
  readonly description: string | undefined;
  readonly comment: string;
  readonly timestamp: Date | undefined;
  readonly firstSeen: Date | undefined;
  readonly lastSeen: Date | undefined;
  readonly tags: readonly TagName[];
  readonly attributes: readonly AttributeModel[];
  readonly references: readonly ReferenceModel[];
}

/** A MISP event report (Markdown), normalised; deleted reports are not read. */
export interface EventReportModel {
  readonly uuid: string;
  readonly rawUuid: string | undefined;
  readonly name: string;
  readonly content: string;
  readonly distribution: string | undefined;
  readonly timestamp: Date | undefined;
}

/** A MISP event, normalised for export. */
export interface EventModel {
  readonly uuid: string;
  readonly rawUuid: string | undefined;
  readonly info: string;
  readonly date: string | undefined;
  readonly timestamp: Date;
  readonly publishTimestamp: Date | undefined;
  readonly published: boolean;
  readonly distribution: string | undefined;
  readonly threatLevelId: string | undefined;
  readonly analysis: string | undefined;
  readonly orgc: OrgModel | undefined;
  readonly tags: readonly TagName[];
  readonly clusters: readonly ClusterModel[];
  readonly attributes: readonly AttributeModel[];
  readonly objects: readonly ObjectModel[];
  /** The event reports that are not deleted. */
  readonly reports: readonly EventReportModel[];
  /** Raw uuid (as sent) → STIX-usable uuid of every attribute and object, for references. */
  readonly uuidByRaw: ReadonlyMap<string, string>;
}
