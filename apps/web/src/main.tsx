import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiError } from './api/problem';
import { App } from './app';
import { AuthProvider } from './auth/auth';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Cached answers show at once (a slot page switch is instant) and refresh in the background.
      staleTime: 30_000,
      gcTime: 10 * 60_000,
      // The API client already repeats what a gateway failed to answer; a 4xx will not change.
      retry: (failures, error) => failures < 1 && !(error instanceof ApiError && error.status < 500),
      refetchOnWindowFocus: true,
    },
  },
});

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <AuthProvider>
        <App />
      </AuthProvider>
    </QueryClientProvider>
  </StrictMode>,
);
