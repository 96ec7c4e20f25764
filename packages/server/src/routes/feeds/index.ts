export { registerFeedRoutes } from './feed-routes.js';
