#!/usr/bin/env node
// Matchloop runs from its TypeScript sources; tsx compiles them as they load.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
