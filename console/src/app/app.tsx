import { QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { RouterProvider } from 'react-router';
import { ToastProvider } from '@web/components';
import { SessionProvider } from '../features/auth/session';
import { createQueryClient } from '@web/lib/query-client';
import { createConsoleRouter } from './routes';

/** The console's providers: server state, toasts, the staff session, and the router. */
export function App() {
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(createConsoleRouter);
  return (
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <SessionProvider>
          <RouterProvider router={router} />
        </SessionProvider>
      </ToastProvider>
    </QueryClientProvider>
  );
}
