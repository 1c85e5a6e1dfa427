import { createBrowserRouter, Navigate, type RouteObject } from 'react-router';
import { LinkPage } from '../features/auth/link-page';
import { RequireSession } from '../features/auth/require-session';
import { SignInPage } from '../features/auth/sign-in-page';
import { LicensePage } from '../features/licenses/license-page';
import { LicensesPage } from '../features/licenses/licenses-page';
import { RenewPage } from '../features/licenses/renew-page';
import { PortalLayout } from './portal-layout';
import { NotFoundPage } from './not-found-page';

/** The portal's table of contents: every page, one line each. */
export const routes: RouteObject[] = [
  {
    element: <PortalLayout />,
    children: [
      { path: 'sign-in', element: <SignInPage /> },
      { path: 'link', element: <LinkPage /> },
      {
        element: <RequireSession />,
        children: [
          { index: true, element: <Navigate to="/licenses" replace /> },
          { path: 'licenses', element: <LicensesPage /> },
          { path: 'licenses/:id', element: <LicensePage /> },
          { path: 'renew', element: <RenewPage /> },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];

export const createPortalRouter = () => createBrowserRouter(routes, { basename: '/portal' });
