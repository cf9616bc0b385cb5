# badge serve in a container: docs/deploy.md says how to run it.
#
#   docker build -t badge .
#   docker run -p 8080:8080 -v "$PWD/data:/data" badge serve --key /data/issuer.jwk \
#     --addr 0.0.0.0:8080 --base-url https://badges.example.edu --db sqlite:/data/badges.db \
#     --auth-tokens /data/tokens.jsonl

# Build: the verifier page's WebAssembly first (go generate ./web), which the
# binary embeds, then a static binary (no cgo: the SQLite driver is pure Go).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go generate ./web \
 && CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o /out/badge ./cmd/badge

# Run: nothing but the binary and CA certificates (for --network look-ups),
# as an unprivileged user.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/badge /usr/local/bin/badge
USER nonroot:nonroot
WORKDIR /data
EXPOSE 8080
# The image has no shell or curl: the binary checks itself. Set
# BADGE_HEALTH_URL when the server listens elsewhere than 127.0.0.1:8080 or
# serves HTTPS.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["/usr/local/bin/badge", "serve", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/badge"]
CMD ["serve", "--help"]
