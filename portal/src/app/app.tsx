import { QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { RouterProvider } from 'react-router';
import { ToastProvider } from '@web/components';
import { createQueryClient } from '@web/lib/query-client';
import { createPortalRouter } from './routes';

/**
 * The customer portal's providers: server state, toasts and the router. Its customer session
 * (separate from staff sessions) joins here with the portal's sign-in feature.
 */
export function App() {
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(createPortalRouter);
  return (
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <RouterProvider router={router} />
      </ToastProvider>
    </QueryClientProvider>
  );
}
