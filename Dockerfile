# The project's two Node images from one file: `--target indexer` (a one-shot job) and `--target search-api`.
#
#   docker build --target search-api -t news-search/search-api .
#   docker build --target indexer    -t news-search/indexer .
#
# NODE_IMAGE picks the base (official node image by default; scripts/docker/build-images.sh passes the local
# stand-in on machines without registry access). Dependencies are installed inside the build with `npm ci` from the
# lockfile; when docker/npm-cache/ holds a filled npm cache (build-images.sh fills it on the host) and NPM_OFFLINE=true,
# that install never touches the network, which is how these images build where containers cannot reach a registry.
# Written for the classic builder as well as BuildKit (Debian's docker.io and docker-compose 1.29 use the classic one).

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: all dependencies, compile TypeScript, then drop dev dependencies --------------------------------------
FROM ${NODE_IMAGE} AS build
# The classic builder keeps this stage as an untagged image (it is the layer cache of the next build);
# scripts/docker/build-images.sh keeps only the newest one.
LABEL news-search.image=build-stage
WORKDIR /src
ARG NPM_OFFLINE=false
ENV npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

COPY package.json package-lock.json ./
COPY docker/npm-cache/ /tmp/npm-cache/
# --ignore-scripts: nothing the app needs runs an install script (native addons ship prebuilt per platform), and not
# running third-party scripts keeps the build reproducible and offline-safe (node-gyp would fetch headers).
RUN npm ci --ignore-scripts --no-audit --cache /tmp/npm-cache --prefer-offline --offline=${NPM_OFFLINE}

COPY tsconfig.json tsconfig.build.json ./
COPY services ./services
COPY indexer ./indexer
COPY search-api ./search-api
COPY scripts ./scripts
COPY data ./data
RUN npm run build \
 && npm run build:web \
 && npm prune --omit=dev --ignore-scripts --no-audit --offline \
 # The embedded engine's binary package is a runtime dependency of `npm start`, but a container always talks to an
 # engine over MEILI_URL: 130 MB the images never use.
 && rm -rf node_modules/@gaubee \
 && rm -rf /tmp/npm-cache

# ---- runtime: what both images share -----------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
LABEL news-search.image=app
ENV NODE_ENV=production
WORKDIR /app
# Code and dependencies stay owned by root and read-only to the app user: a compromised process cannot rewrite them.
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY --from=build /src/data ./data
# Mount point of the key volume docker-compose shares between its engine-keys job and the API (docker-compose.yml).
# A fresh volume takes its mount point's owner and mode: writable by the job's app user, unreadable to anyone else.
RUN mkdir -p /run/news-search && chown node:node /run/news-search && chmod 700 /run/news-search
USER node

# ---- indexer: one-shot job; indexes the files given as arguments (default: the bundled sample corpus) -------------
FROM runtime AS indexer
ENTRYPOINT ["node", "--max-old-space-size=256", "dist/indexer/cli.js"]
CMD ["data/sample/sco-summit-2025.txt"]

# ---- search-api: the HTTP API and web page -------------------------------------------------------------------------
FROM runtime AS search-api
# Two glibc malloc arenas keep RSS under load from swinging with fragmentation; heap caps on the command line (search-api/heap.ts).
ENV HOST=0.0.0.0 PORT=3000 MALLOC_ARENA_MAX=2
EXPOSE 3000
# node itself probes /readyz (ready = the engine answers a search on the live index): the official slim image has neither curl nor wget.
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The same entry point as `npm start`: with MEILI_URL set it starts no engine, with INDEX_ON_START=false it only serves.
CMD ["node", "--max-semi-space-size=8", "--max-old-space-size=256", "dist/search-api/main.js"]
