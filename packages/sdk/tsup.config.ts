import { defineConfig } from 'tsup';

/**
 * The published SDK bundles the one piece of workspace code it runs (the transformer), so the package
 * needs no @matchloop/* package at install time. Its types are bundled by rollup.dts.config.mjs.
 * `index` runs anywhere; `node` (`@matchloop/sdk/node`) holds what needs Node's built-in modules.
 */
export default defineConfig({
  entry: ['src/index.ts', 'src/node.ts'],
  format: ['esm'],
  target: 'es2022',
  platform: 'neutral',
  noExternal: [/^@matchloop\//],
  // Imported as `node:…`, Node's built-in modules say plainly to bundlers that the `node` entry is Node's.
  external: [/^node:/],
  removeNodeProtocol: false,
  clean: true,
  dts: false,
  sourcemap: true,
});
