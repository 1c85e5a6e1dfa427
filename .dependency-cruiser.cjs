/**
 * The shape of the code base, checked by `npm run deps` (part of `npm test`). Folders, bottom up:
 *   schema/ lib/            entities, migrations; configuration and infrastructure
 *   workflows/              deterministic lifecycle code (activities and domain as types only)
 *   domain/                 license operations and rules; the ports it needs (domain/lifecycle/)
 *   temporal/               the one Temporal client: implements the domain's lifecycle port
 *   outreach/               Customer.io and HubSpot
 *   activities/             thin adapters of domain operations to Temporal
 *   api/ worker/            HTTP; the worker process
 *   bin/ bench/ test/       entry points, load tests, tests
 * This file reads every import, type-only ones included; .dependency-cruiser.runtime.cjs checks
 * the runtime graph (type-only imports are erased) for cycles.
 */
const TOP = 'schema|lib|workflows|domain|temporal|outreach|activities|api|worker|bin|bench|test|sdk';
const below = (...folders) => ({ path: `^(${TOP.split('|').filter((f) => !folders.includes(f)).join('|')})/` });

module.exports = {
  forbidden: [
    {
      name: 'nothing-imports-api',
      comment: 'api/ is the HTTP layer: only entry points, the bench and tests build on it.',
      severity: 'error',
      from: { path: '^(activities|workflows|schema|lib|outreach|domain|temporal|worker)/' },
      to: { path: '^api/' },
    },
    {
      name: 'workflows-use-activities-as-types-only',
      comment: 'Workflows are deterministic: they proxy activities by type (proxyActivities<LicenseActivities>) and read domain results as types, never import their code.',
      severity: 'error',
      from: { path: '^workflows/' },
      to: { path: '^(activities|domain)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'workflows-stay-deterministic',
      comment: 'Workflow code imports workflows/, schema/ (statuses, types), activity types and the workflow SDK: nothing that does I/O.',
      severity: 'error',
      from: { path: '^workflows/' },
      to: below('workflows', 'schema', 'activities', 'domain'),
    },
    {
      name: 'domain-imports-schema-lib-domain',
      comment: 'A domain operation takes its dependencies (ports for the lifecycle, the cache, deliveries); it imports schema/, lib/ and domain/ only.',
      severity: 'error',
      from: { path: '^domain/' },
      to: below('domain', 'schema', 'lib', 'workflows'),
    },
    {
      name: 'domain-uses-workflow-messages-as-types-only',
      comment: 'The domain names the lifecycle messages by their payload types (workflows/ as types); the Temporal client module sends them.',
      severity: 'error',
      from: { path: '^domain/' },
      to: { path: '^workflows/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'domain-knows-no-koa-nor-temporal',
      comment: 'Domain operations run from the API, activities, a CLI alike: no web framework, no Temporal SDK.',
      severity: 'error',
      from: { path: '^domain/' },
      to: { path: '(^|/)node_modules/(koa|@koa|@temporalio|raw-body)/' },
    },
    {
      name: 'one-temporal-client',
      comment: 'Only the Temporal client module (temporal/), the worker and lib/temporal-* connection code talk to Temporal as a client (tests and benchmarks watch it from outside).',
      severity: 'error',
      from: { path: `^(${TOP})/`, pathNot: '^(temporal|worker|test|bench)/|^lib/temporal-[^/]+\\.ts$' },
      to: { path: '(^|/)node_modules/@temporalio/client/' },
    },
    {
      name: 'api-knows-no-temporal-sdk',
      comment: 'The API reaches Temporal through temporal/lifecycle-client.ts, and its faults through domain/lifecycle/.',
      severity: 'error',
      from: { path: '^api/' },
      to: { path: '(^|/)node_modules/@temporalio/' },
    },
    {
      name: 'temporal-client-below-activities-api-worker',
      comment: 'temporal/ implements the domain ports with workflows/ messages; it imports no adapter above it.',
      severity: 'error',
      from: { path: '^temporal/' },
      to: below('temporal', 'domain', 'workflows', 'schema', 'lib'),
    },
    {
      name: 'schema-and-lib-at-the-bottom',
      comment: 'Entities and infrastructure know nothing of the layers above.',
      severity: 'error',
      from: { path: '^(schema|lib)/' },
      to: below('schema', 'lib'),
    },
    {
      name: 'lib-below-schema',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^schema/' },
    },
    {
      name: 'outreach-below-activities',
      comment: 'Provider gateways and payloads: they use the domain (the outbox), never the adapters above.',
      severity: 'error',
      from: { path: '^outreach/' },
      to: below('outreach', 'domain', 'schema', 'lib', 'workflows'),
    },
    {
      name: 'activities-below-api-worker',
      severity: 'error',
      from: { path: '^activities/' },
      to: { path: '^(api|worker|bin|bench|test)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(\\.data|\\.tools)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts'] },
  },
};
