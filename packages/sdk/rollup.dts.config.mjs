import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dts } from 'rollup-plugin-dts';

/**
 * Workspace packages are reached through pnpm's symlinks; compiled from there, their dependencies look
 * private to them and TypeScript refuses to name their types. Resolving to the real source path lets
 * the inlined types refer to `zod` and `@trpc/server` as the SDK's own dependencies.
 */
const workspaceSources = {
  name: 'workspace-sources',
  resolveId(source) {
    if (!source.startsWith('@matchloop/')) return null;
    const [, name, ...subpath] = source.split('/');
    const packageDir = fileURLToPath(new URL(`../${name}/`, import.meta.url));
    const { exports } = JSON.parse(readFileSync(`${packageDir}package.json`, 'utf8'));
    const entry = exports[subpath.length > 0 ? `./${subpath.join('/')}` : '.'];
    return `${packageDir}${(entry.types ?? entry).replace(/^\.\//, '')}`;
  },
};

/**
 * The SDK's published types, one file per entry. The router's type is inlined from our workspace sources,
 * so the package depends on no @matchloop/* package and its types mention no server internals.
 */
export default ['index', 'node'].map((entry) => ({
  input: `src/${entry}.ts`,
  output: { file: `dist/${entry}.d.ts`, format: 'es' },
  external: [/^@trpc\//, 'superjson', /^zod/],
  plugins: [workspaceSources, dts({ tsconfig: 'tsconfig.json', respectExternal: true })],
}));
