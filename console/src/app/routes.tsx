import { createBrowserRouter, Navigate, type RouteObject } from 'react-router';
import { RequireSession } from '../features/auth/require-session';
import { SignInPage } from '../features/auth/sign-in-page';
import { ForgotPasswordPage } from '../features/auth/forgot-password-page';
import { StaffLinkPage } from '../features/auth/staff-link-page';
import { SearchPage } from '../features/search/search-page';
import { AppLayout } from './app-layout';
import { NotFoundPage } from './not-found-page';
import { RouteError } from './route-error';

/**
 * The console's table of contents: every page, one line each. Pages beyond the first screen
 * load on demand (route-level code splitting keeps the initial JavaScript small).
 */
export const routes: RouteObject[] = [
  { path: 'sign-in', element: <SignInPage /> },
  { path: 'forgot-password', element: <ForgotPasswordPage /> },
  { path: 'link', element: <StaffLinkPage /> },
  {
    element: <RequireSession />,
    errorElement: <RouteError />,
    children: [
      {
        element: <AppLayout />,
        children: [
          { index: true, element: <Navigate to="/search" replace /> },
          { path: 'search', element: <SearchPage /> },
          { path: 'accounts/:customerId', lazy: () => import('../features/accounts/account-page').then((m) => ({ Component: m.AccountPage })) },
          { path: 'licenses/:licenseId', lazy: () => import('../features/accounts/license-page').then((m) => ({ Component: m.LicensePage })) },
          { path: 'bulk', lazy: () => import('../features/bulk/bulk-page').then((m) => ({ Component: m.BulkPage })) },
          { path: 'bulk/:operationId', lazy: () => import('../features/bulk/bulk-operation-page').then((m) => ({ Component: m.BulkOperationPage })) },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
];

export const createConsoleRouter = () => createBrowserRouter(routes, { basename: '/admin' });
