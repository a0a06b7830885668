# syntax=docker/dockerfile:1
# One image for both processes: the api (default command) and the projector
# (command: node dist/apps/projector/src/main.js), see docker-compose.yml.
# Small and non-root: the final stage has production dependencies only (npm ci --omit=dev),
# the compiled JS, the presets and (when it exists) the web console's static build.

# ---- build: install everything, compile TypeScript, build the web console -------------------
FROM node:20-bookworm AS build
WORKDIR /app

# dependencies first, so source changes do not bust the npm cache layer
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

COPY tsconfig.json tsconfig.build.json nest-cli.json .swcrc ./
COPY apps ./apps
COPY libs ./libs
COPY config ./config
# `npm run build` compiles the API and the projector to dist/. The web console's build (added by
# the web-console work, e.g. a vite build writing dist/web) belongs in the same script, so that
# it lands under dist/ here too; until it exists the COPY of dist/web below is skipped (see there).
RUN npm run build && mkdir -p dist/web

# ---- runtime ---------------------------------------------------------------------------------
# Same Debian release as the build stage (native addon better-sqlite3). npm ci --omit=dev runs
# here, in the final stage; the compiler for better-sqlite3 (needed only when its prebuilt
# binary cannot be downloaded) is installed and removed in the same layer, so it is not kept.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/app/data \
    HELPDESK_PRESET_DIR=/app/config/presets \
    npm_config_update_notifier=false
WORKDIR /app

COPY package.json package-lock.json ./
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force \
 && apt-get purge -y --auto-remove python3 make g++ \
 && rm -rf /var/lib/apt/lists/* /root/.npm /root/.cache /tmp/*

# the compiled API, projector and operations commands (backup/restore: node dist/apps/api/src/ops/cli.js)
COPY --from=build /app/dist/apps ./dist/apps
COPY --from=build /app/dist/libs ./dist/libs
# the web console's static build (npm run build output, served by the API at /). It is an empty
# directory until the console's build writes there; adjust this path if the console builds elsewhere.
COPY --from=build /app/dist/web ./dist/web
# policy presets are read at runtime (libs/domain/src/presets/preset.ts)
COPY config ./config
RUN mkdir -p /app/data && chown node:node /app/data

USER node
EXPOSE 3000
# metrics on a separate port when METRICS_ADDRESS=0.0.0.0:9464 (not published by default)
EXPOSE 9464
VOLUME ["/app/data"]
# liveness: the process answers (readiness, /api/health/ready, is for the load balancer)
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# SIGTERM (docker stop) shuts down gracefully: give it SHUTDOWN_TIMEOUT_MS + a margin (compose: stop_grace_period)
STOPSIGNAL SIGTERM
CMD ["node", "dist/apps/api/src/main.js"]
