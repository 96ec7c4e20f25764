/** An attribute of a MISP object as sent to, or read from, the MISP REST API. */
export interface MispObjectAttributeJson {
  readonly id?: string;
  readonly uuid?: string;
  readonly object_relation: string;
  readonly type: string;
  readonly category?: string;
  readonly value: string;
  readonly to_ids?: boolean;
  readonly disable_correlation?: boolean;
  readonly comment?: string;
  readonly deleted?: boolean;
  /** Base64 content of an `attachment` or `malware-sample`. */
  readonly data?: string;
  readonly timestamp?: string;
}

/** A MISP object as `/objects/add/{event}` accepts it and as `Event.Object` holds it. */
export interface MispObjectJson {
  readonly id?: string;
  readonly event_id?: string;
  readonly uuid?: string;
  readonly name: string;
  readonly 'meta-category': string;
  readonly description: string;
  readonly template_uuid: string;
  readonly template_version: string;
  readonly comment?: string;
  readonly first_seen?: string;
  readonly last_seen?: string;
  readonly deleted?: boolean;
  readonly timestamp?: string;
  readonly Attribute: readonly MispObjectAttributeJson[];
}
