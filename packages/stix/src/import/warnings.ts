/** Why part of a bundle was not imported, or not imported exactly. */
export type StixImportWarningCode =
  | 'unsupported_type'
  | 'missing_reference'
  | 'invalid_object'
  | 'pattern_kept_verbatim'
  | 'unmapped_observable'
  | 'relationship_not_imported';

/** A problem that import worked around; the rest of the bundle was imported. */
export interface StixImportWarning {
  readonly code: StixImportWarningCode;
  readonly message: string;
  /** The STIX object concerned. */
  readonly objectId?: string;
}
