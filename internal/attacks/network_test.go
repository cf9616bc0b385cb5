package attacks

import (
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/vcjwt"
	"github.com/microcred/openbadges/verifier"
)

// recordingTransport fails every request and counts it.
type recordingTransport struct{ n *atomic.Int64 }

func (r recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r.n.Add(1)
	return nil, http.ErrUseLastResponse
}

// TestAttackNoNetworkByDefault: a default verifier (no resolver, loader or
// status checker passed in) never touches the network, whatever URLs a
// credential carries: contexts (#1), did:web and https verification
// methods (#59, #48), credentialSchema (#77), refreshService (#79), images
// (#74), status lists (#72), evidence and related resources. Every URL
// points at a loopback server that counts requests, and Go's default
// transport is replaced by one that counts and fails, so that a fetch by
// any path is seen.
func TestAttackNoNetworkByDefault(t *testing.T) {
	var hits atomic.Int64
	// A TLS server (the URLs must be https to be tempting); connections are
	// counted, so that even a failed handshake shows.
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			hits.Add(1)
		}
	}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	old := http.DefaultTransport
	http.DefaultTransport = recordingTransport{&hits}
	t.Cleanup(func() { http.DefaultTransport = old })

	u := srv.URL
	urls := func(m map[string]any) {
		addContext("https://purl.imsglobal.org/spec/ob/v3p0/extensions.json")(m)
		m["credentialSchema"] = []any{map[string]any{"id": u + "/schema.json", "type": "1EdTechJsonSchemaValidator2019"}}
		m["refreshService"] = map[string]any{"id": u + "/refresh", "type": "1EdTechCredentialRefresh"}
		m["credentialStatus"] = map[string]any{"id": u + "/status#5", "type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": "5", "statusListCredential": u + "/status"}
		m["evidence"] = []any{map[string]any{"id": u + "/evidence", "type": []any{"Evidence"}}}
		a := obj(obj(m["credentialSubject"])["achievement"])
		a["image"] = map[string]any{"id": u + "/image.png", "type": "Image"}
		obj(m["issuer"])["image"] = map[string]any{"id": u + "/logo.svg", "type": "Image"}
		obj(m["issuer"])["url"] = u
	}
	priv, _, _ := testKey(1)
	signed := sign(t, 1, dataintegrity.SuiteEdDSARDFC2022, urls)
	inputs := map[string][]byte{
		"badge with URLs everywhere": signed,
		"remote context":             editJSON(t, signed, addContext(u+"/ctx.jsonld")),
		"did:web verification method": signedBy(t, editJSON(t, sample(t, "did:web:127.0.0.1%3A"+srv.Listener.Addr().String()[len("127.0.0.1:"):]), urls),
			priv, "did:web:127.0.0.1%3A"+srv.Listener.Addr().String()[len("127.0.0.1:"):]+"#key-1"),
		"https verification method": signedBy(t, editJSON(t, sample(t, u+"/issuer"), urls), priv, u+"/issuer#key-1"),
	}
	tok, err := vcjwt.Sign(context.Background(), editJSON(t, sample(t, u+"/issuer"), urls), priv, vcjwt.SignOptions{KeyID: u + "/issuer#key-1"})
	if err != nil {
		t.Fatal(err)
	}
	inputs["VC-JWT with an https kid"] = []byte(tok)
	tok, err = vcjwt.Sign(context.Background(), editJSON(t, sample(t, u+"/issuer"), urls), priv, vcjwt.SignOptions{EmbedJWK: true})
	if err != nil {
		t.Fatal(err)
	}
	inputs["VC-JWT with a jwk, https issuer"] = []byte(tok)

	v := newVerifier(t, func(c *verifier.Config) { c.Algorithms = append(c.Algorithms, vcjwt.EdDSA) })
	for name, in := range inputs {
		r, err := v.Verify(context.Background(), in)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		t.Logf("%s: %s", name, r.Summary())
		if n := hits.Load(); n != 0 {
			t.Fatalf("%s: %d network requests", name, n)
		}
	}
	// The counter sees a real request (so that zero above means none).
	resp, err := srv.Client().Get(srv.URL)
	if err == nil {
		resp.Body.Close()
	}
	if hits.Load() == 0 {
		t.Fatal("the test server does not count requests")
	}
}
