/**
 * `@matchloop/sdk/node`: what only Node can run, kept apart so that the main entry stays safe for
 * browsers.
 */
export { fileOutboxStore, OutboxFileInUseError } from './file-outbox-store';
