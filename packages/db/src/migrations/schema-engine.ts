import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';

type SchemaEngineBindings = typeof import('@prisma/schema-engine-wasm');
type WasmExports = Record<string, unknown>;

// Node provides WebAssembly globally; its types ship only with the DOM library, which a server has no use for.
declare const WebAssembly: {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: WasmExports } }>;
};

let bindings: Promise<SchemaEngineBindings> | undefined;

/**
 * Prisma's native schema engine is downloaded from a host production machines often cannot reach, so
 * migrations run on the Wasm build of the same engine, through our own driver adapters. Node cannot
 * `import` a .wasm file, so the module is instantiated by hand the way its wasm-bindgen glue expects.
 */
function loadBindings(): Promise<SchemaEngineBindings> {
  bindings ??= (async () => {
    const require = createRequire(import.meta.url);
    const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const glue = (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as SchemaEngineBindings & {
      __wbg_set_wasm(exports: WasmExports): void;
    };
    const bytes = await readFile(gluePath.replace(/schema_engine_bg\.js$/, 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': glue });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as (() => void) | undefined)?.();
    return glue;
  })();
  return bindings;
}

export async function openSchemaEngine(
  schema: string,
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
): Promise<SchemaEngine> {
  const { SchemaEngine } = await loadBindings();
  const ignoreEngineLogs = () => {};
  return SchemaEngine.new(
    { datamodels: [['schema.prisma', schema]] },
    ignoreEngineLogs,
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
}
