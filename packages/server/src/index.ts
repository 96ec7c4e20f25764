export { createApp } from './app.js';
export type { AppDeps } from './app.js';
export type { Services, RouteContext } from './http/context.js';
export type { AdminServices } from './http/admin-services.js';
export { STATUS_BY_CODE } from './http/error-map.js';
export { rewriteMispUrl } from './http/url-rewrite.js';
export { MISP_API_VERSION } from './routes/misc.js';
export { createServices } from './services.js';
