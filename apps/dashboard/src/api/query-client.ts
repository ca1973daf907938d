import { QueryClient } from '@tanstack/react-query';
import { describeProblem } from './errors';

/** Failed calls are retried twice, unless the key was refused: asking again with it cannot help. */
export function createDashboardQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: (failures, error) => !describeProblem(error).keyRejected && failures < 2,
        refetchOnWindowFocus: false,
      },
    },
  });
}
