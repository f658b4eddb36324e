# syntax=docker/dockerfile:1
# PortalOps as a container: the compiled JavaScript (dist/) on Node 20, production dependencies
# only, running as the unprivileged `node` user. Build: docker build -t portalops .
# Run several replicas on one PostgreSQL: see compose.yaml and README "Run in production".

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Scripts off: `prepare` would build before the sources are here.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json ./
COPY bin ./bin
COPY scripts ./scripts
COPY src ./src
COPY cards ./cards
COPY manifest ./manifest
RUN npm run build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORTALOPS_DATA_DIR=/var/lib/portalops \
    PORTALOPS_SIMULATOR=off \
    PORTALOPS_PLAYGROUND=off \
    TEAMS_HOST=0.0.0.0 \
    TEAMS_PORT=3978
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY cards ./cards
COPY manifest ./manifest
COPY config ./config
COPY docker/portalops.mjs ./docker/portalops.mjs
RUN mkdir -p /var/lib/portalops/snapshots /var/lib/portalops/credentials \
 && chown -R node:node /var/lib/portalops && chmod 0700 /var/lib/portalops
USER node
EXPOSE 3978
# Liveness from inside the container (the image has no curl): the bot's /healthz.
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.TEAMS_PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM drains (stop claiming, release leases, close) within PORTALOPS_DRAIN_TIMEOUT_MS.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "--enable-source-maps", "/app/docker/portalops.mjs"]
CMD ["start"]
