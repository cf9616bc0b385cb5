package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/microcred/openbadges/obapi"
	"github.com/microcred/openbadges/status"
	"github.com/microcred/openbadges/status/sqlstore"
	"github.com/microcred/openbadges/vcapi"
)

const serveLong = `Runs a VC-API server (issue, verify, status) that the W3C test suites and
the 1EdTech tools can drive. See docs/conformance.md.

  POST /credentials/issue                 issue with the --key issuer
  POST /issuers/{name}/credentials/issue  issue with an issuer of --config
  POST /credentials/verify                200 verified, 400 not verified; the
                                          result also says whether the
                                          credential is authentic and
                                          conformant
  POST /presentations/verify              200 verified, 400 not verified
  POST /credentials/status                revoke or suspend (with --status-dir
                                          or --db)
  GET  /status/{list}                     the signed status list
  POST /status/{list}/publish             204 (lists are signed afresh on GET)
  GET  /healthz                           alive
  GET  /readyz                            ready: keys sign, the store answers
  GET  /metrics                           Prometheus metrics
  GET  /openapi.json                      the OpenAPI 3.1 document of all this
  GET  /                                  the verifier page: badges are
                                          verified in the visitor's browser
                                          (see "badge page")

The --config file:

  {
    "issuers": [
      {"name": "rdfc", "key": "rdfc.jwk", "suite": "eddsa-rdfc-2022"},
      {"name": "jcs", "key": "jcs.jwk", "suite": "eddsa-jcs-2022",
       "statusPurposes": ["revocation"]}
    ],
    "statusDir": "status", "baseURL": "https://localhost:40443",
    "contexts": {"https://www.w3.org/ns/credentials/examples/v2": "examples-v2.jsonld"},
    "adoptIssuer": false
  }

Issuing, status changes and publishing need a bearer token of the issuer
(--auth-tokens; "badge serve token add" makes one): without a token 401,
with another issuer's 403. Without --auth-tokens those endpoints are
disabled, unless --insecure-no-auth (for the conformance suites). Verifying
is public, limited per client by --rate (429 and Retry-After beyond it).

Relative paths are taken from the file's directory. Flags override it;
--key adds an issuer at /credentials/issue to those of the file.
Requests are logged to standard error. SIGINT or SIGTERM stops the server
gracefully. The --auth-tokens file is read again when it changes (within
seconds) and at once on SIGHUP: a token whose line is deleted is refused
from then on, without a restart; while the file is unusable, every token
is (see docs/deploy.md).

` + verifyInputsDoc

func init() { register("", newServeCmd) }

// serveFlags are the flags of badge serve.
type serveFlags struct {
	keyFile, suite, configFile, addr, baseURL, statusDir, dbSpec string
	maxAge                                                       time.Duration
	lenient, inlineCtx, examples, adopt, unsignedVP              bool
	maxBody                                                      int64
	wasm, tlsCert, tlsKey, certOut                               string
	selfSigned, obAPI                                            bool
	in                                                           *verifyInputs
	authTokens, rate, clientIPHeader, logFormat                  string
	noAuth                                                       bool
}

