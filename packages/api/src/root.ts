import { feedbackLearningRouter } from './router/feedback-learning';
import { createCallerFactory, router } from './trpc';

export const appRouter = router({
  feedbackLearning: feedbackLearningRouter,
});

export type AppRouter = typeof appRouter;

/** Calls procedures in process, without HTTP: for the CLI and for tests of the router itself. */
export const createCaller = createCallerFactory(appRouter);
