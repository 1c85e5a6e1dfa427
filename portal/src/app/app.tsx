import { QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { RouterProvider } from 'react-router';
import { ToastProvider } from '@web/components';
import { createQueryClient } from '@web/lib/query-client';
import { PortalSessionProvider } from '../features/auth/session';
import { createPortalRouter } from './routes';

/** The customer portal's providers: server state, toasts, the customer session (never a staff one), and the router. */
export function App() {
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(createPortalRouter);
  return (
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <PortalSessionProvider>
          <RouterProvider router={router} />
        </PortalSessionProvider>
      </ToastProvider>
    </QueryClientProvider>
  );
}
