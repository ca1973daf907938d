import { z } from 'zod';

/**
 * What an API key may do. A key holds one or more scopes: `ingest` starts sessions and records events
 * (safe to give to the frontend), `read` reads the served weights, `admin` may do everything. The
 * matching service, which both starts sessions and reads weights, gets `ingest` and `read`.
 */
export const API_KEY_SCOPES = ['ingest', 'read', 'admin'] as const;
export const apiKeyScopeSchema = z.enum(API_KEY_SCOPES);
export type ApiKeyScope = z.infer<typeof apiKeyScopeSchema>;
