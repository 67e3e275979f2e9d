import { Application } from '../../core/entities/index.js';
import { parseOidcClientSettings } from '../../sso/admin/application-settings.js';
import { DEMO_APP_CLIENT_ID, type DemoDeps } from './seed-demo.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The demo app listens at `JUNCTION_DEMO_SIMULATOR_BASE_PORT + 6`; when that changed since the seed, its client
 * registration (redirect URIs, the launcher tile) follows it, as long as it still names a loopback address (an
 * admin who pointed it elsewhere keeps their change).
 */
export async function repointDemoApp(deps: DemoDeps, appUrl: string): Promise<boolean> {
  const repo = deps.dataSource.getRepository(Application);
  const app = await repo.findOne({ where: { clientId: DEMO_APP_CLIENT_ID } });
  if (!app?.oidc) return false;
  const callback = `${appUrl}/callback`;
  if (app.oidc.redirectUris.length === 1 && app.oidc.redirectUris[0] === callback) return false;
  if (!app.oidc.redirectUris.every((uri) => LOOPBACK.has(new URL(uri).hostname))) return false;
  app.oidc = parseOidcClientSettings({
    ...app.oidc,
    redirectUris: [callback],
    postLogoutRedirectUris: [`${appUrl}/`],
  });
  app.launchUrl = `${appUrl}/`;
  await repo.save(app);
  deps.log.info({ application: app.id, url: appUrl }, 'demo app registration follows it to its new port');
  return true;
}
