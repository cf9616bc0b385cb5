package vcapi

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/jsonld"
	"github.com/microcred/openbadges/presentation"
	"github.com/microcred/openbadges/status"
	"github.com/microcred/openbadges/verifier"
)

// DefaultMaxBodyBytes bounds a request body when Config.MaxBodyBytes is
// zero: 2 MiB, far more than any credential a test suite sends.
const DefaultMaxBodyBytes = 2 << 20

// ErrConfig is wrapped by every error New returns for an invalid Config.
var ErrConfig = errors.New("vcapi: invalid configuration")

// Config configures a Server. The zero value of every optional field is
// safe: no status lists, offline key resolution and contexts, the three
// Ed25519 suites accepted.
type Config struct {
	// Issuers are the issuers served. One with an empty Name is served at
	// /credentials/issue; the others at /issuers/{Name}/credentials/issue.
	// None means the server only verifies.
	Issuers []IssuerConfig
	// Suites lists the Data Integrity suites the verifier accepts. Nil
	// means eddsa-rdfc-2022, eddsa-jcs-2022 and Ed25519Signature2020.
	Suites []dataintegrity.SuiteName
	// Resolver finds verification methods. Nil means did.DefaultResolver()
	// (did:key and did:jwk, offline).
	Resolver did.Resolver
	// Loader serves JSON-LD contexts to the issuers and the verifier. Nil
	// means jsonld.Embedded().
	Loader jsonld.DocumentLoader
	// StatusStore keeps the status lists of the issuers. Nil means no
	// status lists: requests for a credentialStatus are refused.
	StatusStore status.Store
	// BaseURL is the URL the server is reached at, such as
	// "https://localhost:40443"; status list URLs are
	// BaseURL/status/{list}. Required with StatusStore.
	BaseURL string
	// StatusFetcher fetches status lists that are not this server's (the
	// test suites' fixtures). Nil means only this server's lists can be
	// checked; a credential whose status is elsewhere does not verify.
	// Without StatusStore and StatusFetcher, no status can be learnt, and a
	// credential with a credentialStatus does not verify unless SkipStatus.
	StatusFetcher status.Fetcher
	// StatusIndex remembers which status entries each issued credential
	// got, for POST /credentials/status. Nil means a MemoryStatusIndex:
	// credentials issued before a restart can then no longer be revoked
	// through the API.
	StatusIndex StatusIndex
	// SkipStatus makes the verifier skip credentialStatus (reported as
	// skipped, with a warning) instead of failing a credential whose status
	// it cannot learn: for test fixtures whose status lists do not exist.
	// It does not apply when StatusStore or StatusFetcher is set.
	SkipStatus bool
	// InsecureAllowInlineContexts lets the verifier accept @context objects
	// (see verifier.Config.InsecureAllowInlineContexts): some test suites
	// send credentials with inline contexts.
	InsecureAllowInlineContexts bool
	// MaxBodyBytes bounds a request body; zero means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives a line per request. Nil means no request log.
	Logger *slog.Logger
	// Metrics receives the server's measurements. Nil means none.
	Metrics Metrics
	// MetricsHandler, when set, is served at GET /metrics (the Prometheus
	// exposition of what Metrics counted, in badge serve).
	MetricsHandler http.Handler
	// Page, when set, serves the verifier page: GET / and the files beside
	// it (index.html, app.js, style.css, wasm_exec.js, verifier.wasm), as
	// web.Handler does.
	Page http.Handler
	// Ready, when set, is asked by GET /readyz in addition to the server's
	// own checks (issuer keys, status store): a database ping, say. An
	// error makes the server not ready (503).
	Ready func(context.Context) error
	// Tokens are the bearer tokens that may call the endpoints that change
	// state: issue, status updates and publish, each for the issuer a
	// token acts for. A request without a token gets 401, with a token of
	// another issuer 403. Nil means those endpoints are disabled (403),
	// unless InsecureNoAuth.
	Tokens *Tokens
	// InsecureNoAuth lets anyone who can reach the server issue
	// credentials and change their status, as the conformance test suites
	// need: for tests on a private machine only.
	InsecureNoAuth bool
	// RateLimit bounds the verify requests of each client; the zero value
	// sets no limit.
	RateLimit RateLimit
	// InsecureAllowUnsignedPresentations makes POST /presentations/verify
	// accept a presentation without a proof (its credentials are still
	// verified), as the VC Data Model 2.0 suite sends. Anyone holding copies
	// of credentials can make such a presentation; it is refused anyway when
	// the request gives a challenge or a domain.
	InsecureAllowUnsignedPresentations bool
	// AdoptIssuer makes an issuer sign a credential that names another
	// issuer (such as the did:example:issuer of some test suite fixtures)
	// as itself, replacing the issuer id, instead of refusing it.
	AdoptIssuer bool
	// StatusMaxAge is the max-age of the Cache-Control header served with
	// status lists (GET /status/{list}), set by the operator: how long
	// clients and caches may keep a list without asking again. Zero means
	// "no-cache": they may keep it but must revalidate (with the ETag,
	// answered 304 when the list has not changed).
	StatusMaxAge time.Duration
	// Lenient makes lenient verification (verifier.Config.Lenient) the
	// default of POST /credentials/verify and /presentations/verify, for
	// wallets and displayers. A request overrides the default either way
	// with "options": {"lenient": true} or {"lenient": false}. The zero
	// value is strict, which the conformance test suites expect.
	Lenient bool
}

