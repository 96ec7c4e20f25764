import type { HttpLureOptions, HttpRoute } from '../profiles/profile-types.js';

/** A lure's canned responses, with path regexes compiled once. */
export interface RouteTable {
  /** The route answering `method path` (path without the query), or the profile's not-found page. */
  match(method: string, path: string): HttpRoute;
}

/** Compiles a lure's routes; the first matching route wins. */
export function createRouteTable(http: HttpLureOptions): RouteTable {
  const routes = http.routes.map((r) => ({ r, re: r.path_regex === undefined ? undefined : new RegExp(r.path_regex) }));
  return {
    match(method, path) {
      for (const { r, re } of routes) {
        if (!r.methods.includes(method)) continue;
        if (re !== undefined ? re.test(path) : r.path === path) return r;
      }
      return http.not_found;
    },
  };
}
