import { Router, urlencoded, type Request, type Response } from 'express';
import { recordAudit } from '../api/http/audit.js';
import { INVITATION_PATH, peekInvitation, takeInvitation } from '../api/actions/invitations.js';
import { setPassword } from '../../sso/admin/local-accounts.js';
import type { GatewayDeps } from '../deps.js';
import { escapeText } from './console-auth.js';
import { messagePage } from './message-page.js';

const MIN_PASSWORD = 12;
const form = urlencoded({ extended: false, limit: '8kb', parameterLimit: 5 });

function passwordForm(token: string, email: string, error?: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Set your password · Junction</title><link rel="stylesheet" href="/console/assets/style.css"></head>
<body class="message"><main id="main">
<h1>Welcome to Junction</h1>
<p>Choose the password you will sign in with as <strong>${escapeText(email)}</strong>.</p>
${error ? `<p class="error" role="alert">${escapeText(error)}</p>` : ''}
<form method="post" action="${INVITATION_PATH}/${encodeURIComponent(token)}" class="stack">
  <label for="password">New password (at least ${MIN_PASSWORD} characters)</label>
  <input id="password" name="password" type="password" autocomplete="new-password" minlength="${MIN_PASSWORD}" required autofocus>
  <label for="confirm">Repeat it</label>
  <input id="confirm" name="confirm" type="password" autocomplete="new-password" minlength="${MIN_PASSWORD}" required>
  <button type="submit">Set password</button>
</form></main></body></html>`;
}

/**
 * The person's side of an invitation (see gateway/api/actions/invitations.ts): set a password at a password
 * provider, or be sent to sign in with the right login hint. Single use; a re-sent invitation voids this one.
 */
export function invitationRoutes(deps: GatewayDeps): Router {
  const router = Router();
  const gone = (res: Response) =>
    res
      .status(410)
      .type('html')
      .send(
        messagePage(
          'This invitation no longer works',
          'It was used, replaced by a newer one, or has expired. Ask your administrator to send it again.',
        ),
      );

  router.get(`${INVITATION_PATH}/:token`, (req: Request, res: Response, next) => {
    (async () => {
      const token = String(req.params.token);
      const invitation = await peekInvitation(deps.dataSource, token);
      if (!invitation) return void gone(res);
      if (invitation.purpose === 'sign_in') {
        await takeInvitation(deps.dataSource, token);
        res.redirect(303, `/sso/login?login_hint=${encodeURIComponent(invitation.loginHint)}`);
        return;
      }
      res.setHeader('Cache-Control', 'no-store');
      res.type('html').send(passwordForm(token, invitation.loginHint));
    })().catch(next);
  });

  router.post(`${INVITATION_PATH}/:token`, form, (req: Request, res: Response, next) => {
    (async () => {
      const token = String(req.params.token);
      const body = req.body as { password?: unknown; confirm?: unknown };
      const password = typeof body.password === 'string' ? body.password : '';
      const confirm = typeof body.confirm === 'string' ? body.confirm : '';
      const current = await peekInvitation(deps.dataSource, token);
      if (!current || current.purpose !== 'set_password' || !current.identityId) return void gone(res);
      if (password.length < MIN_PASSWORD || password.length > 1024) {
        res
          .status(400)
          .type('html')
          .send(passwordForm(token, current.loginHint, `Use at least ${MIN_PASSWORD} characters.`));
        return;
      }
      if (password !== confirm) {
        res
          .status(400)
          .type('html')
          .send(passwordForm(token, current.loginHint, 'The two passwords differ.'));
        return;
      }
      const invitation = await takeInvitation(deps.dataSource, token);
      if (!invitation?.identityId) return void gone(res);
      await setPassword(deps.dataSource, invitation.identityId, password);
      await recordAudit(deps.dataSource.manager, {
        actor: { type: 'admin', id: invitation.personId, label: invitation.loginHint },
        tenantId: invitation.tenantId,
        action: 'person.invitation_accepted',
        targetType: 'person',
        targetId: invitation.personId,
        ip: req.ip ?? null,
        userAgent: req.header('user-agent') ?? null,
      });
      res
        .type('html')
        .send(
          messagePage(
            'Your password is set',
            `You can now <a href="/sso/login?login_hint=${encodeURIComponent(invitation.loginHint)}">sign in</a>.`,
          ),
        );
    })().catch(next);
  });
  return router;
}
