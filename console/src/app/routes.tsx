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
          { path: 'catalog', lazy: () => import('../features/catalog/catalog-page').then((m) => ({ Component: m.CatalogPage })) },
          { path: 'catalog/plans/:planId', lazy: () => import('../features/catalog/plan-page').then((m) => ({ Component: m.PlanPage })) },
          {
            path: 'operations',
            lazy: () => import('../features/operations/operations-layout').then((m) => ({ Component: m.OperationsLayout })),
            children: [
              { index: true, element: <Navigate to="/operations/outbox" replace /> },
              { path: 'outbox', lazy: () => import('../features/outbox/outbox-page').then((m) => ({ Component: m.OutboxPage })) },
              { path: 'stripe-events', lazy: () => import('../features/stripe-events/stripe-events-page').then((m) => ({ Component: m.StripeEventsPage })) },
              { path: 'staff', lazy: () => import('../features/staff/staff-page').then((m) => ({ Component: m.StaffPage })) },
              { path: 'staff/:staffId', lazy: () => import('../features/staff/staff-member-page').then((m) => ({ Component: m.StaffMemberPage })) },
              { path: 'api-tokens', lazy: () => import('../features/api-tokens/api-tokens-page').then((m) => ({ Component: m.ApiTokensPage })) },
              { path: 'signing-keys', lazy: () => import('../features/signing-keys/signing-keys-page').then((m) => ({ Component: m.SigningKeysPage })) },
            ],
          },
          { path: 'abuse-alerts', lazy: () => import('../features/abuse-alerts/abuse-alerts-page').then((m) => ({ Component: m.AbuseAlertsPage })) },
          { path: 'abuse-alerts/:alertId', lazy: () => import('../features/abuse-alerts/abuse-alert-page').then((m) => ({ Component: m.AbuseAlertPage })) },
          { path: 'reports', lazy: () => import('../features/reports/reports-page').then((m) => ({ Component: m.ReportsPage })) },
          { path: 'bulk', lazy: () => import('../features/bulk/bulk-page').then((m) => ({ Component: m.BulkPage })) },
          { path: 'bulk/:operationId', lazy: () => import('../features/bulk/bulk-operation-page').then((m) => ({ Component: m.BulkOperationPage })) },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
];

export const createConsoleRouter = () => createBrowserRouter(routes, { basename: '/admin' });