func newServeCmd(e *env) *cobra.Command {
	var f serveFlags
	cmd := &cobra.Command{
		Use:         "serve (--key FILE | --config FILE) [--addr HOST:PORT] [flags]",
		Short:       "run a VC-API server (issue, verify, status) for conformance suites",
		Long:        serveLong,
		Annotations: map[string]string{annotationExit: "0 after a graceful stop, 2 usage error or unusable configuration"},
		Args:        maxArgs(0, ""),
		RunE: runInt(func(cmd *cobra.Command, _ []string) int {
			return runServe(cmd, e, &f)
		}),
	}
	fs := cmd.Flags()
	fs.StringVar(&f.keyFile, "key", "", "the issuer's key `FILE` (a private JWK from \"badge keygen\", or a Multikey JSON); its DID (did:key) is the issuer id")
	fs.StringVar(&f.suite, "suite", "", "the --key issuer's default `SUITE`: eddsa-rdfc-2022 (default), eddsa-jcs-2022 or Ed25519Signature2020; requests choose with options.type/options.cryptosuite")
	fs.StringVar(&f.configFile, "config", "", "several issuers, from a JSON `FILE` (see above)")
	fs.StringVar(&f.addr, "addr", "127.0.0.1:8080", "the address to listen on, `HOST:PORT`")
	fs.StringVar(&f.baseURL, "base-url", "", "the `URL` clients reach the server at, for status list URLs (default http(s)://ADDR)")
	fs.StringVar(&f.statusDir, "status-dir", "", "keep revocation and suspension lists in `DIR` and add a status entry when options.credentialStatus asks; DIR also records which entries each credential got (credentials.jsonl), for POST /credentials/status")
	fs.StringVar(&f.dbSpec, "db", "", "keep the status lists, a record of every credential issued with a status entry and every status change in the database `DB` instead: sqlite:PATH (created if needed) or postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE (several servers may share one); \"badge records\" lists the records")
	fs.BoolVar(&f.obAPI, "ob-api", false, "host the Open Badges 3.0 API on the --db database: learners' badges and profiles under /ims/ob/v3p0/, OAuth 2.0 (registration, sign-in, consent, tokens) under /oauth/; accounts are added with \"badge serve users add\"; see docs/ob-api.md")
	fs.DurationVar(&f.maxAge, "status-max-age", 0, "let clients cache status lists for `D` (Cache-Control max-age; default 0: they revalidate with the ETag)")
	fs.BoolVar(&f.lenient, "lenient", false, "make lenient verification the default, as \"badge verify --lenient\" (for wallets): Open Badges 3.0 rule failures, nonconformant status lists and failing endorsements become warnings marked relaxed. Without it the default is strict, as the test suites expect. A request chooses for itself with \"options\": {\"lenient\": true} or {\"lenient\": false}")
	f.in = addVerifyInputs(fs)
	fs.BoolVar(&f.inlineCtx, "insecure-allow-inline-contexts", false, "let the verifier accept @context objects (inline contexts), which it refuses by default")
	fs.BoolVar(&f.examples, "examples-context", false, "accept https://www.w3.org/ns/credentials/examples/v2, the context of the VC 2.0 specification's examples, which the vc-data-model-2.0 suite uses (it maps every term to the examples vocabulary: for tests only)")
	fs.BoolVar(&f.unsignedVP, "allow-unsigned-presentations", false, "accept presentations without a proof (their credentials are still verified), as the vc-data-model-2.0 suite sends; never when a challenge or domain is given")
	fs.BoolVar(&f.adopt, "adopt-issuer", false, "sign a credential that names another issuer (such as the did:example:issuer of some suite fixtures) as this issuer instead of refusing it")
	fs.Int64Var(&f.maxBody, "max-body", vcapi.DefaultMaxBodyBytes, "the largest request body, in `BYTES`")
	fs.StringVar(&f.wasm, "wasm", "", "serve the verifier page with verifier.wasm and wasm_exec.js from `DIR` instead of those built into this binary by \"go generate ./web\"")
	fs.StringVar(&f.tlsCert, "tls-cert", "", "serve HTTPS with this certificate `FILE` (PEM) and --tls-key")
	fs.StringVar(&f.tlsKey, "tls-key", "", "the key `FILE` (PEM) of --tls-cert")
	fs.BoolVar(&f.selfSigned, "tls-self-signed", false, "serve HTTPS with a new self-signed certificate for localhost, 127.0.0.1 and ::1 (ECDSA P-256, in memory)")
	fs.StringVar(&f.certOut, "tls-cert-out", "", "write that certificate (PEM, no key) to `FILE`, for clients to trust (NODE_EXTRA_CA_CERTS=FILE)")
	fs.StringVar(&f.authTokens, "auth-tokens", "", "the bearer tokens that may issue, change a status and publish, each for its issuer: a `FILE` of token hashes that \"badge serve token add\" writes, read again when it changes or on SIGHUP. Without it those endpoints are disabled")
	fs.BoolVar(&f.noAuth, "insecure-no-auth", false, "let anyone who reaches the server issue and change statuses, without a token (for the conformance suites, on a private machine only)")
	fs.StringVar(&f.rate, "rate", defaultServeRate, "verify requests allowed per client (by IP address), `N[/s|/m|/h]`, with bursts of twice the rate per second; more get 429 and Retry-After (0: no limit)")
	fs.StringVar(&f.logFormat, "log-format", "text", "the request log on standard error, `F`: text or json, a line per request with its request_id (the client's X-Request-ID, or a new one, echoed back)")
	fs.StringVar(&f.clientIPHeader, "client-ip-header", "", "behind a reverse proxy, tell clients apart by the address the proxy puts in `HEADER` (the last of X-Forwarded-For's), not by the proxy's")
	return cmd
}

// serveTimeouts bound every connection: slow clients cannot hold the server.
const (
	serveReadHeaderTimeout = 10 * time.Second
	serveReadTimeout       = 30 * time.Second
	serveWriteTimeout      = 60 * time.Second
	serveIdleTimeout       = 2 * time.Minute
	serveShutdownTimeout   = 10 * time.Second
)

