import { createBrowserRouter, type RouteObject } from 'react-router';
import { PortalLayout } from './portal-layout';
import { NotFoundPage } from './not-found-page';

/** The portal's table of contents: every page, one line each (features join under features/<name>/). */
export const routes: RouteObject[] = [
  {
    element: <PortalLayout />,
    children: [{ path: '*', element: <NotFoundPage /> }],
  },
];

export const createPortalRouter = () => createBrowserRouter(routes, { basename: '/portal' });
