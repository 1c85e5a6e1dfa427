import Router from '@koa/router';
import type { Context } from 'koa';
import type { SigningKeyring } from '../../domain/signing/signing-keyring.ts';
import { requestCustomerLink } from '../../domain/portal/request-customer-link.ts';
import { redeemCustomerLink } from '../../domain/portal/redeem-customer-link.ts';
import { getCustomerLicense, listCustomerLicenses } from '../../domain/portal/customer-license-view.ts';
import { customerLicenseHistory } from '../../domain/portal/customer-license-history.ts';
import { freeCustomerSeat } from '../../domain/portal/free-customer-seat.ts';
import { revealLicenseKey } from '../../domain/portal/reveal-license-key.ts';
import { downloadLicenseFile, licenseFileRequestSchema } from '../../domain/portal/download-license-file.ts';
import { openRenewal } from '../../domain/portal/open-renewal.ts';
import { customerKeyRotationSchema, rotateCustomerKey } from '../../domain/portal/rotate-customer-key.ts';
import { customerActor } from '../../domain/portal/portal-deps.ts';
import { recordAuditEvent } from '../../domain/audit/record-audit-event.ts';
import type { SessionRecord } from '../../domain/sessions/session-store.ts';
import { requestOrigin } from '../auth/principal.ts';
import type { ApiDependencies } from '../dependencies.ts';
import { parseBody, parseWith } from '../http/body.ts';
import { refusalsAsProblems } from '../http/refusals.ts';
import { idParam } from '../http/resources.ts';
import { LICENSE_FILE_MEDIA_TYPE, licenseFileName, renderLicenseFile } from '../offline/license-file.ts';
import { customerOf } from '../auth/customer-principal.ts';
import type { PortalServices } from './portal-services.ts';
import { portalSignInRequest, renewQuery, signInLinkRequest } from './portal-requests.ts';

/**
 * The customer portal's API (/v1/portal/…): signing in by e-mail link, and the signed-in
 * customer's own licenses. Every license route looks the license up among the customer's own
 * (domain/portal/owned-license.ts): another customer's id answers as no license at all.
 * Also GET /renew, the reminder e-mails' default renewal link, which leads into the portal.
 */
export function portalRoutes(deps: ApiDependencies & { portal: PortalServices; signingKeys: SigningKeyring }): Router {
  const router = new Router();
  const { sessions, signIn, renewal } = deps.portal;
  router.use(refusalsAsProblems);

  const sessionBody = (customer: { email: string; name: string | null }, session: SessionRecord, token: string) => ({
    customer: { email: customer.email, name: customer.name },
    csrf_token: sessions.store.csrfToken(token),
    expires_at: session.expiresAt.toISOString(),
    idle_expires_at: session.idleExpiresAt.toISOString(),
  });
  const licenseId = (ctx: Context) => parseWith(idParam, ctx.params.id);

  router.get('/renew', (ctx) => {
    const { license } = parseWith(renewQuery, ctx.query);
    ctx.redirect(license ? `/portal/renew?license=${license}` : '/portal/');
    ctx.body = '';
  });

  router.get('/v1/portal/sign-in-methods', (ctx) => {
    ctx.body = { email_link: signIn.mailer.available };
  });

  router.post('/v1/portal/sign-in-links', async (ctx) => {
    const { email } = await parseBody(ctx, signInLinkRequest);
    await requestCustomerLink(signIn, email, requestOrigin(ctx));
    // The same answer whether or not the e-mail belongs to a customer.
    ctx.status = 202;
    ctx.body = { detail: 'If this e-mail address has licenses, a sign-in link valid for 15 minutes is on its way. Check your inbox.' };
  });

  router.post('/v1/portal/sessions', async (ctx) => {
    const { token } = await parseBody(ctx, portalSignInRequest);
    // Sign-in from a page of another site is refused (login CSRF); scripts send no Origin.
    if (ctx.get('origin')) sessions.assertSameOrigin(ctx);
    const held = await sessions.lookup(ctx);
    const replacing = held && held.found.state !== 'UNKNOWN' ? held.found.session.id : null;
    const started = await redeemCustomerLink(signIn, token, requestOrigin(ctx), replacing);
    sessions.issue(ctx, started.token, started.session);
    ctx.status = 201;
    ctx.body = sessionBody(started.customer, started.session, started.token);
  });

  router.get('/v1/portal/session', (ctx) => {
    const principal = customerOf(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = sessionBody({ email: principal.customer.email, name: principal.name }, principal.session.record, principal.session.token);
  });

  router.delete('/v1/portal/session', async (ctx) => {
    const principal = customerOf(ctx);
    await deps.em.fork().transactional(async (tx) => {
      await sessions.store.revoke(tx, principal.session.record.id, 'signed_out');
      await recordAuditEvent(tx, { actor: customerActor(principal.customer), action: 'customer.signed_out', target: { type: 'customer_session', id: principal.session.record.id }, origin: principal.origin });
    });
    sessions.clear(ctx);
    ctx.status = 204;
  });

  router.get('/v1/portal/licenses', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await listCustomerLicenses(deps.em, customerOf(ctx).customer);
  });

  router.get('/v1/portal/licenses/:id', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await getCustomerLicense(deps.em, renewal, customerOf(ctx).customer, licenseId(ctx));
  });

  router.get('/v1/portal/licenses/:id/history', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await customerLicenseHistory(deps.em, customerOf(ctx).customer, licenseId(ctx));
  });

  router.post('/v1/portal/licenses/:id/machines/:activationId/free', async (ctx) => {
    const id = licenseId(ctx);
    const activationId = parseWith(idParam, ctx.params.activationId);
    ctx.body = await freeCustomerSeat(deps, customerOf(ctx), id, activationId);
  });

  router.post('/v1/portal/licenses/:id/key', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await revealLicenseKey(deps, customerOf(ctx), licenseId(ctx));
  });

  router.post('/v1/portal/licenses/:id/license-files', async (ctx) => {
    const id = licenseId(ctx);
    const { fingerprint } = await parseBody(ctx, licenseFileRequestSchema);
    const issued = await downloadLicenseFile(deps, customerOf(ctx), id, fingerprint);
    ctx.status = 201;
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Content-Disposition', `attachment; filename="${licenseFileName(issued)}"`);
    ctx.type = LICENSE_FILE_MEDIA_TYPE;
    ctx.body = renderLicenseFile(issued);
  });

  router.post('/v1/portal/licenses/:id/rotate-key', async (ctx) => {
    const id = licenseId(ctx);
    const { reason } = await parseBody(ctx, customerKeyRotationSchema);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await rotateCustomerKey({ em: deps.em, secret: deps.secret, deliveries: deps.lifecycle, cache: deps.cache }, customerOf(ctx), id, reason);
  });

  router.post('/v1/portal/licenses/:id/renewal', async (ctx) => {
    ctx.body = await openRenewal({ em: deps.em, ...renewal }, customerOf(ctx), licenseId(ctx));
  });

  return router;
}
