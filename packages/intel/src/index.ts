export type { LoadProblem } from './files/load-problem.js';

export type { Taxonomy, TaxonomyPredicate, TaxonomyEntry } from './taxonomies/taxonomy.js';
export { parseTaxonomy } from './taxonomies/parse-taxonomy.js';
export type { ParseTaxonomyResult } from './taxonomies/parse-taxonomy.js';
export { parseMachineTag } from './taxonomies/parse-machine-tag.js';
export type { MachineTag } from './taxonomies/parse-machine-tag.js';
export { taxonomyPalette } from './taxonomies/tag-colour.js';
export { createTaxonomyIndex } from './taxonomies/taxonomy-index.js';
export type { TaxonomyIndex, TaxonomyTag, TagDescription, TaxonomyViolation } from './taxonomies/taxonomy-index.js';
export { loadTaxonomiesFromDir, loadBuiltinTaxonomies, builtinTaxonomiesDir } from './taxonomies/taxonomy-loader.js';
export type { LoadedTaxonomies } from './taxonomies/taxonomy-loader.js';

export { galaxyTagName } from './galaxies/galaxy.js';
export type { Galaxy, GalaxyCluster, GalaxyClusterRelation } from './galaxies/galaxy.js';
export { parseGalaxy } from './galaxies/parse-galaxy.js';
export type { ParseGalaxyResult } from './galaxies/parse-galaxy.js';
export { parseClusterFile } from './galaxies/parse-cluster-file.js';
export type { ParseClusterFileResult } from './galaxies/parse-cluster-file.js';
export { loadGalaxiesFromDir } from './galaxies/galaxy-loader.js';
export type { LoadedGalaxies } from './galaxies/galaxy-loader.js';
export { createGalaxyIndex } from './galaxies/galaxy-index.js';
export type { GalaxyIndex, GalaxyIndexInput } from './galaxies/galaxy-index.js';
export { buildGalaxyJson } from './galaxies/galaxy-json.js';
export type { GalaxyJson, GalaxyClusterJson, GalaxyJsonInput, GalaxyJsonIds } from './galaxies/galaxy-json.js';

export type { Warninglist, WarninglistType, WarninglistCategory, WarninglistHit } from './warninglists/warninglist.js';
export { parseWarninglist } from './warninglists/parse-warninglist.js';
export type { ParseWarninglistResult } from './warninglists/parse-warninglist.js';
export { loadWarninglistsFromDir } from './warninglists/warninglist-loader.js';
export type { LoadedWarninglists } from './warninglists/warninglist-loader.js';
export { createWarninglistMatcher } from './warninglists/warninglist-matcher.js';
export type { WarninglistMatcher, WarninglistMatcherOptions, WarninglistAttribute, WarninglistEntryProblem } from './warninglists/warninglist-matcher.js';
export { compilePhpRegex } from './warninglists/php-regex.js';
export type { PhpRegexResult } from './warninglists/php-regex.js';