// IssuerConfig is one issuer: a key, the identifiers it signs under and
// its default suite.
type IssuerConfig struct {
	// Name is the path segment of the issuer, [A-Za-z0-9._-]; empty for the
	// issuer at /credentials/issue.
	Name string
	// Signer signs. Required. Only Ed25519 keys can sign with the Data
	// Integrity suites served.
	Signer crypto.Signer
	// VerificationMethod is the URL of the key, written to each proof.
	// Required.
	VerificationMethod string
	// Controller is the issuer id (a DID); empty means VerificationMethod
	// without its fragment.
	Controller string
	// Suite is the default suite, used when a request names none; empty
	// means eddsa-rdfc-2022.
	Suite dataintegrity.SuiteName
	// StatusPurposes are the purposes ("revocation", "suspension") of the
	// status entries every credential issued gets, in addition to those a
	// request asks for. Requires Config.StatusStore.
	StatusPurposes []string
}

// Server is an http.Handler serving the VC-API endpoints. It is safe for
// concurrent use.
type Server struct {
	mux *http.ServeMux
	// patterns are the routes registered, for the OpenAPI test.
	patterns []string
	issuers  map[string]*issuerState // by Name
	// verifiers and presentations are strict ([0]) and lenient ([1]),
	// built from the same configuration and sharing the status checker.
	verifiers     [2]*verifier.Verifier
	presentations [2]*presentation.Verifier
	lenient       bool // the default mode: Config.Lenient
	maxBody       int64
	log           *slog.Logger // Config.Logger, adding the request id of the context
	reqLog        *slog.Logger // Config.Logger as it is, for the line per request
	metrics       Metrics
	baseURL       string
	tokens        *Tokens
	metricsPage   http.Handler
	page          http.Handler
	ready         func(context.Context) error
	noAuth        bool
	limit         *limiter

	adoptIssuer bool

	// lists maps a status list's path name (the {list} of /status/{list})
	// to the issuer that owns it.
	lists map[string]*statusList

	index StatusIndex

	store   status.Store
	maxAge  time.Duration
	pubs    publications
	rotated sync.Map // list path name → *statusList, for the lists a series opened
}

// issuerState is a configured issuer: one issuer.Issuer per suite its key
// can sign with.
type issuerState struct {
	name    string
	cfg     IssuerConfig
	suites  map[dataintegrity.SuiteName]*issuer.Issuer // by suite name
	lists   *status.Lists                              // nil without status
	byPurp  map[string]*statusList                     // the first status list of each purpose
	series  map[string]*status.Series                  // the lists of each purpose, opened as they fill
	control string
}

// statusList is one status list of an issuer.
type statusList struct {
	name    string // path segment
	id      string // URL
	purpose string
	owner   *issuerState
}

// allocation is a status entry given to an issued credential.
type allocation struct {
	list  *statusList
	index uint64
}

