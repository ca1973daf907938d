import { defineConfig } from 'tsup';

/**
 * The published SDK bundles the one piece of workspace code it runs (the transformer), so the package
 * needs no @matchloop/* package at install time. Its types are bundled by rollup.dts.config.mjs.
 */
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  target: 'es2022',
  platform: 'neutral',
  noExternal: [/^@matchloop\//],
  clean: true,
  dts: false,
  sourcemap: true,
});
