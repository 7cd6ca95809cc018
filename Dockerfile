# syntax=docker/dockerfile:1
# Tessera's compositor image: docs/deploy.md. The Node version is the one package-lock.json pins
# for development and the tests (the `node` package), so the image runs what CI tested.
ARG NODE_VERSION=24.21.0

# Production dependencies only. --ignore-scripts: the `node` package's install script would fetch a
# second Node binary (the base image has one), and no runtime dependency needs an install script.
FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# The sources, the operator dashboard and the reference client, bundled by esbuild (what `npm start`
# does in its prestart).
FROM deps AS build
COPY . .
RUN node dashboard/build.ts && node app/build.ts

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    GRPC_PORT=8081 \
    LAYOUT_DATA_DIR=/var/lib/tessera/layouts
WORKDIR /app
# The code stays root-owned and read-only to the server; only the file layout store's directory
# (used without Redis, one replica) is the server's to write.
RUN mkdir -p /var/lib/tessera && chown node:node /var/lib/tessera
# The sources (.dockerignore leaves out tests, benchmarks, docs and tooling), the built dashboard, the
# reference client and the production dependencies: every folder the server imports, with none to list here.
COPY --from=build /app ./
USER node
EXPOSE 8080 8081
# The slim image has no curl: Node's fetch asks /healthz.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/healthz', { signal: AbortSignal.timeout(2000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself, not npm: signals reach the server, which drains on SIGTERM.
CMD ["node", "compositor/main.ts"]
