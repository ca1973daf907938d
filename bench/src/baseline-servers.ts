import { transformer } from '@matchloop/schemas/transformer';
import { registerTrpcRoute } from '@matchloop/server/trpc-route';
import { initTRPC } from '@trpc/server';
import Fastify from 'fastify';

/**
 * The baselines of the HTTP benchmark, each run in its own process as Matchloop is, so that server and load
 * generator are separated the same way for every target:
 *
 * - `trpc`: the server stack Matchloop answers on — Fastify, Matchloop's tRPC route at /trpc (tRPC's fetch
 *   adapter), the product's superjson transformer — with procedures at Matchloop's paths that do no work:
 *   each answers with its input;
 * - `echo`: bare Fastify answering a JSON body (or a query string) with itself at /echo.
 *
 * Both answer with what they were sent, so that the two move the same data and differ only in their stacks.
 *
 * Run as `node --import tsx baseline-servers.ts trpc|echo`, with the port in PORT.
 */

const t = initTRPC.create({ transformer });
/** Hands the input on as it arrives: tRPC reads and deserializes an input only for a procedure that parses it. */
const unvalidated = (input: unknown) => input;

const write = t.procedure.input(unvalidated).mutation(({ input }) => input);
const read = t.procedure.input(unvalidated).query(({ input }) => input);

/** At Matchloop's paths, so that the SDK's own client calls the baseline exactly as it calls Matchloop. */
const noopRouter = t.router({
  feedbackLearning: t.router({
    startSession: write,
    recordChoice: write,
    recordInteraction: write,
    recordInteractions: write,
    weights: read,
  }),
});

async function serveNoopProcedures(port: number): Promise<void> {
  // Batched tRPC GETs put every procedure name in the path, as Matchloop allows for.
  const app = Fastify({ routerOptions: { maxParamLength: 5000 } });
  await app.register(async (trpc) =>
    registerTrpcRoute(trpc, { router: noopRouter, createContext: () => ({}) }),
  );
  await app.listen({ port, host: '127.0.0.1' });
}

async function serveEcho(port: number): Promise<void> {
  const app = Fastify();
  app.post('/echo', async (request) => request.body);
  app.get('/echo', async (request) => request.query);
  await app.listen({ port, host: '127.0.0.1' });
}

const servers = { trpc: serveNoopProcedures, echo: serveEcho };
const kind = process.argv[2];
if (kind !== 'trpc' && kind !== 'echo') throw new Error(`usage: baseline-servers.ts trpc|echo, not ${kind}`);
await servers[kind](Number(process.env.PORT));