func runServe(cmd *cobra.Command, e *env, f *serveFlags) int {
	ctx := cmd.Context()
	usageErr := usageErrFunc(e, cmd)
	fail := func(err error) int {
		fmt.Fprintf(e.stderr, "badge serve: %v\n", err)
		return exitUsage
	}
	keyFile, suite, configFile, addr, baseURL, statusDir, dbSpec := &f.keyFile, &f.suite, &f.configFile, &f.addr, &f.baseURL, &f.statusDir, &f.dbSpec
	maxAge, lenient, inlineCtx, examples, adopt, unsignedVP := &f.maxAge, &f.lenient, &f.inlineCtx, &f.examples, &f.adopt, &f.unsignedVP
	maxBody, wasm, tlsCert, tlsKey, selfSigned, certOut := &f.maxBody, &f.wasm, &f.tlsCert, &f.tlsKey, &f.selfSigned, &f.certOut
	network, pins, ctxs, skipStatus, statusDocs := f.in.network, f.in.pins, f.in.ctxs, &f.in.status.skip, f.in.status.docs
	switch {
	case *keyFile == "" && *configFile == "":
		return usageErr("--key or --config is required")
	case (*tlsCert == "") != (*tlsKey == ""):
		return usageErr("--tls-cert and --tls-key go together")
	case *tlsCert != "" && *selfSigned:
		return usageErr("--tls-cert and --tls-self-signed exclude each other")
	case *certOut != "" && !*selfSigned:
		return usageErr("--tls-cert-out needs --tls-self-signed")
	case *maxBody <= 0:
		return usageErr("--max-body must be positive")
	case *maxAge < 0:
		return usageErr("--status-max-age must not be negative")
	case *dbSpec != "" && *statusDir != "":
		return usageErr("--db and --status-dir exclude each other")
	case f.authTokens != "" && f.noAuth:
		return usageErr("--auth-tokens and --insecure-no-auth exclude each other")
	case f.obAPI && *dbSpec == "" && *configFile == "":
		return usageErr("--ob-api needs --db")
	}
	rateLimit, err := parseRate(f.rate, f.clientIPHeader)
	if err != nil {
		return usageErr("%v", err)
	}

	sc := &serveConfig{}
	if *configFile != "" {
		var err error
		if sc, err = readServeConfig(e, *configFile); err != nil {
			return fail(err)
		}
	}
	if *statusDir != "" {
		sc.StatusDir = e.path(*statusDir)
		sc.DB = ""
	}
	if *dbSpec != "" {
		sc.DB = dbPath(e, *dbSpec)
		sc.StatusDir = ""
	}
	if *baseURL != "" {
		sc.BaseURL = *baseURL
	}
	for u, file := range ctxs.files(e) {
		if sc.Contexts == nil {
			sc.Contexts = map[string]string{}
		}
		sc.Contexts[u] = file
	}

	logger, err := serveLogger(e.stderr, f.logFormat)
	if err != nil {
		return usageErr("%v", err)
	}
	metrics := newServeMetrics()
	cfg := vcapi.Config{
		MaxBodyBytes:                *maxBody,
		Logger:                      logger,
		Metrics:                     metrics,
		MetricsHandler:              metrics.Handler(),
		Page:                        servePage(e, *wasm),
		AdoptIssuer:                 *adopt || sc.AdoptIssuer,
		SkipStatus:                  *skipStatus,
		InsecureAllowInlineContexts: *inlineCtx,
		Lenient:                     *lenient,
		StatusMaxAge:                *maxAge,

		InsecureAllowUnsignedPresentations: *unsignedVP,
		InsecureNoAuth:                     f.noAuth,
		RateLimit:                          rateLimit,
	}
	var tokenBytes []byte
	if f.authTokens != "" {
		if cfg.Tokens, tokenBytes, err = readTokenFile(e, f.authTokens); err != nil {
			return fail(err)
		}
	}
	if *keyFile != "" {
		ic, err := loadIssuer(e, serveIssuer{Key: *keyFile, Suite: *suite})
		if err != nil {
			return fail(err)
		}
		cfg.Issuers = append(cfg.Issuers, ic)
	}
	for _, si := range sc.Issuers {
		if si.Name == "" {
			return fail(fmt.Errorf("%s: every issuer needs a name", *configFile))
		}
		ic, err := loadIssuer(e, si)
		if err != nil {
			return fail(fmt.Errorf("%s: issuer %q: %w", *configFile, si.Name, err))
		}
		cfg.Issuers = append(cfg.Issuers, ic)
	}
	if len(pins) > 0 || network.allowKeys() {
		// Otherwise vcapi's default, the same did:key and did:jwk
		// resolver, which its verifier caches.
		resolver, err := cliResolver(e, pins, network.allowKeys())
		if err != nil {
			return fail(err)
		}
		cfg.Resolver = resolver
	}
	if cfg.Loader, err = contextLoader(sc.Contexts, *examples); err != nil {
		return fail(err)
	}
	if cfg.StatusFetcher, err = statusFetcher(e, statusDocs, network.allowStatus(), status.HTTPConfig{}); err != nil {
		return fail(err)
	}

	tlsConfig, certPEM, err := serveTLS(e, *tlsCert, *tlsKey, *selfSigned)
	if err != nil {
		return fail(err)
	}
	if *certOut != "" {
		if err := os.WriteFile(e.path(*certOut), certPEM, 0o644); err != nil {
			return fail(err)
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fail(err)
	}
	defer ln.Close()
	scheme := "http"
	if tlsConfig != nil {
		scheme = "https"
	}
	origin := scheme + "://" + displayAddr(ln.Addr())
	if sc.StatusDir != "" {
		store, err := status.NewFileStore(sc.StatusDir)
		if err != nil {
			return fail(err)
		}
		cfg.StatusStore = store
		index, err := openStatusIndex(filepath.Join(sc.StatusDir, statusIndexFile))
		if err != nil {
			return fail(err)
		}
		defer index.Close()
		cfg.StatusIndex = index
		if sc.BaseURL == "" {
			sc.BaseURL = origin
		}
		cfg.BaseURL = sc.BaseURL
	}
	var dbIndex *dbStatusIndex
	var db *sql.DB
	var dialect sqlstore.Dialect
	if sc.DB != "" {
		store, sqlDB, closeDB, err := openDBConn(ctx, sc.DB)
		if err != nil {
			return fail(err)
		}
		defer closeDB()
		db, dialect = sqlDB, store.Dialect()
		dbIndex = &dbStatusIndex{store: store}
		cfg.StatusStore, cfg.StatusIndex = store, dbIndex
		if sc.BaseURL == "" {
			sc.BaseURL = origin
		}
		cfg.BaseURL = sc.BaseURL
	}
	srv, err := vcapi.New(ctx, cfg)
	if err != nil {
		return fail(err)
	}
	if dbIndex != nil {
		dbIndex.setNames(srv.IssuerIDs())
	}

	var handler http.Handler = srv
	if f.obAPI {
		if db == nil {
			return usageErr("--ob-api needs --db")
		}
		base := sc.BaseURL
		if base == "" {
			base = origin
		}
		ob, err := newOBAPI(ctx, db, dialect, base, cfg, cfg.Logger)
		if err != nil {
			return fail(fmt.Errorf("--ob-api: %w", err))
		}
		handler = withOBAPI(ob, handler)
		fmt.Fprintf(e.stderr, "badge serve: Open Badges API at %s%s/discovery\n", base, obapi.APIPath)
	}

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if cfg.Tokens != nil {
		go watchTokenFile(ctx, e.path(f.authTokens), cfg.Tokens, cfg.Logger, tokenBytes)
	}
	hs := &http.Server{
		Handler:           handler,
		TLSConfig:         tlsConfig,
		ReadHeaderTimeout: serveReadHeaderTimeout,
		ReadTimeout:       serveReadTimeout,
		WriteTimeout:      serveWriteTimeout,
		IdleTimeout:       serveIdleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelWarn),
	}
	printEndpoints(e.stderr, origin, srv)
	if *lenient {
		fmt.Fprintf(e.stderr, "badge serve: verification is lenient unless a request says \"lenient\": false\n")
	}
	errc := make(chan error, 1)
	go func() {
		if tlsConfig != nil {
			errc <- hs.ServeTLS(ln, "", "")
		} else {
			errc <- hs.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return fail(err)
	case <-ctx.Done():
	}
	fmt.Fprintf(e.stderr, "badge serve: shutting down\n")
	sctx, cancel := context.WithTimeout(context.Background(), serveShutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		fmt.Fprintf(e.stderr, "badge serve: shutdown: %v\n", err)
		hs.Close()
	}
	return exitOK
}

// displayAddr is the listener's address as clients write it: "localhost"
// for an unspecified address (0.0.0.0, ::).
func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// printEndpoints tells the operator where everything is: what goes into the
// test suites' configuration.
func printEndpoints(w io.Writer, origin string, srv *vcapi.Server) {
	fmt.Fprintf(w, "badge serve: listening on %s\n", origin)
	ids := srv.IssuerIDs()
	names := make([]string, 0, len(ids))
	for n := range ids {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		path := "/credentials/issue"
		if n != "" {
			path = "/issuers/" + n + path
		}
		fmt.Fprintf(w, "badge serve: issuer %s at %s%s\n", ids[n], origin, path)
	}
	fmt.Fprintf(w, "badge serve: verifier at %s/credentials/verify\n", origin)
	lists := srv.StatusListURLs()
	names = names[:0]
	for n := range lists {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "badge serve: status list %s\n", lists[n])
	}
}
