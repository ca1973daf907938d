import { z } from 'zod';

export const healthOutputSchema = z.object({
  status: z.literal('ok'),
  version: z.string(),
  uptimeSeconds: z.number().nonnegative(),
  database: z.object({
    kind: z.enum(['pglite', 'postgres']),
    latencyMs: z.number().nonnegative(),
  }),
});
export type HealthOutput = z.infer<typeof healthOutputSchema>;
