/** A tag as MISP writes it; only `name` matters for exchange. */
export interface MispTag {
  readonly name: string;
  readonly colour?: string;
}

/** A sighting of an attribute (`type` "0" sighting, "1" false positive, "2" expiration). */
export interface MispSighting {
  readonly uuid: string;
  readonly type: string;
  readonly date_sighting: string;
  readonly source?: string;
  readonly Organisation?: MispOrganisation;
}

/** An organisation reference (`Orgc`, a sighting's `Organisation`). */
export interface MispOrganisation {
  readonly uuid: string;
  readonly name: string;
}

/** A MISP attribute in the core JSON format. */
export interface MispAttribute {
  readonly uuid: string;
  readonly type: string;
  readonly category: string;
  readonly value: string;
  readonly to_ids: boolean;
  readonly comment: string;
  readonly timestamp: string;
  readonly first_seen?: string;
  readonly last_seen?: string;
  readonly object_relation?: string;
  readonly Tag: readonly MispTag[];
  readonly Sighting?: readonly MispSighting[];
}

/** A reference from a MISP object to another object or attribute. */
export interface MispObjectReference {
  readonly uuid: string;
  readonly object_uuid: string;
  readonly referenced_uuid: string;
  readonly relationship_type: string;
  readonly comment: string;
}

/** A MISP object (an instance of an object template). */
export interface MispObject {
  readonly uuid: string;
  readonly name: string;
  readonly 'meta-category': string;
  readonly template_uuid?: string;
  readonly template_version?: string;
  readonly description?: string;
  readonly comment: string;
  readonly timestamp: string;
  readonly first_seen?: string;
  readonly last_seen?: string;
  readonly Attribute: readonly MispAttribute[];
  readonly ObjectReference: readonly MispObjectReference[];
  readonly Tag?: readonly MispTag[];
}

/** A galaxy cluster attached to an event. */
export interface MispGalaxyCluster {
  readonly uuid: string;
  readonly type: string;
  readonly value: string;
  readonly tag_name: string;
  readonly description: string;
  readonly meta: Readonly<Record<string, unknown>>;
}

/** A galaxy with the clusters an event uses. */
export interface MispGalaxy {
  readonly type: string;
  readonly name: string;
  readonly description?: string;
  readonly GalaxyCluster: readonly MispGalaxyCluster[];
}

/** A MISP event report: a named Markdown document of the event. */
export interface MispEventReport {
  readonly uuid: string;
  readonly name: string;
  readonly content: string;
  readonly distribution: string;
  readonly timestamp: string;
  readonly deleted: boolean;
}

/** A MISP event in the core JSON format, as `events/add` accepts it (the bare, unwrapped form). */
export interface MispEvent {
  readonly uuid: string;
  readonly info: string;
  readonly date: string;
  readonly timestamp: string;
  readonly published: boolean;
  readonly publish_timestamp?: string;
  readonly distribution?: string;
  readonly threat_level_id: string;
  readonly analysis: string;
  readonly Orgc?: MispOrganisation;
  readonly Tag: readonly MispTag[];
  readonly Attribute: readonly MispAttribute[];
  readonly Object: readonly MispObject[];
  readonly Galaxy: readonly MispGalaxy[];
  /** Present only when the event has reports. */
  readonly EventReport?: readonly MispEventReport[];
}
