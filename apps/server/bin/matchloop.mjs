#!/usr/bin/env -S node --max-semi-space-size=64 --v8-pool-size=0
// Run as an executable, so that Node reads the flags above. Each HTTP request leaves objects that Node 20
// carries through young-generation collections (the web stream of each answer is tied to a native handle), so
// a collection costs more the more often it comes: a 64 MB semi-space, not V8's 16 MB, makes them a third as
// frequent, and made a weights read some 70 µs of CPU cheaper when it was chosen.
// `--v8-pool-size=0` gives the garbage collector one helper thread fewer than the machine has cores, not
// Node's four whatever the cores: on two cores shared with PostgreSQL, four helpers marking at once held both
// cores for 20–35 ms, and every commit waiting on a database process waited with them.
// Matchloop runs from its TypeScript sources; tsx compiles them as they load.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
