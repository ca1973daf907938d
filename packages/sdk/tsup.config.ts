import { defineConfig } from 'tsup';

/**
 * The published SDK bundles our own workspace code (the transformer) and inlines the router's types, so
 * the package needs no @matchloop/* package at install time and ships no server code.
 */
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  target: 'es2022',
  platform: 'neutral',
  dts: { resolve: [/^@matchloop\//] },
  noExternal: [/^@matchloop\//],
  clean: true,
  sourcemap: true,
});
