export { registerTaxiiRoutes, TAXII_DISCOVERY_PATH } from './register-taxii-routes.js';
export type { TaxiiRouteOptions } from './register-taxii-routes.js';
export type { TaxiiSource, TaxiiSourceRecord, TaxiiSourcePage, TaxiiAddResult } from './taxii-source.js';
export { normaliseTaxiiAuthorization } from './taxii-auth.js';
