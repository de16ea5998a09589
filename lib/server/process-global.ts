// State one process must share between the launcher (HTTP server, job runner) and the route
// handlers Next.js bundles separately: each bundle has its own copy of every module, so a
// module-level variable would be one per bundle. Kept on globalThis under a registered symbol.
export function processGlobal<T>(name: string, init: () => T): T {
  const key = Symbol.for(`burnrate.${name}`);
  const holder = globalThis as Record<symbol, unknown>;
  if (!(key in holder)) holder[key] = init();
  return holder[key] as T;
}
