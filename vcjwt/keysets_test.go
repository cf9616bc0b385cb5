package vcjwt

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/microcred/openbadges/did"
)

func TestParseKeySet(t *testing.T) {
	keys(t)
	ed, p256, rsaJ := jwkJSON(t, edKey.Public()), jwkJSON(t, p256Key.Public()), jwkJSON(t, rsaKey.Public())
	got, err := ParseKeySet([]byte(`{"keys":[` + ed + `,` + p256 + `,` + rsaJ +
		`,{"kty":"OKP","crv":"X25519","x":"AQ"},{"kty":"EC","crv":"P-256","use":"enc","x":"a","y":"b"},{"kty":"unknown"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || !equalKeys(got[0], edKey.Public()) || !equalKeys(got[1], p256Key.Public()) || !equalKeys(got[2], rsaKey.Public()) {
		t.Fatalf("keys %v", got)
	}
	for name, set := range map[string]string{
		"private":   `{"keys":[` + strings.TrimSuffix(ed, "}") + `,"d":"AA"}]}`,
		"symmetric": `{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}`,
		"no keys":   `{"key":[]}`,
		"keys obj":  `{"keys":{}}`,
		"dup":       `{"keys":[],"keys":[` + ed + `]}`,
		"not obj":   `[]`,
		"key str":   `{"keys":["x"]}`,
		"too many":  `{"keys":[` + strings.Repeat(ed+",", 100) + ed + `]}`,
		"too large": `{"keys":[],"x":"` + strings.Repeat("a", MaxKeySetSize) + `"}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ParseKeySet([]byte(set))
			wantErr(t, err, ErrKeySet)
		})
	}
	_, err = NewStaticKeySets(map[string][]byte{"https://a.example": []byte(`{}`)})
	wantErr(t, err, ErrKeySet)
	s, err := NewStaticKeySets(map[string][]byte{"https://a.example": []byte(`{"keys":[]}`)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.PublicKeys(bg, "https://b.example")
	wantErr(t, err, ErrKeySet)
}

func TestKeySetURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://example.edu/issuers/565049":   "https://example.edu/.well-known/jwks.json",
		"https://example.edu:8443/i?x=1#frag":  "https://example.edu:8443/.well-known/jwks.json",
		"http://example.edu/issuers/1":         "",
		"did:web:example.edu":                  "",
		"https://user@example.edu/":            "",
		"https:opaque":                         "",
		"https:///path":                        "",
		"urn:uuid:a63a60be-f4af-491c-87fc-2c8": "",
	} {
		got, err := KeySetURL(in)
		if got != want || (want == "") != (err != nil) {
			t.Errorf("KeySetURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

// jwksServer serves a key set at https://example.com/.well-known/jwks.json
// (the httptest certificate's name) on loopback.
type jwksServer struct {
	srv  *httptest.Server
	body atomic.Value // string
	hits atomic.Int64
}

func newJWKSServer(t *testing.T, body string) *jwksServer {
	s := &jwksServer{}
	s.body.Store(body)
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		if r.URL.Path != "/.well-known/jwks.json" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/jwk-set+json")
		fmt.Fprint(w, s.body.Load().(string))
	}))
	s.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.srv.StartTLS()
	t.Cleanup(s.srv.Close)
	return s
}

func (s *jwksServer) config(insecure bool) did.HTTPConfig {
	tr := s.srv.Client().Transport.(*http.Transport).Clone()
	addr := s.srv.Listener.Addr().String()
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	return did.HTTPConfig{Client: &http.Client{Transport: tr}, InsecureAllowPrivateNetworks: insecure}
}

func TestHTTPKeySets(t *testing.T) {
	keys(t)
	issuer := "https://example.com/issuers/565049"
	srv := newJWKSServer(t, `{"keys":[`+jwkJSON(t, p256Key.Public())+`]}`)
	token, err := Sign(bg, credV2(issuer), p256Key, SignOptions{EmbedJWK: true})
	if err != nil {
		t.Fatal(err)
	}

	// Loopback is refused unless allowed: the key stays unproven, with the
	// reason in the warning.
	ks, err := NewHTTPKeySets(srv.config(false))
	if err != nil {
		t.Fatal(err)
	}
	o := opts()
	o.IssuerKeys = ks
	v, err := Verify(bg, []byte(token), o)
	if err != nil || v.KeyProven || len(v.Warnings) != 1 || !strings.Contains(v.Warnings[0].Message, "not allowed") {
		t.Fatalf("loopback: %v %+v", err, v)
	}

	now := testNow
	cfg := srv.config(true)
	cfg.Now = func() time.Time { return now }
	ks, err = NewHTTPKeySets(cfg)
	if err != nil {
		t.Fatal(err)
	}
	o.IssuerKeys = ks
	o.InsecureAcceptUnprovenJWK = false
	if v, err = Verify(bg, []byte(token), o); err != nil || !v.KeyProven {
		t.Fatalf("proven: %v %+v", err, v)
	}
	// Cached: no second fetch within the TTL, a new fetch after it.
	hits := srv.hits.Load()
	srv.body.Store(`{"keys":[]}`)
	if _, err := Verify(bg, []byte(token), o); err != nil || srv.hits.Load() != hits {
		t.Fatalf("cache: %v, hits %d → %d", err, hits, srv.hits.Load())
	}
	now = now.Add(did.DefaultCacheTTL + time.Second)
	_, err = Verify(bg, []byte(token), o)
	wantErr(t, err, ErrUnprovenKey)
	if srv.hits.Load() != hits+1 {
		t.Errorf("hits %d, want %d", srv.hits.Load(), hits+1)
	}
	// A malformed set: unproven, not a crash.
	srv.body.Store(`{"keys":[{"kty":"oct","k":"AA"}]}`)
	now = now.Add(did.DefaultCacheTTL + time.Second)
	_, err = Verify(bg, []byte(token), o)
	wantErr(t, err, ErrUnprovenKey)
	// A cancelled context is reported, not taken for an unproven key.
	ctx, cancel := context.WithCancel(bg)
	cancel()
	now = now.Add(did.DefaultCacheTTL + time.Second)
	_, err = Verify(ctx, []byte(token), o)
	wantErr(t, err, context.Canceled)

	// Issuers without https ids have no key set location.
	_, err = ks.PublicKeys(bg, "did:web:example.com")
	wantErr(t, err, ErrKeySet)
}
