// Vitest runs outside the React Server Components bundler, where `import "server-only"` would throw.
// The alias in vitest.config.ts points that import here; the real guard still applies inside Next.
export {};
