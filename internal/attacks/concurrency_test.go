package attacks

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/internal/testref"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/jsonld"
	"github.com/microcred/openbadges/verifier"
)

// Catalogue #83 (and #44): one verifier, one issuer, the loaders and the
// caches (the processor's context cache, the HTTP loader's cache, the
// did:web resolver's cache) shared by 32 goroutines. Run with -race; a data
// race, a crash (json-gold's caching loader dies with "concurrent map
// writes") or a wrong answer under contention fails the test.

const goroutines = 32

// testServer serves a DID document for did:web:example.com and a context at
// https://example.com/ctx/extra.jsonld over TLS on loopback; every dial goes
// to it whatever the host name.
type testServer struct {
	srv  *httptest.Server
	hits atomic.Int64
}

func newTestServer(t *testing.T, pub ed25519.PublicKey) *testServer {
	mb, err := did.EncodePublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	doc := testref.Testdata(t, "did-web.json", "DID", "did:web:example.com", "PUBLIC_KEY", mb)
	s := &testServer{}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		switch r.URL.Path {
		case "/.well-known/did.json":
			w.Header().Set("Content-Type", "application/did+json")
			w.Write(doc)
		case "/ctx/extra.jsonld":
			w.Header().Set("Content-Type", "application/ld+json")
			io.WriteString(w, `{"@context":{"extraNote":"https://example.com/vocab#extraNote"}}`)
		default:
			http.NotFound(w, r)
		}
	}))
	s.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.srv.StartTLS()
	t.Cleanup(s.srv.Close)
	return s
}

// client trusts the server's certificate (valid for example.com) and dials
// the server for every host.
func (s *testServer) client() *http.Client {
	tr := s.srv.Client().Transport.(*http.Transport).Clone()
	addr := s.srv.Listener.Addr().String()
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	return &http.Client{Transport: tr}
}

// routeResolver sends did:web to web and everything else to the offline
// default resolver.
type routeResolver struct{ web did.Resolver }

func (r routeResolver) Resolve(ctx context.Context, d string) (*did.Document, error) {
	if strings.HasPrefix(d, "did:web:") {
		return r.web.Resolve(ctx, d)
	}
	return did.DefaultResolver().Resolve(ctx, d)
}

