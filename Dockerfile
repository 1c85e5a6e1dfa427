# Keywarden image: one image, three processes.
#   node bin/api.ts      HTTP API (default command)
#   node bin/worker.ts   Temporal worker
#   node bin/migrate.ts  applies committed MikroORM migrations, then exits
#
# Node 24 runs the TypeScript sources directly (type stripping), so the server
# has no build step: the image holds the sources plus production dependencies,
# and the web apps built by the `web` stage (dist/).
# The image expects an external Postgres (DATABASE_URL) and Temporal
# (TEMPORAL_ADDRESS); see docker-compose.yml for a complete stack.

ARG NODE_IMAGE=node:24-bookworm-slim

# ---------------------------------------------------------------------------
# deps: production node_modules
# ---------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NODE_ENV=production

COPY package.json package-lock.json ./

# `npm ci`: the lockfile lists every platform's optional packages (native
# bindings), so the image gets exactly the pinned versions.
# --ignore-scripts: no production dependency needs its install script in the
# image (Temporal's core bridge ships prebuilt binaries; the remaining scripts
# only check native bindings or prepare the embedded-Postgres binaries of the
# zero-configuration local mode, which containers do not use: they always get
# a real Postgres through DATABASE_URL).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# The Temporal core bridge ships prebuilt binaries for every platform; keep
# only the one for this image's platform (about 110 MB saved), and fail the
# build if that one is missing.
RUN node -e " \
      const fs = require('node:fs'); \
      const path = require('node:path'); \
      const bridge = path.dirname(require.resolve('@temporalio/core-bridge/package.json')); \
      const keep = require(path.join(bridge, 'common.js')).getPrebuiltTargetName(); \
      const releases = path.join(bridge, 'releases'); \
      for (const dir of fs.readdirSync(releases)) { \
        if (dir !== keep) fs.rmSync(path.join(releases, dir), { recursive: true, force: true }); \
      } \
      if (!fs.existsSync(path.join(releases, keep, 'index.node'))) { \
        console.error('Temporal core bridge has no prebuilt binary for ' + keep); \
        process.exit(1); \
      } \
    "

# ---------------------------------------------------------------------------
# web: the console and the portal, built with Vite (dev dependencies, this
# stage only). The API serves dist/ at /admin and /portal.
# ---------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS web
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --ignore-scripts --no-audit --no-fund
COPY . .
RUN node bin/build-web.ts --force

# ---------------------------------------------------------------------------
# runtime
# ---------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    KEYWARDEN_DATA_DIR=/var/lib/keywarden

WORKDIR /app

# The only writable place for the app; everything under /app stays root-owned
# and read-only for the `node` user the processes run as.
RUN mkdir -p /var/lib/keywarden && chown node:node /var/lib/keywarden

COPY --from=deps /app/node_modules ./node_modules
# Sources (lib/ schema/ workflows/ activities/ api/ worker/ bin/, migrations,
# package.json ...). Tests, tooling and local state are kept out by .dockerignore.
COPY . .
COPY --from=web /app/dist ./dist

USER node

EXPOSE 3000

# Checks the API. The worker and migrate services reuse this image and turn the
# check off (see docker-compose.yml); with `docker run` use --no-healthcheck.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# A larger young generation: fewer scavenges under load, a shorter latency tail (see docs/api-and-codes.md, the hot path).
ENV NODE_OPTIONS=--max-semi-space-size=32
CMD ["node", "bin/api.ts"]
