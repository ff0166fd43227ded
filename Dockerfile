# syntax=docker/dockerfile:1
# The bot as an image: compiled in one stage, run from the compiled JavaScript with production dependencies only,
# as the unprivileged `node` user. `node` itself is PID 1 (exec-form CMD, no npm, no shell): the bot listens for
# SIGTERM (`docker stop`) and SIGINT (Ctrl-C) from its first moment and stops cleanly; it starts no child
# processes, so there are no zombies for an init to reap (`docker run --init` works too). The SQLite database
# lives on the /data volume. Build: docker build -t mailsettings .   Run: see the README.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No scripts: `prepare` would build before the sources are here, and no dependency needs its own.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY adapters ./adapters
RUN npm run build

FROM ${NODE_IMAGE} AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE}
# A font for the report chart's labels (the slim image has none).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    DATABASE_URL=file:/data/mailsettings.db
WORKDIR /app
# Owned by root: the bot can read its code and dependencies but not change them.
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# package.json names the package; dist/ carries its own "type" markers (the bin CommonJS, the rest ES modules).
COPY package.json ./
RUN mkdir /data && chown node:node /data
VOLUME /data
USER node
# Slack in HTTP mode (PORT); Socket Mode and Discord need no inbound port.
EXPOSE 3000
CMD ["node", "dist/adapters/main.js"]
