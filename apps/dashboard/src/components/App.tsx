import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { forgetAdminKey, storeAdminKey, storedAdminKey } from '../api/admin-key-storage';
import { createDashboardClient } from '../api/client';
import { MatchloopClientProvider } from '../api/client-context';
import { Dashboard } from './Dashboard';
import { SignIn } from './SignIn';

/** Asks for the admin key once per browser session, then shows the dashboard with it. */
export function App() {
  const queryClient = useQueryClient();
  const [adminKey, setAdminKey] = useState(storedAdminKey);
  const client = useMemo(() => (adminKey ? createDashboardClient(adminKey) : null), [adminKey]);

  if (!client) {
    return (
      <SignIn
        onSignedIn={(key) => {
          storeAdminKey(key);
          setAdminKey(key);
        }}
      />
    );
  }

  const signOut = () => {
    forgetAdminKey();
    // The figures were read with the old key; the next operator must not see them from the cache.
    queryClient.clear();
    setAdminKey(null);
  };
  return (
    <MatchloopClientProvider client={client}>
      <Dashboard onSignOut={signOut} />
    </MatchloopClientProvider>
  );
}
