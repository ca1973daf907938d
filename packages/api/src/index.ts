export { bearerSecret, type Context, createContextFactory, type Principal } from './context';
export { openApiDocument } from './openapi';
export { type AppRouter, appRouter, createCaller } from './root';
export {
  type AlertOptions,
  type CreatedApiKey,
  DEFAULT_WEBHOOK_RETRY,
  type LearningOptions,
  learningOptions,
  openServices,
  type ServiceOptions,
  type Services,
  type WebhookOptions,
} from './services';
export { apiKeyService } from './services/api-keys';
export { type AuditEvent, auditLog } from './services/audit-log';
export { HistoryImportError, type ImportResult, importChoiceHistory } from './services/history-import';
export { type ReplayResult, replayLearning } from './services/replay';