func TestConcurrentSharedVerifierIssuerLoaders(t *testing.T) {
	webKey := ed25519.NewKeyFromSeed(make([]byte, 32))
	srv := newTestServer(t, webKey.Public().(ed25519.PublicKey))
	web, err := did.NewWebResolver(did.HTTPConfig{Client: srv.client(), InsecureAllowPrivateNetworks: true})
	if err != nil {
		t.Fatal(err)
	}
	httpLoader, err := jsonld.NewHTTPLoader(jsonld.HTTPLoaderConfig{Allow: []string{"https://example.com/ctx/"}, Client: srv.client()})
	if err != nil {
		t.Fatal(err)
	}
	static, err := jsonld.NewStaticLoader(map[string][]byte{
		"https://static.test/ctx.jsonld": []byte(`{"@context":{"staticNote":"https://static.test/vocab#staticNote"}}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	loader := jsonld.Chain(static, jsonld.Embedded(), httpLoader)
	v := newVerifier(t, func(c *verifier.Config) {
		c.Loader = loader
		c.Resolver = routeResolver{web: web}
		// Inline contexts exercise the processor's context cache below.
		c.InsecureAllowInlineContexts = true
	})

	priv, _, vm := testKey(1)
	is, err := issuer.New(issuer.Config{Signer: priv, VerificationMethod: vm, Now: clock(testNow), Loader: loader})
	if err != nil {
		t.Fatal(err)
	}
	webIssuer, err := issuer.New(issuer.Config{Signer: webKey, VerificationMethod: "did:web:example.com#key-1", Now: clock(testNow), Loader: loader})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// A badge using the remote and the static context, signed by did:web.
	webBadge, err := webIssuer.IssueJSON(ctx, editJSON(t, sample(t, "did:web:example.com"), func(m map[string]any) {
		addContext("https://example.com/ctx/extra.jsonld", "https://static.test/ctx.jsonld")(m)
		m["extraNote"] = "remote"
		m["staticNote"] = "static"
	}))
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t)
	bad := editJSON(t, f.good, setSubject("undefinedTerm", "x"))
	tampered := editJSON(t, f.good, func(m map[string]any) { m["name"] = "Tampered" })

	var wg sync.WaitGroup
	errs := make(chan error, goroutines*16)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			check := func(what string, in []byte, want bool) {
				r, err := v.Verify(ctx, in)
				if err != nil {
					errs <- fmt.Errorf("goroutine %d %s: %v", g, what, err)
					return
				}
				if r.Verified != want {
					errs <- fmt.Errorf("goroutine %d %s: verified %v, want %v: %s", g, what, r.Verified, want, r.Summary())
				}
			}
			// Each goroutine issues its own badge with the shared issuer,
			// with a distinct name so that the shared caches see
			// distinct documents.
			in := editJSON(t, sample(t, f.d1), func(m map[string]any) { m["name"] = fmt.Sprintf("Badge %d", g) })
			signed, err := is.IssueJSON(ctx, in)
			if err != nil {
				errs <- fmt.Errorf("goroutine %d issue: %v", g, err)
				return
			}
			// A per-goroutine inline context: context-cache misses and
			// evictions race with hits.
			inline := editJSON(t, f.good, addContext(map[string]any{fmt.Sprintf("note%d", g): "https://ex.test/note"}))
			for i := 0; i < 2; i++ {
				check("own badge", signed, true)
				check("shared badge", f.good, true)
				check("jcs badge", f.jcs, true)
				check("did:web badge", webBadge, true)
				check("undefined term", bad, false)
				check("tampered", tampered, false)
				check("inline context", inline, true)
				for _, u := range []string{"https://example.com/ctx/extra.jsonld", "https://static.test/ctx.jsonld", "https://www.w3.org/ns/credentials/v2"} {
					if _, err := loader.LoadDocument(ctx, u); err != nil {
						errs <- fmt.Errorf("goroutine %d load %s: %v", g, u, err)
					}
				}
				if _, err := loader.LoadDocument(ctx, "https://evil.test/x"); err == nil {
					errs <- fmt.Errorf("goroutine %d: a URL off the allow-list loaded", g)
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// The caches did their job: far fewer fetches than look-ups.
	if h := srv.hits.Load(); h == 0 || h > goroutines {
		t.Errorf("%d fetches from the test server for %d goroutines", h, goroutines)
	}
}

// TestConcurrentProver shares one dataintegrity Prover and Verifier (the
// layer under issuer and verifier) among 32 goroutines, each with its own
// proof options, so that options leaking between calls (catalogue #44)
// show as a wrong proof.
func TestConcurrentProver(t *testing.T) {
	priv, d, vm := testKey(3)
	p, err := dataintegrity.NewProver(dataintegrity.ProverConfig{Suite: dataintegrity.SuiteEdDSARDFC2022, Key: priv, VerificationMethod: vm, Now: clock(testNow)})
	if err != nil {
		t.Fatal(err)
	}
	dv, err := dataintegrity.NewVerifier(dataintegrity.VerifierConfig{Suites: allSuites, Now: clock(testNow)})
	if err != nil {
		t.Fatal(err)
	}
	doc := sample(t, d)
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			nonce := fmt.Sprintf("n%d", g)
			out, err := p.AddProof(context.Background(), doc, dataintegrity.ProofOptions{Nonce: nonce})
			if err != nil {
				errs <- err
				return
			}
			if got := proof0(decode(t, out))["nonce"]; got != nonce {
				errs <- fmt.Errorf("goroutine %d: nonce %v, want %s", g, got, nonce)
			}
			res, err := dv.Verify(context.Background(), out, dataintegrity.Key(priv.Public()), dataintegrity.VerifyOptions{})
			if err != nil {
				errs <- fmt.Errorf("goroutine %d: %v", g, err)
			} else if !res.Verified {
				errs <- fmt.Errorf("goroutine %d: not verified: %v", g, res.Err())
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if _, ok := decode(t, doc)["proof"]; ok {
		t.Error("AddProof modified its input")
	}
}
