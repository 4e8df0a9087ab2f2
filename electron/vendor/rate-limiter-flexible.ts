/**
 * What @gitbeaker/rest takes of rate-limiter-flexible: its in-memory limiter and queue. The
 * package's index also loads database limiters (Drizzle) through a computed import, which the
 * bundle cannot resolve and the package check rightly refuses; the main build aliases the package
 * to this file (electron.vite.config.ts). gitbeaker is typed against the package itself.
 */
// @ts-expect-error -- a CommonJS file the package ships without its own declaration
export { default as RateLimiterMemory } from 'rate-limiter-flexible/lib/RateLimiterMemory.js';
// @ts-expect-error -- the same
export { default as RateLimiterQueue } from 'rate-limiter-flexible/lib/RateLimiterQueue.js';
