export type { ChangeFeed, ChangeListener } from './change-feed';
export {
  type Database,
  type DatabaseTarget,
  DEFAULT_DATA_DIR,
  describeTarget,
  openDatabase,
  targetFromEnv,
} from './client';
export { DataDirectoryInUseError } from './data-dir-lock';
export type { Prisma, PrismaClient } from './generated/prisma/client';
export { type PreparedStatements, transactionStatements } from './prepared-statements';
export * from './repositories/alerts';
export * from './repositories/analytics';
export * from './repositories/api-keys';
export * from './repositories/audit-events';
export * from './repositories/choice-log';
export * from './repositories/choices';
export * from './repositories/history';
export * from './repositories/interactions';
export * from './repositories/learning-snapshots';
export { isUniqueViolation } from './repositories/prisma-errors';
export * from './repositories/rollup-folding';
export * from './repositories/sessions';
