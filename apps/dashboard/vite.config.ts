import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Where `pnpm dev` forwards API calls: a Matchloop server started separately (`pnpm start`). */
const matchloopUrl = process.env.MATCHLOOP_URL ?? 'http://localhost:3000';

export default defineConfig({
  plugins: [react()],
  server: { proxy: { '/trpc': matchloopUrl } },
  build: {
    rolldownOptions: {
      output: {
        // The charting library and React change far less often than the dashboard: in chunks of their
        // own, a browser keeps them cached across dashboard releases.
        codeSplitting: {
          groups: [
            {
              name: 'charts',
              test: /node_modules[\\/](recharts|d3-|victory-vendor|@reduxjs|immer|reselect)/,
            },
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|@tanstack)[\\/]/ },
          ],
        },
      },
    },
  },
});
