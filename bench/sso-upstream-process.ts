import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';

/**
 * The subsidiary OpenID Provider of the SSO benchmark, in its own process (its CPU is not the gateway's): a real
 * oidc-provider that signs in whoever `login_hint` names (people `person-<n>@bench.test`) without a form.
 * Environment: REDIRECT_URI. Prints one JSON line `{ issuer, clientId, clientSecret }` when listening.
 */
async function main(): Promise<void> {
  const redirectUri = process.env.REDIRECT_URI;
  if (!redirectUri) throw new Error('REDIRECT_URI is required');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientSecret = 'bench-upstream-secret-0123456789abcdef';
  const configuration: Configuration = {
    clients: [
      {
        client_id: 'junction',
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    cookies: { keys: ['bench-upstream-cookie-key-0123456789'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], employee: ['employee_id'] },
    scopes: ['openid', 'email', 'employee'],
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    ttl: {
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
      AccessToken: 600,
      IdToken: 600,
      AuthorizationCode: 60,
    },
    findAccount: (_ctx, sub) => ({
      accountId: sub,
      claims: () => ({
        sub,
        email: `${sub}@bench.test`,
        email_verified: true,
        employee_id: sub.replace('person-', 'B'),
      }),
    }),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    loadExistingGrant: async (ctx) => {
      const clientId = ctx.oidc.client?.clientId;
      const accountId = ctx.oidc.session?.accountId;
      if (!clientId || !accountId) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId, accountId });
      grant.addOIDCScope([...ctx.oidc.requestParamScopes].join(' '));
      await grant.save();
      return grant;
    },
  };
  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();
  server.on('request', (req, res) => {
    if (!req.url?.startsWith('/interaction/')) {
      callback(req, res);
      return;
    }
    void (async () => {
      const details = await provider.interactionDetails(req, res);
      const hint = String(details.params.login_hint ?? '');
      const sub = hint.split('@')[0] ?? '';
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: sub, amr: ['pwd'] } },
        { mergeWithLastSubmission: false },
      );
    })().catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  process.stdout.write(`${JSON.stringify({ issuer, clientId: 'junction', clientSecret })}\n`);
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => process.exit(0));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
