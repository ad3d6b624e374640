import { createBrowserRouter } from 'react-router';
import { Layout } from '../components/layout';
import { LoadingState } from '../components/states';
import { hostRoutes } from './host-routes';
import { LandingPage } from './routes/landing';
import { NotFoundPage } from './routes/not-found';
import { RouteErrorPage } from './routes/route-error';

/**
 * Every screen's address. Feature pages load on demand, so a participant opening a giveaway does not
 * download the dashboard, and the dashboard does not download the proof checker.
 * Host screens: `/`, `/login`, `/signup`, `/account`, `/projects/:projectId…`, `/giveaways/:giveawayId…`.
 * Public screens: `/g/:slug` (participant page) and `/g/:slug/proof` (the draw's proof).
 */
export const router = createBrowserRouter([
  {
    errorElement: <RouteErrorPage />,
    hydrateFallbackElement: <LoadingState />,
    children: [
      {
        element: <Layout />,
        children: [
          { path: '/', element: <LandingPage /> },
          ...hostRoutes,
          {
            path: '/g/:slug',
            lazy: () =>
              import('../features/participant/participant-page').then((m) => ({
                Component: m.ParticipantPage,
              })),
          },
          {
            path: '/g/:slug/proof',
            lazy: () => import('../features/proof/proof-page').then((m) => ({ Component: m.ProofPage })),
          },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
