// Module resolution hook: the bare specifier 'electron' resolves to the double, everything else
// as Node resolves it (the app's own node_modules, inside the package). The double's URL goes on
// down the chain so that tsx, registered before, compiles it.
const DOUBLE = new URL('./electron.ts', import.meta.url).href;

export async function resolve(specifier, context, next) {
  return next(specifier === 'electron' ? DOUBLE : specifier, context);
}
