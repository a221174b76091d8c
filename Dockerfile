# syntax=docker/dockerfile:1
# repol image: policies compiled and tested with the pinned OPA CLI, TypeScript built with Node,
# and a slim non-root runtime. Build from the repository root: `docker build -t repol .`

# --- OPA CLI, pinned to the version scripts/ensure-opa.mjs installs (a test keeps them equal) ---
FROM golang:1.26-bookworm AS opa
ARG OPA_VERSION=1.22.2
RUN CGO_ENABLED=0 GOBIN=/out go install -buildvcs=false github.com/open-policy-agent/opa@v${OPA_VERSION} \
 && /out/opa version

# --- Dependencies; better-sqlite3 may compile from source, so the toolchain lives only here ---
FROM node:22-bookworm-slim AS deps
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# --- Policies: `opa test` must pass before the WASM bundle is built (the build checks it against opa-wasm) ---
FROM deps AS policies
COPY --from=opa /out/opa /usr/local/bin/opa
COPY scripts/ scripts/
COPY policies/ policies/
RUN opa test policies/ -v \
 && node scripts/build-policies.mjs

# --- TypeScript build, then only production dependencies are kept ---
FROM deps AS build
COPY tsconfig.json ./
COPY src/ src/
RUN npx tsc -p tsconfig.json \
 && chmod +x dist/src/cli/main.js \
 && npm prune --omit=dev --no-audit --no-fund

# --- Runtime ---
FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_FORMAT=json \
    AUDIT_DB_PATH=/data/repol.db \
    POLICY_WASM_PATH=/app/build/policies/policy.wasm
WORKDIR /app
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/node_modules/ ./node_modules/
COPY --from=build /src/dist/ ./dist/
COPY --from=policies /src/build/policies/ ./build/policies/
# Custom rules from repositories are compiled at run time with the same pinned OPA; repol finds it on PATH.
COPY --from=opa /out/opa /usr/local/bin/opa
COPY schemas/ ./schemas/
COPY app.yml ./app.yml
# The SQLite audit trail lives on a volume so it survives the container; the directory belongs
# to the unprivileged user. With DATABASE_URL set the volume stays empty.
RUN mkdir -p /data \
 && chown 1000:1000 /data \
 && ln -s /app/dist/src/cli/main.js /usr/local/bin/repol
VOLUME ["/data"]
# uid 1000 is the image's `node` user; numeric so Kubernetes can verify runAsNonRoot.
USER 1000:1000
EXPOSE 3000
# node:*-slim has no curl; Node's fetch does the probe.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# A 4 MiB semi-space (Node 20's default grows it to 16 MiB under load) keeps V8's young generation
# at 8 MiB instead of 48. A 256 MiB old space makes V8 collect soon after its heap outgrows what is
# live (with a limit of gigabytes it lets the heap grow several times over) and keeps the heap under
# the 384 MiB limit of infra/k8s: peak RSS 158-165 MiB instead of 260-283 with 1,000 installations
# warmed (docs/benchmarks.md, "Where repol's memory goes"). `npm start` runs the same command.
CMD ["node", "--max-semi-space-size=4", "--max-old-space-size=256", "dist/src/main.js"]
