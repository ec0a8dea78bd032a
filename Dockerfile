# syntax=docker/dockerfile:1
# The three service images, one target each:
#   docker build --target actors      -t ghcr.io/todo-actors/todo-actors:<version> .
#   docker build --target gateway     -t ghcr.io/todo-actors/todo-gateway:<version> .
#   docker build --target subscribers -t ghcr.io/todo-actors/todo-subscribers:<version> .
# The build stage compiles the TypeScript; the runtime stages hold production dependencies and the
# compiled code of one service plus common/, run as the unprivileged `node` user (uid 1000) and
# listen on 0.0.0.0. Multi-arch (linux/amd64, linux/arm64): no native modules, nothing per-arch.
# The Dapr sidecar is not in the image; on Kubernetes the Dapr injector adds it to the pod.
# Pinned to the Node.js 24 LTS release the project is tested with (package.json: engines; the
# local stack's stack/bootstrap.js installs the same version, NODE_VERSION, where the machine's is older).
ARG NODE_IMAGE=node:24.22.3-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY tsconfig.json ./
COPY common common
COPY actors actors
COPY gateway gateway
COPY subscribers subscribers
COPY stack stack
COPY loadtest loadtest
RUN npx tsc -b \
 && find dist \( -name '*.test.js*' -o -name '*.test.mjs' -o -name '*.test.d.mts' \) -delete

FROM ${NODE_IMAGE} AS runtime
# NODE_OPTIONS: kafkajs's negative timeouts are not worth a warning per request (stack/bootstrap.js).
ENV NODE_ENV=production \
    NODE_OPTIONS=--disable-warning=TimeoutNegativeWarning \
    BIND_HOST=0.0.0.0 \
    NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error && npm cache clean --force
COPY --from=build /src/dist/common dist/common
# Root owns the code; the process cannot change it.
USER 1000:1000
STOPSIGNAL SIGTERM

FROM runtime AS actors
COPY --from=build /src/dist/actors dist/actors
EXPOSE 8081
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "require('http').get({host:'127.0.0.1',port:process.env.ACTORS_PORT||8081,path:'/healthz',timeout:2000},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"]
CMD ["node", "--enable-source-maps", "dist/actors/main.js"]

FROM runtime AS gateway
COPY --from=build /src/dist/gateway dist/gateway
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "require('http').get({host:'127.0.0.1',port:process.env.GATEWAY_PORT||8080,path:'/healthz',timeout:2000},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"]
CMD ["node", "--enable-source-maps", "dist/gateway/main.js"]

FROM runtime AS subscribers
COPY --from=build /src/dist/subscribers dist/subscribers
EXPOSE 8082
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "require('http').get({host:'127.0.0.1',port:process.env.SUBSCRIBERS_PORT||8082,path:'/healthz',timeout:2000},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"]
CMD ["node", "--enable-source-maps", "dist/subscribers/main.js"]
