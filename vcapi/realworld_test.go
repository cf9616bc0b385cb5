package vcapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/internal/realworld"
	"github.com/microcred/openbadges/jsonld"
	"github.com/microcred/openbadges/status"
	"github.com/microcred/openbadges/vcapi"
	"github.com/microcred/openbadges/verifier"
)

// The credentials of testdata/realworld (see internal/realworld) posted to
// POST /credentials/verify, with and without options.lenient, against the
// expectations of INDEX.json. The server is configured in code with every
// pin of the set and the set's fixed clock (badge serve, which has no clock
// option, is tested in cmd/badge).

// rwPinned answers from the pinned DID documents and passes other DIDs
// (did:key endorsers) to the default offline resolver.
type rwPinned struct{ static *did.StaticResolver }

func (p rwPinned) Resolve(ctx context.Context, id string) (*did.Document, error) {
	d, err := p.static.Resolve(ctx, id)
	if errors.Is(err, did.ErrNotFound) {
		return did.DefaultResolver().Resolve(ctx, id)
	}
	return d, err
}

// rwServer starts a server that knows every DID document, status list and
// context the set pins, with the clock at now and lenient as its default.
func rwServer(t *testing.T, dir string, idx *realworld.Index, now time.Time, lenient bool) *httptest.Server {
	t.Helper()
	dids, lists, contexts := map[string][]byte{}, map[string][]byte{}, map[string][]byte{}
	for _, e := range idx.Credentials {
		for _, p := range []struct {
			into map[string][]byte
			pins map[string]string
		}{{dids, e.Resolve}, {lists, e.StatusDocs}, {contexts, e.Contexts}} {
			for k, b := range realworld.ReadPins(t, dir, p.pins) {
				p.into[k] = b
			}
		}
	}
	var docs []*did.Document
	for id, b := range dids {
		d, err := did.ParseDocument(b)
		require.NoError(t, err, id)
		docs = append(docs, d)
	}
	static, err := did.NewStaticResolver(docs...)
	require.NoError(t, err)
	loader, err := jsonld.NewStaticLoader(contexts)
	require.NoError(t, err)
	k := testKey(t, 1)
	s, err := vcapi.New(context.Background(), vcapi.Config{InsecureNoAuth: true,
		Issuers:       []vcapi.IssuerConfig{issuerConfig(k, "")},
		Resolver:      rwPinned{static},
		Loader:        jsonld.Chain(jsonld.Embedded(), loader),
		StatusFetcher: status.NewStaticFetcher(lists),
		Now:           func() time.Time { return now },
		Lenient:       lenient,
	})
	require.NoError(t, err)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return ts
}

// rwResponse is what the test reads of a verification response (200, or
// 400 as a problem with these members).
type rwResponse struct {
	Verified   bool                     `json:"verified"`
	Authentic  bool                     `json:"authentic"`
	Conformant bool                     `json:"conformant"`
	Errors     []verifier.ProblemDetail `json:"errors"`
	Warnings   []verifier.ProblemDetail `json:"warnings"`
}

func TestRealWorldVerifyEndpoint(t *testing.T) {
	dir, idx := realworld.Load(t)
	now, err := time.Parse(time.RFC3339, idx.Now)
	require.NoError(t, err)
	for _, serverLenient := range []bool{false, true} {
		name := "default strict"
		if serverLenient {
			name = "default lenient"
		}
		t.Run(name, func(t *testing.T) {
			ts := rwServer(t, dir, idx, now, serverLenient)
			for _, e := range idx.Credentials {
				t.Run(strings.TrimSuffix(filepath.Base(e.File), ".json"), func(t *testing.T) {
					realworld.SkipPending(t, e.File)
					vc, err := os.ReadFile(filepath.Join(dir, e.File))
					require.NoError(t, err)
					// No options (the server's default), then each mode
					// asked for explicitly.
					for _, opt := range []*bool{nil, new(false), new(true)} {
						req := map[string]any{"verifiableCredential": json.RawMessage(vc)}
						lenient := serverLenient
						if opt != nil {
							lenient = *opt
							req["options"] = map[string]any{"lenient": *opt}
						}
						label := e.File + " strict"
						if lenient {
							label = e.File + " lenient"
						}
						if opt == nil {
							label += " (server default)"
						}
						body, err := json.Marshal(req)
						require.NoError(t, err)
						resp, err := ts.Client().Post(ts.URL+"/credentials/verify", "application/json", bytes.NewReader(body))
						require.NoError(t, err)
						raw, err := io.ReadAll(resp.Body)
						resp.Body.Close()
						require.NoError(t, err)

						want := e.Mode(lenient)
						wantCode := http.StatusBadRequest
						if want.Verified {
							wantCode = http.StatusOK
						}
						assert.Equal(t, wantCode, resp.StatusCode, "%s: HTTP status\n%s", label, raw)
						var got rwResponse
						require.NoError(t, json.Unmarshal(raw, &got), "%s\n%s", label, raw)
						r := &verifier.Result{Verified: got.Verified, Authentic: got.Authentic, Conformant: got.Conformant, Errors: got.Errors, Warnings: got.Warnings}
						// The response does not list the endorsements'
						// results, so those are not compared.
						want.VerifiedEndorsements = nil
						realworld.AssertOutcome(t, want, realworld.OutcomeOf(r), label)
					}
				})
			}
		})
	}
}
