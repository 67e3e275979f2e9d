import { Router } from 'express';
import { listAccessibleApplications } from '../../../sso/access/person-app-view.js';
import { one } from '../../../sso/db/sql.js';
import { launcherPage } from '../pages/sign-in-pages.js';
import { handle, type RouteContext } from './route-context.js';

/** The app launcher: after sign-in, a tile for every app the access model lets this person open. */
export function launcherRoutes(ctx: RouteContext): Router {
  const router = Router();

  router.get(
    '/sso/apps',
    handle(async (req, res) => {
      const session = await ctx.session(req);
      if (!session) {
        res.redirect(303, '/sso/login');
        return;
      }
      const person = await one<{ display_name: string }>(
        ctx.deps.dataSource,
        `SELECT display_name FROM people WHERE id = $1`,
        [session.personId],
      );
      const apps = await listAccessibleApplications(ctx.deps.dataSource, session.personId);
      const tiles = apps.flatMap((app) => {
        const href = app.launchUrl ?? (app.protocol === 'saml' ? `/saml/idp/${app.id}` : undefined);
        return href ? [{ ...app, href }] : [];
      });
      res
        .type('html')
        .send(launcherPage({ nonce: ctx.nonce(res), personName: person?.display_name ?? '', tiles }));
    }),
  );

  return router;
}
