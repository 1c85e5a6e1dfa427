import Koa from 'koa';
import type { ApiDependencies } from './dependencies.ts';
import { DatabaseOutage } from './health/database-outage.ts';
import { healthRoutes } from './health/health.routes.ts';
import { allowedMethods } from './http/allowed-methods.ts';
import { clientIp } from './http/client-ip.ts';
import { problemMiddleware } from './http/problem.ts';
import { routeFamilies } from './http/route-families.ts';
import { licenseRoutes } from './licenses/license.routes.ts';
import { licenseSearchRoutes } from './licenses/license-search.routes.ts';
import { licenseHistoryRoutes } from './licenses/license-history.routes.ts';
import { keyOperationRoutes } from './licenses/key-operation.routes.ts';
import { customerNoteRoutes } from './customers/customer-note.routes.ts';
import { webApps } from './web/web-apps.ts';
import { clientRoutes } from './activations/client.routes.ts';
import { customerRoutes } from './customers/customer.routes.ts';
import { planRoutes } from './plans/plan.routes.ts';
import { productRoutes } from './products/product.routes.ts';
import { openApiRoutes } from './openapi/openapi.routes.ts';
import { offlineTokenRoutes } from './offline/offline-token.routes.ts';
import { SigningKeyring } from '../domain/signing/signing-keyring.ts';
import { signingKeyRoutes } from './signing/signing-key.routes.ts';
import { messageRoutes } from './messages/message.routes.ts';
import { stripeRoutes } from './stripe/stripe.routes.ts';
import { ApiMetrics } from './metrics/api-metrics.ts';
import { metricsRoutes } from './metrics/metrics.routes.ts';
import { requestDuration } from './metrics/request-duration.ts';
import { authorize } from './auth/authorize.ts';
import { identityServices } from './auth/identity-services.ts';
import { auditRoutes } from './audit/audit.routes.ts';
import { reportRoutes } from './reports/report.routes.ts';
import { bulkOperationRoutes } from './bulk/bulk-operation.routes.ts';
import { sessionRoutes } from './sessions/session.routes.ts';
import { oidcRoutes } from './sso/oidc.routes.ts';
import { meRoutes } from './staff/me.routes.ts';
import { staffRoutes } from './staff/staff.routes.ts';
import { apiTokenRoutes } from './tokens/api-token.routes.ts';
import { portalRoutes } from './portal/portal.routes.ts';
import { portalServices } from './portal/portal-services.ts';
import { abuseRoutes } from './abuse/abuse.routes.ts';

/** The Koa application, built from its dependencies (tests build it in-process). */
export function createApp(given: ApiDependencies): Koa {
  const deps = {
    ...given,
    signingKeys: given.signingKeys ?? new SigningKeyring({ em: given.em, secret: given.secret, logger: given.logger }),
    metrics: new ApiMetrics({ registry: given.metricsRegistry, em: given.em, cache: given.cache, logger: given.logger, usage: given.usage }),
    staffAuth: identityServices(given),
    portal: portalServices(given),
    databaseOutage: given.databaseOutage ?? new DatabaseOutage({ logger: given.logger, probe: () => given.em.execute('select 1') }),
  };
  // Koa's `proxy` stays off: X-Forwarded-* are written by whoever sends the request. The client's
  // address is resolved once, by clientIp(), through the proxies TRUST_PROXY names.
  const app = new Koa({ proxy: false });
  const requestLog = deps.logger.child({ component: 'http' });

  app.use((ctx, next) => {
    // No work at all unless debug logging is on (checked per request: the level can change).
    if (!requestLog.isLevelEnabled('debug')) return next();
    const started = performance.now();
    // Method, route and status only: bodies and headers carry keys and tokens.
    const done = () =>
      requestLog.debug({ method: ctx.method, route: ctx._matchedRoute ?? ctx.path, status: ctx.status, ms: Math.round(performance.now() - started) }, 'request');
    return next().finally(done);
  });
  app.use(clientIp(deps.trustProxy));
  app.use(requestDuration(deps.metrics));
  app.use(problemMiddleware(deps.logger, { faults: [deps.databaseOutage.problemFor] }));
  // The web apps (/admin, /portal): a prefix check, then static files with their own family of
  // security headers (web/): before the API's families and the routers, whose 404 and 405
  // handling would answer these paths first.
  if (deps.webDist) app.use(webApps({ distDir: deps.webDist }));
  // Security headers (and the client endpoints' CORS preflights) before anything can refuse the
  // request: every answer, problems included, carries its family's headers.
  app.use(routeFamilies({ clientCorsOrigins: deps.clientCorsOrigins }));
  // The client endpoints first: they take nearly all the traffic, and every router ahead of a
  // request costs it a match.
  const routers = [
    clientRoutes(deps),
    healthRoutes(deps),
    // Before licenseRoutes: /v1/licenses/search is not a license id.
    licenseSearchRoutes(deps),
    licenseRoutes(deps),
    licenseHistoryRoutes(deps),
    keyOperationRoutes(deps),
    productRoutes(deps),
    planRoutes(deps),
    customerRoutes(deps),
    customerNoteRoutes(deps),
    messageRoutes(deps),
    stripeRoutes(deps),
    offlineTokenRoutes(deps),
    signingKeyRoutes(deps),
    metricsRoutes(deps),
    openApiRoutes(),
    sessionRoutes(deps),
    oidcRoutes(deps),
    meRoutes(deps),
    staffRoutes(deps),
    apiTokenRoutes(deps),
    auditRoutes(deps),
    portalRoutes(deps),
    abuseRoutes(deps),
    reportRoutes(deps),
    bulkOperationRoutes(deps),
  ];
  // Who may call what: one table (auth/route-rules.ts), checked before any route runs. A method
  // no route serves matches no route, so it passes unauthenticated to allowedMethods() below.
  app.use(authorize({ em: deps.em, secret: deps.secret, staffSessions: deps.staffAuth.staffSessions, customerSessions: deps.portal.sessions, metricsPublic: deps.metricsPublic }, routers));
  for (const router of routers) app.use(router.routes());
  // Reached only when no route took the request: 405 with Allow, or nothing (404).
  app.use(allowedMethods());
  return app;
}
