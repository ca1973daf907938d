import superjson from 'superjson';

/** The one wire format of the tRPC endpoint, imported by both the server and the SDK. */
export const transformer = superjson;
