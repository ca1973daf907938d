export * from './analytics';
export * from './auth';
export * from './choice';
export * from './domain';
export * from './health';
export * from './interaction';
export * from './session';
export * from './weights';