var nameRE = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// Purposes a server keeps status lists for.
var purposes = []string{status.PurposeRevocation, status.PurposeSuspension}

// DefaultSuites are the suites the verifier accepts when Config.Suites is nil.
var DefaultSuites = []dataintegrity.SuiteName{
	dataintegrity.SuiteEdDSARDFC2022,
	dataintegrity.SuiteEdDSAJCS2022,
	dataintegrity.SuiteEd25519Signature2020,
}

// New checks cfg and returns a Server. With a StatusStore it creates (or
// reopens) each issuer's revocation and suspension lists, which is why it
// takes a context.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	customLoader := cfg.Loader != nil
	// The verifiers are given the caller's resolver as it is: left nil,
	// they use the default one and cache its did:key answers, which they
	// cannot do for a resolver of the caller's.
	verifyResolver := cfg.Resolver
	if cfg.Loader == nil {
		cfg.Loader = jsonld.Embedded()
	}
	if cfg.Resolver == nil {
		cfg.Resolver = did.DefaultResolver()
	}
	if cfg.Suites == nil {
		cfg.Suites = DefaultSuites
	}
	if cfg.MaxBodyBytes < 0 {
		return nil, fmt.Errorf("%w: MaxBodyBytes is negative", ErrConfig)
	}
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	s := &Server{
		mux:     http.NewServeMux(),
		issuers: map[string]*issuerState{},
		maxBody: cfg.MaxBodyBytes,
		log:     withRequestID(cfg.Logger),
		reqLog:  cfg.Logger,
		metrics: cfg.Metrics,
		tokens:  cfg.Tokens,
		ready:   cfg.Ready,
		page:    cfg.Page,

		metricsPage: cfg.MetricsHandler,
		noAuth:      cfg.InsecureNoAuth,
		lists:       map[string]*statusList{},
		index:       cfg.StatusIndex,

		adoptIssuer: cfg.AdoptIssuer,
		lenient:     cfg.Lenient,
		store:       cfg.StatusStore,
		maxAge:      cfg.StatusMaxAge,
	}
	if cfg.StatusMaxAge < 0 {
		return nil, fmt.Errorf("%w: StatusMaxAge is negative", ErrConfig)
	}
	var err error
	if s.limit, err = newLimiter(cfg.RateLimit, time.Now); err != nil {
		return nil, err
	}
	if s.index == nil {
		s.index = &MemoryStatusIndex{}
	}
	if cfg.StatusStore != nil {
		u, err := url.Parse(cfg.BaseURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return nil, fmt.Errorf("%w: BaseURL %q is not an http(s) URL, which status lists need", ErrConfig, cfg.BaseURL)
		}
		s.baseURL = strings.TrimSuffix(cfg.BaseURL, "/")
	}
	for i, ic := range cfg.Issuers {
		is, err := s.newIssuer(ctx, cfg, ic)
		if err != nil {
			return nil, fmt.Errorf("issuer %d (%q): %w", i, ic.Name, err)
		}
		if _, dup := s.issuers[ic.Name]; dup {
			return nil, fmt.Errorf("%w: two issuers named %q", ErrConfig, ic.Name)
		}
		s.issuers[ic.Name] = is
	}

	verifyCfg := verifier.Config{
		Suites:                      cfg.Suites,
		Resolver:                    verifyResolver,
		Loader:                      cfg.Loader,
		Now:                         cfg.Now,
		InsecureAllowInlineContexts: cfg.InsecureAllowInlineContexts,
	}
	if cfg.StatusStore != nil || cfg.StatusFetcher != nil {
		// Both credential verifiers share the checker (and its memo of
		// verified lists).
		checker, err := verifier.NewStatusChecker(verifyCfg, status.FetcherFunc(func(ctx context.Context, u string) ([]byte, error) {
			return s.fetchList(ctx, u, cfg.StatusFetcher)
		}))
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrConfig, err)
		}
		verifyCfg.Status = checker
	} else {
		verifyCfg.SkipStatus = cfg.SkipStatus
	}
	pcfg := presentation.VerifierConfig{
		Resolver: cfg.Resolver, Now: cfg.Now,
		InsecureAllowUnsigned: cfg.InsecureAllowUnsignedPresentations,
	}
	for _, suite := range cfg.Suites {
		// A presentation is signed by its holder with a Data Integrity
		// proof; the legacy Ed25519Signature2020 is for credentials only.
		if suite != dataintegrity.SuiteEd25519Signature2020 {
			pcfg.Suites = append(pcfg.Suites, suite)
		}
	}
	if customLoader {
		proc, err := jsonld.NewProcessor(jsonld.Config{Loader: cfg.Loader})
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrConfig, err)
		}
		pcfg.Processor = proc
	}
	// Two verifiers, strict and lenient, so that each request can choose;
	// they differ in that one setting only.
	for i, lenient := range []bool{false, true} {
		verifyCfg.Lenient = lenient
		v, err := verifier.New(verifyCfg)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrConfig, err)
		}
		s.verifiers[i] = v
		pcfg.Credentials = v
		if s.presentations[i], err = presentation.NewVerifier(pcfg); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrConfig, err)
		}
	}
	s.routes()
	return s, nil
}

