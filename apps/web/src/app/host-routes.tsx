import type { RouteObject } from 'react-router';

/** The dashboard's screens, loaded on demand behind the signed-in check (features/auth/host-area). */
export const hostRoutes: RouteObject[] = [
  {
    path: '/login',
    lazy: () =>
      import('../features/auth/sign-in-page').then((m) => ({
        Component: () => <m.SignInPage kind="login" />,
      })),
  },
  {
    path: '/signup',
    lazy: () =>
      import('../features/auth/sign-in-page').then((m) => ({
        Component: () => <m.SignInPage kind="signup" />,
      })),
  },
  {
    lazy: () => import('../features/auth/host-area').then((m) => ({ Component: m.HostArea })),
    children: [
      {
        path: '/projects',
        lazy: () => import('../features/projects/projects-page').then((m) => ({ Component: m.ProjectsPage })),
      },
      {
        path: '/account',
        lazy: () => import('../features/auth/account-page').then((m) => ({ Component: m.AccountPage })),
      },
      {
        path: '/projects/:projectId',
        lazy: () => import('../features/projects/project-page').then((m) => ({ Component: m.ProjectPage })),
      },
      {
        path: '/projects/:projectId/callbacks',
        lazy: () =>
          import('../features/callbacks/callback-console').then((m) => ({
            Component: m.CallbackConsolePage,
          })),
      },
      {
        path: '/projects/:projectId/giveaways/new',
        lazy: () =>
          import('../features/giveaways/giveaway-editor').then((m) => ({ Component: m.NewGiveawayPage })),
      },
      {
        path: '/giveaways/:giveawayId',
        lazy: () =>
          import('../features/giveaways/giveaway-page').then((m) => ({ Component: m.GiveawayPage })),
      },
      {
        path: '/giveaways/:giveawayId/edit',
        lazy: () =>
          import('../features/giveaways/giveaway-editor').then((m) => ({ Component: m.EditGiveawayPage })),
      },
    ],
  },
];
