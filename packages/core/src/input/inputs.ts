import type { Distribution } from '../model/records.js';

/** A tag as given by a client. */
export interface TagInput {
  readonly name: string;
  readonly colour?: string;
  readonly local?: boolean;
  readonly exportable?: boolean;
  /** On an attribute edit, MISP's `"deleted": true` (PyMISP's `MISPTag.delete()`): remove this tag. */
  readonly deleted?: boolean;
}

/** An attribute as given by a client (MISP JSON, after shape checks). */
export interface AttributeInput {
  readonly uuid?: string;
  readonly type: string;
  readonly category?: string;
  readonly value: string;
  readonly to_ids?: boolean;
  readonly distribution?: Distribution;
  readonly sharing_group_id?: number;
  readonly comment?: string;
  readonly timestamp?: number;
  readonly deleted?: boolean;
  readonly disable_correlation?: boolean;
  readonly first_seen?: string | null;
  readonly last_seen?: string | null;
  readonly object_relation?: string;
  /** The file's content, base64 (`attachment` and `malware-sample`); checked when written, against the type then in force. */
  readonly data?: string;
  readonly tags: readonly TagInput[];
}

/** A reference between an object and another object or attribute. */
export interface ReferenceInput {
  readonly uuid?: string;
  readonly referenced_uuid: string;
  readonly relationship_type: string;
  readonly comment?: string;
  readonly timestamp?: number;
  readonly deleted?: boolean;
}

/** An object as given by a client. */
export interface ObjectInput {
  readonly uuid?: string;
  readonly name: string;
  readonly meta_category?: string;
  readonly description?: string;
  readonly template_uuid?: string;
  readonly template_version?: string;
  readonly distribution?: Distribution;
  readonly sharing_group_id?: number;
  readonly comment?: string;
  readonly timestamp?: number;
  readonly deleted?: boolean;
  readonly first_seen?: string | null;
  readonly last_seen?: string | null;
  readonly attributes: readonly AttributeInput[];
  readonly references: readonly ReferenceInput[];
}

/** An event report as given by a client (`name` is required when one is created). */
export interface EventReportInput {
  readonly uuid?: string;
  readonly name?: string;
  readonly content?: string;
  readonly distribution?: Distribution;
  readonly sharing_group_id?: number;
  readonly timestamp?: number;
  readonly deleted?: boolean;
}

/** The creator organisation carried by an event (sync and import). */
export interface OrgInput {
  readonly uuid?: string;
  readonly name?: string;
}

/** An event as given by a client. */
export interface EventInput {
  readonly uuid?: string;
  readonly info?: string;
  readonly date?: string;
  readonly threat_level_id?: number;
  readonly analysis?: number;
  readonly distribution?: Distribution;
  readonly sharing_group_id?: number;
  readonly published?: boolean;
  readonly timestamp?: number;
  readonly publish_timestamp?: number;
  readonly extends_uuid?: string;
  readonly disable_correlation?: boolean;
  readonly orgc?: OrgInput;
  readonly attributes: readonly AttributeInput[];
  readonly objects: readonly ObjectInput[];
  readonly tags: readonly TagInput[];
  /** `EventReport` of the event (none when left out). */
  readonly reports?: readonly EventReportInput[];
}
