import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
// A relative import, not a dependency: @matchloop/server depends on this package, so the reverse
// dependency would be a cycle. Only this test reaches into the server, to have a live one to talk to.
import { startTestServer } from '../../../apps/server/src/testing/test-server';

const SDK_DIR = fileURLToPath(new URL('..', import.meta.url));
const EXAMPLES_DIR = join(SDK_DIR, 'examples');
const BUILT_FILES = ['dist/index.js', 'dist/index.d.ts', 'dist/node.js', 'dist/node.d.ts'];
/** The only packages the published client may load or name in its types. */
const RUNTIME_DEPENDENCIES = ['@trpc/client', '@trpc/server', 'superjson', 'uuid', 'zod'];
/** What `@matchloop/sdk/node` may load besides them; the main entry runs in browsers and loads none. */
const NODE_BUILT_INS = ['node:fs', 'node:path'];

/**
 * A consumer as strict as they come. `skipLibCheck: false` makes TypeScript check our bundled
 * `index.d.ts` itself, not just the program's use of it.
 */
const STRICT_COMPILER_OPTIONS = {
  target: 'ES2022',
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  verbatimModuleSyntax: true,
  skipLibCheck: false,
};

/** The matching service and everything else: a Node program. */
const NODE_TSCONFIG = {
  compilerOptions: {
    ...STRICT_COMPILER_OPTIONS,
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    types: ['node'],
  },
  include: ['*.ts'],
};

/**
 * The frontend examples as a browser app compiles them: bundler resolution, DOM and no Node types.
 * `ESNext.Disposable` is there because @trpc/server's own declarations name `Disposable`, which
 * ES2022 and DOM do not declare (Node's types do).
 */
const BROWSER_TSCONFIG = {
  compilerOptions: {
    ...STRICT_COMPILER_OPTIONS,
    lib: ['ES2022', 'DOM', 'ESNext.Disposable'],
    module: 'ESNext',
    moduleResolution: 'Bundler',
    types: [],
    noEmit: true,
  },
  files: ['frontend.ts', 'frontend-outbox.ts', 'errors.ts'],
};

/**
 * The matching service opens a session, the frontend records an interaction and the choice, and the
 * matching service reads the weights: the README's examples, run against a live server. The program
 * prints what it got for the test to check; its type assertions are checked by `tsc`.
 */
const MAIN_TS = `import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Candidate, createMatchloopClient, type Segment } from '@matchloop/sdk';
import { describeFailure } from './errors.js';
import { createFeedbackReporter } from './frontend.js';
import { createMatchingService } from './matching-service.js';
import { openServerOutbox } from './node-outbox.js';

/** true when A and B are the same type; \`any\` is the same as nothing else. */
type Exactly<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(\`\${name} is not set\`);
  return value;
}

const url = env('MATCHLOOP_URL');
const profile = { cost: 0.5, quality: 0.5, speed: 0.5, proximity: 0.5, capability: 0.5, reliability: 0.5 };
const candidates: Candidate[] = [
  { manufacturerId: 'acme-cheap', factors: { ...profile, cost: 0.95, quality: 0.4 } },
  { manufacturerId: 'precision-works', factors: { ...profile, quality: 0.95, reliability: 0.9, cost: 0.3 } },
  { manufacturerId: 'rapid-fab', factors: { ...profile, speed: 0.95 } },
];

const matchingService = createMatchingService(url, env('MATCHLOOP_MATCHING_SERVICE_KEY'));
const sessionId = randomUUID();
const session = await matchingService.recommend(sessionId, 'customer-42', candidates);
const retried = await matchingService.recommend(sessionId, 'customer-42', candidates);
const second = session.recommendations[1];
if (!second) throw new Error('expected three recommendations');

const reporter = createFeedbackReporter(url, env('MATCHLOOP_FRONTEND_KEY'), session.sessionId);
const interaction = await reporter.detailsOpened(second.manufacturerId, 42);
const choice = await reporter.chose(second.manufacturerId, ['quality', 'reliability'], 5);
const weights = await matchingService.weightsFor(session.segment);

// The web server's outbox: one event the server takes, one for a session it does not know.
const outboxFile = join(tmpdir(), \`matchloop-outbox-\${randomUUID()}.jsonl\`);
const outbox = await openServerOutbox(url, env('MATCHLOOP_FRONTEND_KEY'), outboxFile);
await outbox.recordInteraction({ sessionId, manufacturerId: second.manufacturerId, interactionType: 'contacted' });
await outbox.recordInteraction({ sessionId: randomUUID(), manufacturerId: 'acme-cheap', interactionType: 'viewed' });
await outbox.flush();
const outboxOutcome = { pending: outbox.pending(), refused: outbox.rejected().map(({ status }) => status) };
await outbox.close();

// The outputs carry the contract's types, not \`any\`.
true satisfies Exactly<typeof session.segment, Segment>;
true satisfies Exactly<typeof choice.chosenRank, number | null>;
true satisfies Exactly<typeof interaction.recordedAt, Date>;

const matchloop = createMatchloopClient({ url, apiKey: env('MATCHLOOP_FRONTEND_KEY') });
const rejection = await matchloop.feedbackLearning.startSession
  .mutate({
    customerId: 'customer-42',
    // @ts-expect-error a factor score is a number: the types reject a string before the server does
    candidates: [{ manufacturerId: 'acme-cheap', factors: { ...profile, cost: 'high' } }],
  })
  .then(() => 'accepted', describeFailure);

console.log(
  JSON.stringify({
    sessionId: session.sessionId,
    retriedSessionId: retried.sessionId,
    segment: session.segment,
    ranking: session.recommendations.map(({ manufacturerId }) => manufacturerId),
    chosenManufacturerId: second.manufacturerId,
    chosenRank: choice.chosenRank,
    recordedAtIsDate: interaction.recordedAt instanceof Date,
    weights: { segment: weights.segment, values: weights.values },
    rejection,
    outbox: outboxOutcome,
  }),
);
`;

