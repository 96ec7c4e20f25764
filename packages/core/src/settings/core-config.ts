import type { Distribution } from '../model/records.js';

/**
 * The start-up configuration (read once by the CLI). Those of its values that are also server
 * settings are only defaults: the use cases follow `CoreDeps.settings`, which a site admin can change.
 */
export interface CoreConfig {
  /** Values seen more often than this stop correlating (MISP's over-correlation threshold). */
  readonly correlationCap: number;
  readonly defaultEventDistribution: Distribution;
  readonly defaultAttributeDistribution: Distribution;
  /** Reject objects that break their template's rules (unknown templates are always accepted). */
  readonly strictObjectTemplates: boolean;
}