func (s *Server) newIssuer(ctx context.Context, cfg Config, ic IssuerConfig) (*issuerState, error) {
	if ic.Name != "" && !nameRE.MatchString(ic.Name) {
		return nil, fmt.Errorf("%w: name must be 1 to 64 of A-Z a-z 0-9 . _ -", ErrConfig)
	}
	if ic.Signer == nil || ic.VerificationMethod == "" {
		return nil, fmt.Errorf("%w: Signer and VerificationMethod are required", ErrConfig)
	}
	if ic.Suite == "" {
		ic.Suite = dataintegrity.SuiteEdDSARDFC2022
	}
	is := &issuerState{name: ic.Name, cfg: ic, suites: map[dataintegrity.SuiteName]*issuer.Issuer{}, byPurp: map[string]*statusList{}, series: map[string]*status.Series{}}
	_, ed := ic.Signer.Public().(ed25519.PublicKey)
	for _, suite := range DefaultSuites {
		if !ed {
			break // the Ed25519 suites need an Ed25519 key
		}
		iss, err := issuer.New(issuer.Config{
			Signer: ic.Signer, VerificationMethod: ic.VerificationMethod, Controller: ic.Controller,
			Suite: suite, Now: cfg.Now, Loader: cfg.Loader,
		})
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrConfig, err)
		}
		is.suites[suite] = iss
		is.control = iss.Controller()
	}
	if _, ok := is.suites[ic.Suite]; !ok {
		return nil, fmt.Errorf("%w: suite %q is not available for this key (Ed25519 keys sign eddsa-rdfc-2022, eddsa-jcs-2022 and Ed25519Signature2020)", ErrConfig, ic.Suite)
	}
	for _, p := range ic.StatusPurposes {
		if p != status.PurposeRevocation && p != status.PurposeSuspension {
			return nil, fmt.Errorf("%w: status purpose %q (want revocation or suspension)", ErrConfig, p)
		}
		if cfg.StatusStore == nil {
			return nil, fmt.Errorf("%w: StatusPurposes need a StatusStore", ErrConfig)
		}
	}
	if cfg.StatusStore == nil {
		return is, nil
	}
	lists, err := status.NewLists(status.ListsConfig{
		Store: cfg.StatusStore, Signer: is.suites[dataintegrity.SuiteEdDSARDFC2022], Now: cfg.Now,
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	is.lists = lists
	prefix := ic.Name
	if prefix == "" {
		prefix = "default"
	}
	for _, p := range purposes {
		sl := &statusList{name: prefix + "-" + p, purpose: p, owner: is}
		sl.id = s.baseURL + "/status/" + sl.name
		ser, err := lists.NewSeries(ctx, status.ListConfig{ID: sl.id, Issuer: is.control, Purpose: p})
		if errors.Is(err, status.ErrConfig) {
			return nil, fmt.Errorf("%w: %w: use another store", ErrConfig, err)
		} else if err != nil {
			return nil, err
		}
		is.series[p] = ser
		is.byPurp[p] = sl
		s.lists[sl.name] = sl
	}
	return is, nil
}

// fetchList serves this server's own status lists to its verifier without a
// network round trip, and any other from ext.
func (s *Server) fetchList(ctx context.Context, u string, ext status.Fetcher) ([]byte, error) {
	if s.baseURL != "" {
		if name, ok := strings.CutPrefix(u, s.baseURL+"/status/"); ok {
			if sl, ok := s.list(ctx, name); ok {
				pub, err := s.publish(ctx, sl)
				if err != nil {
					return nil, err
				}
				return pub.signed, nil
			}
		}
	}
	if ext == nil {
		return nil, fmt.Errorf("%w: %s is not a status list of this server and no status fetcher is configured", status.ErrNotFound, u)
	}
	return ext.Fetch(ctx, u)
}

func (s *Server) routes() {
	pathName := func(r *http.Request) string { return r.PathValue("name") }
	defaultIssuer := func(*http.Request) string { return "" }
	s.handleFunc("GET /healthz", s.healthz)
	s.handleFunc("GET /readyz", s.readyz)
	s.handleFunc("GET /openapi.json", s.openAPI)
	if s.metricsPage != nil {
		s.handle("GET /metrics", s.metricsPage)
	}
	if s.page != nil {
		for _, p := range pagePaths {
			s.handle("GET "+p, s.page)
		}
	}
	s.handleFunc("POST /credentials/verify", s.limited(s.verify))
	s.handleFunc("POST /presentations/verify", s.limited(s.verifyPresentation))
	s.handleFunc("GET /status/{list}", s.getStatusList)
	s.handleFunc("POST /status/{list}/publish", s.publishStatusList)
	if _, ok := s.issuers[""]; ok {
		s.handleFunc("POST /credentials/issue", s.forIssuer(defaultIssuer, func(w http.ResponseWriter, r *http.Request) { s.issue(w, r, "") }))
		s.handleFunc("POST /credentials/status", s.forIssuer(defaultIssuer, func(w http.ResponseWriter, r *http.Request) { s.updateStatus(w, r, "") }))
	}
	s.handleFunc("POST /issuers/{name}/credentials/issue", s.forIssuer(pathName, func(w http.ResponseWriter, r *http.Request) {
		s.issue(w, r, r.PathValue("name"))
	}))
	s.handleFunc("POST /issuers/{name}/credentials/status", s.forIssuer(pathName, func(w http.ResponseWriter, r *http.Request) {
		s.updateStatus(w, r, r.PathValue("name"))
	}))
	s.handleFunc("POST /issuers/{name}/credentials/verify", s.limited(s.verify))
	s.mux.HandleFunc("/", s.notFound)
}

// handle registers a route, and remembers it for Patterns.
func (s *Server) handle(pattern string, h http.Handler) {
	s.patterns = append(s.patterns, pattern)
	s.mux.Handle(pattern, h)
}

func (s *Server) handleFunc(pattern string, h http.HandlerFunc) { s.handle(pattern, h) }

// notFound answers what no route matches: 405 with Allow when the path
// exists for another method, 404 otherwise; both as problem details.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost} {
		if m == r.Method {
			continue
		}
		r2 := r.Clone(r.Context())
		r2.Method = m
		if _, pattern := s.mux.Handler(r2); pattern != "/" && pattern != "" {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeProblem(w, &problem{Status: http.StatusMethodNotAllowed,
			Detail: fmt.Sprintf("%s %s: use %s", r.Method, r.URL.Path, strings.Join(allow, " or "))})
		return
	}
	writeProblem(w, &problem{Status: http.StatusNotFound, Detail: fmt.Sprintf("no endpoint %s %s", r.Method, r.URL.Path)})
}

// StatusListURLs returns the URLs of the status lists the server publishes,
// by list name, for logs and documentation.
func (s *Server) StatusListURLs() map[string]string {
	m := make(map[string]string, len(s.lists))
	for n, sl := range s.lists {
		m[n] = sl.id
	}
	return m
}

// IssuerIDs returns the issuer id (DID) of each issuer, by name.
func (s *Server) IssuerIDs() map[string]string {
	m := make(map[string]string, len(s.issuers))
	for n, is := range s.issuers {
		m[n] = is.control
	}
	return m
}
