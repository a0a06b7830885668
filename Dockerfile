# syntax=docker/dockerfile:1
# One image for both processes: the api (default command) and the projector
# (command: node dist/apps/projector/src/main.js), see docker-compose.yml.

# ---- build: install everything, compile, then drop the dev dependencies -------------------
FROM node:20-bookworm AS build
WORKDIR /app

# dependencies first, so source changes do not bust the npm cache layer
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

COPY tsconfig.json tsconfig.build.json nest-cli.json .swcrc ./
COPY apps ./apps
COPY libs ./libs
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: same Debian release as the build stage, so native addons (better-sqlite3) match
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/app/data \
    HELPDESK_PRESET_DIR=/app/config/presets
WORKDIR /app

COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# policy presets are read at runtime (libs/domain/src/presets/preset.ts)
COPY --chown=node:node config ./config
RUN mkdir -p /app/data && chown node:node /app/data

USER node
EXPOSE 3000
CMD ["node", "dist/apps/api/src/main.js"]
