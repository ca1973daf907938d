export { type MatchloopOptions, type RunningMatchloop, startMatchloop } from './app';
export { createLogger, type Logger } from './logger';
export { formatTable } from './text-table';
