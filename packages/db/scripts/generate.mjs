// `prisma generate` insists on locating a native schema engine even though generating the client never
// runs it, and the native engine cannot be downloaded here; any existing file satisfies the check.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const schemaPath = fileURLToPath(new URL('../prisma/schema.prisma', import.meta.url));
execFileSync('prisma', ['generate'], {
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: schemaPath, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
  shell: process.platform === 'win32',
});
