#!/usr/bin/env -S node --max-semi-space-size=64
// Run as an executable, so that Node reads the flag above. Each HTTP request leaves objects that Node 20
// carries through young-generation collections (the web stream of each answer is tied to a native handle), so
// a collection costs more the more often it comes: a 64 MB semi-space, not V8's 16 MB, makes them a third as
// frequent, and made a weights read some 70 µs of CPU cheaper when it was chosen.
// Matchloop runs from its TypeScript sources; tsx compiles them as they load.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
