/** An attribute as sent to the MISP REST API. */
export interface MispAttributePayload {
  uuid: string;
  type: string;
  category?: string;
  value: string;
  to_ids?: boolean;
  comment?: string;
  disable_correlation?: boolean;
  object_relation?: string;
  Tag?: { name: string }[];
}

/** An object as sent to the MISP REST API. */
export interface MispObjectPayload {
  uuid: string;
  name: string;
  'meta-category': string;
  template_uuid: string;
  template_version: string;
  description: string;
  comment?: string;
  Attribute: MispAttributePayload[];
}

/** An event as sent to `events/add`. */
export interface MispEventPayload {
  uuid: string;
  info: string;
  date: string;
  distribution: string;
  threat_level_id: string;
  analysis: string;
  Tag: { name: string }[];
  Attribute: MispAttributePayload[];
  Object: MispObjectPayload[];
}