interface ProgramOutput {
  sessionId: string;
  retriedSessionId: string;
  segment: string;
  ranking: string[];
  chosenManufacturerId: string;
  chosenRank: number | null;
  recordedAtIsDate: boolean;
  weights: { segment: string; values: Record<string, number> };
  rejection: string;
  outbox: { pending: number; refused: number[] };
}

interface PackedTarball {
  filename: string;
  files: { path: string }[];
}

const execFileAsync = promisify(execFile);

/** Runs a command and returns its stdout; a failure reports both streams, where tsc and npm explain. */
async function run(command: string, args: string[], cwd: string, env = process.env): Promise<string> {
  try {
    const { stdout } = await execFileAsync(command, args, { cwd, env, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`\`${command} ${args.join(' ')}\` failed in ${cwd}:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

/** The module specifiers a JavaScript or declaration file imports or re-exports. */
function importedSpecifiers(source: string): string[] {
  const specifiers = source.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*['"]([^'"]+)['"]/g);
  return [...new Set([...specifiers].map(([, specifier]) => specifier as string))];
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

describe('the published @matchloop/sdk package, installed in a fresh project', () => {
  let scratchDir: string;
  let projectDir: string;
  let tarball: PackedTarball;

  const installed = (path: string) => join(projectDir, 'node_modules/@matchloop/sdk', path);
  const tsc = (args: string[]) =>
    run(process.execPath, [join(projectDir, 'node_modules/typescript/bin/tsc'), ...args], projectDir);

  beforeAll(async () => {
    const missing = BUILT_FILES.filter((file) => !existsSync(join(SDK_DIR, file)));
    if (missing.length > 0) {
      throw new Error(
        `packages/sdk has not been built (missing ${missing.join(', ')}). ` +
          'Run `pnpm --filter @matchloop/sdk build`, or `pnpm test`, which builds first.',
      );
    }

    scratchDir = await mkdtemp(join(tmpdir(), 'matchloop-sdk-'));
    projectDir = join(scratchDir, 'consumer');
    tarball = JSON.parse(await run('pnpm', ['pack', '--json', '--pack-destination', scratchDir], SDK_DIR));

    await cp(EXAMPLES_DIR, projectDir, { recursive: true });
    await writeFile(
      join(projectDir, 'package.json'),
      JSON.stringify({ name: 'matchloop-sdk-consumer', private: true, type: 'module' }),
    );
    await writeFile(join(projectDir, 'tsconfig.json'), JSON.stringify(NODE_TSCONFIG));
    await writeFile(join(projectDir, 'tsconfig.browser.json'), JSON.stringify(BROWSER_TSCONFIG));
    await writeFile(join(projectDir, 'main.ts'), MAIN_TS);

    await run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        tarball.filename,
        'typescript@5.9.3',
        '@types/node@20',
      ],
      projectDir,
    );
  }, 300_000);

  afterAll(async () => {
    if (scratchDir) await rm(scratchDir, { recursive: true, force: true });
  });

  it('holds the built client, its types and the README, nothing else', () => {
    expect(tarball.files.map(({ path }) => path).sort()).toEqual([
      'README.md',
      'dist/index.d.ts',
      'dist/index.js',
      'dist/index.js.map',
      'dist/node.d.ts',
      'dist/node.js',
      'dist/node.js.map',
      'package.json',
    ]);
  });

  it('depends on no workspace package', async () => {
    const manifest = JSON.parse(await readFile(installed('package.json'), 'utf8'));
    // pnpm pack rewrites `workspace:` ranges to versions; none may survive into the published manifest.
    expect(JSON.stringify(manifest)).not.toContain('workspace:');
    expect(Object.keys(manifest.dependencies).sort()).toEqual(RUNTIME_DEPENDENCIES);
    expect(manifest.peerDependencies).toBeUndefined();
    expect(manifest.optionalDependencies).toBeUndefined();
  });

  it('loads and names only its declared dependencies, and carries no server code', async () => {
    const entries = [
      { entry: 'index', mayLoad: RUNTIME_DEPENDENCIES },
      { entry: 'node', mayLoad: [...RUNTIME_DEPENDENCIES, ...NODE_BUILT_INS] },
    ];
    for (const { entry, mayLoad } of entries) {
      const javascript = await readFile(installed(`dist/${entry}.js`), 'utf8');
      const declarations = await readFile(installed(`dist/${entry}.d.ts`), 'utf8');
      for (const source of [javascript, declarations]) {
        const packages = importedSpecifiers(source).map(packageName);
        expect(mayLoad).toEqual(expect.arrayContaining(packages));
      }
      expect(javascript).not.toMatch(/@matchloop\/|fastify|prisma|pglite/i);
    }
  });

  it('type-checks a strict Node program using it, declarations included', async () => {
    await tsc(['--noEmit', '--project', 'tsconfig.json']);
  }, 120_000);

  it('type-checks the frontend examples as a browser app', async () => {
    await tsc(['--project', 'tsconfig.browser.json']);
  }, 120_000);

  it('runs the examples against a live server', async () => {
    // Type checking is the test above; here the program only needs to become JavaScript.
    await tsc(['--noCheck', '--project', 'tsconfig.json']);
    const server = await startTestServer('pglite');
    onTestFinished(() => server.close());
    const frontendKey = await server.createKey(['ingest']);
    const matchingServiceKey = await server.createKey(['ingest', 'read']);
    const stdout = await run(process.execPath, ['main.js'], projectDir, {
      ...process.env,
      MATCHLOOP_URL: server.url,
      MATCHLOOP_MATCHING_SERVICE_KEY: matchingServiceKey,
      MATCHLOOP_FRONTEND_KEY: frontendKey,
    });
    const output: ProgramOutput = JSON.parse(stdout);

    expect(output.retriedSessionId).toBe(output.sessionId);
    expect(output.segment).toBe('price_sensitive');
    expect(output.ranking.toSorted()).toEqual(['acme-cheap', 'precision-works', 'rapid-fab']);
    expect(output.chosenManufacturerId).toBe(output.ranking[1]);
    expect(output.chosenRank).toBe(2);
    // superjson came through the bundle: dates arrive as dates.
    expect(output.recordedAtIsDate).toBe(true);
    expect(output.weights.segment).toBe(output.segment);
    const weights = Object.values(output.weights.values);
    expect(weights).toHaveLength(6);
    expect(weights.reduce((sum, weight) => sum + weight, 0)).toBeCloseTo(1, 9);
    expect(output.rejection).toMatch(/^400 BAD_REQUEST: candidates\.0\.factors\.cost: /);
    expect(output.outbox).toEqual({ pending: 0, refused: [404] });
  }, 120_000);
});

describe('the SDK README', () => {
  it('shows every example file verbatim, and no TypeScript that is not one of them', async () => {
    const readme = await readFile(join(SDK_DIR, 'README.md'), 'utf8');
    const snippets = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map(([, code]) => code);
    const exampleFiles = (await readdir(EXAMPLES_DIR)).filter((file) => file.endsWith('.ts')).sort();
    const examples = await Promise.all(
      exampleFiles.map((file) => readFile(join(EXAMPLES_DIR, file), 'utf8')),
    );
    expect(snippets.sort()).toEqual(examples.sort());
  });
});
