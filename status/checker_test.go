package status_test

import (
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/internal/safehttp"
	"github.com/microcred/openbadges/status"
)

const testlistURL = "https://raw.githubusercontent.com/1EdTech/digital-credentials-public-validator/refs/heads/main/inspector-vc/src/test/resources/ob30/bit-string-list/testlist"

// fragmentKeys resolves a verification method whose fragment is a
// Multikey, the 1EdTech validator's convention for its fixtures.
func fragmentKeys(ctx context.Context, vm, purpose string) (crypto.PublicKey, error) {
	_, frag, _ := strings.Cut(vm, "#")
	return did.DecodePublicKey(frag)
}

func newChecker(t testing.TB, f status.Fetcher, v status.ListVerifier) *status.Checker {
	t.Helper()
	c, err := status.NewChecker(status.CheckerConfig{Fetcher: f, VerifyList: v, Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The 1EdTech validator's revoked fixtures: bit 23 of the signed testlist
// (INDEX.json offline_url_maps.status_lists) is set.
func TestChecker1EdTechBitstringFixtures(t *testing.T) {
	list := readShared(t, "vectors/1edtech-validator/ob30/bit-string-list/testlist")
	fetch := status.NewStaticFetcher(map[string][]byte{testlistURL: list})
	// The list verifier of the verifier package checks the controller; the
	// fixture's key is a fragment of the issuer's URL.
	verify := func(ctx context.Context, data []byte) error {
		v, _ := dataintegrity.NewVerifier(dataintegrity.VerifierConfig{Suites: []dataintegrity.SuiteName{dataintegrity.SuiteEdDSARDFC2022}})
		res, err := v.Verify(ctx, data, fragmentKeys, dataintegrity.VerifyOptions{})
		if err != nil {
			return err
		}
		return res.Err()
	}
	c := newChecker(t, fetch, verify)
	for _, name := range []string{"credential-status-revoked.json", "credential-status-revoked-blank-nodes.json"} {
		t.Run(name, func(t *testing.T) {
			rs := c.Check(context.Background(), readShared(t, "vectors/1edtech-validator/ob30/bit-string-list/"+name))
			if len(rs) != 1 {
				t.Fatalf("%d results", len(rs))
			}
			r := rs[0]
			if r.Status != status.StatusRevoked || r.Index != 23 || r.Purpose != "revocation" || r.List != testlistURL ||
				!errors.Is(r.Err, status.ErrRevoked) || !r.Failed() {
				t.Fatalf("result %+v", r)
			}
		})
	}
	// The same list with its signature broken is not believed.
	// Bit 23 cleared: the proof no longer verifies, and the list is not believed.
	td := decode(t, list)
	td["credentialSubject"].(map[string]any)["encodedList"] = emptyList()
	tampered, _ := json.Marshal(td)
	c2 := newChecker(t, status.NewStaticFetcher(map[string][]byte{testlistURL: []byte(tampered)}), verify)
	r := c2.Check(context.Background(), readShared(t, "vectors/1edtech-validator/ob30/bit-string-list/credential-status-revoked.json"))[0]
	if r.Status != status.StatusError || !errors.Is(r.Err, status.ErrVerification) || status.ProblemType(r.Err) != status.ProblemVerification {
		t.Fatalf("tampered list: %+v", r)
	}
}

// issuerEnv is an issuer with a key, lists in memory and an HTTPS server
// publishing them, re-signed on every request.
type issuerEnv struct {
	key    testKey
	lists  *status.Lists
	srv    *httptest.Server
	mu     sync.Mutex
	served map[string][]byte // overrides, by path
}

func newIssuerEnv(t *testing.T) *issuerEnv {
	t.Helper()
	env := &issuerEnv{key: newTestKey(t, 7), served: map[string][]byte{}}
	env.lists = newLists(t, status.NewMemoryStore(), env.key.signer(t))
	env.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		env.mu.Lock()
		body, ok := env.served[r.URL.Path]
		env.mu.Unlock()
		if !ok {
			var err error
			body, err = env.lists.Publish(r.Context(), env.srv.URL+r.URL.Path)
			if errors.Is(err, status.ErrNotFound) {
				http.NotFound(w, r)
				return
			}
			if err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
		}
		w.Header().Set("Content-Type", "application/vc+ld+json")
		w.Write(body)
	}))
	t.Cleanup(env.srv.Close)
	return env
}

func (env *issuerEnv) serve(path string, body []byte) {
	env.mu.Lock()
	env.served[path] = body
	env.mu.Unlock()
}

func (env *issuerEnv) unserve(path string) {
	env.mu.Lock()
	delete(env.served, path)
	env.mu.Unlock()
}

func (env *issuerEnv) create(t *testing.T, path string, c status.ListConfig) string {
	t.Helper()
	c.ID = env.srv.URL + path
	if c.Issuer == "" {
		c.Issuer = env.key.did
	}
	must(t, env.lists.Create(context.Background(), c))
	return c.ID
}

func (env *issuerEnv) checker(t *testing.T) *status.Checker {
	t.Helper()
	f, err := status.NewHTTPFetcher(status.HTTPConfig{Client: env.srv.Client(), InsecureAllowPrivateNetworks: true})
	must(t, err)
	return newChecker(t, f, listVerifier(t, didKeyResolver))
}

// credentialWith returns a credential of env's issuer carrying entries.
func (env *issuerEnv) credentialWith(entries ...status.Entry) map[string]any {
	var cs []any
	for _, e := range entries {
		b, _ := json.Marshal(e)
		var m map[string]any
		json.Unmarshal(b, &m)
		cs = append(cs, m)
	}
	return map[string]any{
		"id":               "urn:uuid:6a2a6d6c-4f5e-4d8e-9a57-0c0f2d8b9f11",
		"issuer":           map[string]any{"id": env.key.did, "type": []any{"Profile"}},
		"credentialStatus": cs,
	}
}

func checkOne(t *testing.T, c *status.Checker, doc map[string]any) status.Result {
	t.Helper()
	rs := checkDoc(context.Background(), c, doc)
	if len(rs) != 1 {
		t.Fatalf("%d results", len(rs))
	}
	return rs[0]
}

func TestRoundTripRevocation(t *testing.T) {
	ctx := context.Background()
	env := newIssuerEnv(t)
	id := env.create(t, "/status/rev", status.ListConfig{})
	e, err := env.lists.Allocate(ctx, id)
	must(t, err)
	c := env.checker(t)
	doc := env.credentialWith(e)
	if r := checkOne(t, c, doc); r.Status != status.StatusOK || r.Err != nil || r.Failed() || r.Index != int64(e.Index) {
		t.Fatalf("fresh credential: %+v", r)
	}
	must(t, env.lists.Revoke(ctx, id, e.Index))
	r := checkOne(t, c, doc)
	if r.Status != status.StatusRevoked || !errors.Is(r.Err, status.ErrRevoked) || r.Value != 1 {
		t.Fatalf("after Revoke: %+v", r)
	}
	// Other credentials of the list are unaffected.
	e2, _ := env.lists.Allocate(ctx, id)
	if r := checkOne(t, c, env.credentialWith(e2)); r.Status != status.StatusOK {
		t.Fatalf("another credential: %+v", r)
	}
}

func TestRoundTripSuspension(t *testing.T) {
	ctx := context.Background()
	env := newIssuerEnv(t)
	rev := env.create(t, "/status/rev", status.ListConfig{})
	sus := env.create(t, "/status/sus", status.ListConfig{Purpose: status.PurposeSuspension})
	er, _ := env.lists.Allocate(ctx, rev)
	es, _ := env.lists.Allocate(ctx, sus)
	c := env.checker(t)
	doc := env.credentialWith(er, es)
	statuses := func() []status.Status {
		var s []status.Status
		for _, r := range checkDoc(ctx, c, doc) {
			s = append(s, r.Status)
		}
		return s
	}
	want := func(step string, w ...status.Status) {
		t.Helper()
		got := statuses()
		if len(got) != len(w) || got[0] != w[0] || got[1] != w[1] {
			t.Fatalf("%s: %v, want %v", step, got, w)
		}
	}
	want("issued", status.StatusOK, status.StatusOK)
	must(t, env.lists.Suspend(ctx, sus, es.Index))
	want("suspended", status.StatusOK, status.StatusSuspended)
	must(t, env.lists.Reinstate(ctx, sus, es.Index))
	want("reinstated", status.StatusOK, status.StatusOK)
	must(t, env.lists.Revoke(ctx, rev, er.Index))
	want("revoked", status.StatusRevoked, status.StatusOK)
}

func TestRoundTripMessage(t *testing.T) {
	ctx := context.Background()
	env := newIssuerEnv(t)
	msgs := []status.Message{{"0x0", "pending_review"}, {"0x1", "accepted"}, {"0x2", "rejected"}, {"0x3", "undefined"}}
	id := env.create(t, "/status/msg", status.ListConfig{Purpose: status.PurposeMessage, Size: 2, Messages: msgs})
	e, _ := env.lists.Allocate(ctx, id)
	if e.Size != 2 || len(e.Messages) != 4 {
		t.Fatalf("entry %+v", e)
	}
	c := env.checker(t)
	must(t, env.lists.SetValue(ctx, id, e.Index, 2))
	r := checkOne(t, c, env.credentialWith(e))
	if r.Status != status.StatusMessage || r.Value != 2 || r.Message != "rejected" || r.Failed() {
		t.Fatalf("message entry: %+v", r)
	}
	// The same through the typed model (statusSize and statusMessage kept
	// in CredentialStatus.Extra).
	raw, _ := json.Marshal(map[string]any{
		"@context": []any{"https://www.w3.org/ns/credentials/v2"}, "type": []any{"VerifiableCredential"},
		"issuer": env.key.did, "validFrom": "2026-01-01T00:00:00Z", "credentialSubject": map[string]any{"id": "did:example:2"},
		"credentialStatus": e})
	cred, err := credential.Parse(raw)
	must(t, err)
	r = c.Check(ctx, raw)[0]
	if r.Status != status.StatusMessage || r.Value != 2 || r.Message != "rejected" {
		t.Fatalf("typed message entry: %+v", r)
	}
	if err := c.CheckStatus(ctx, cred, cred.CredentialStatus.Items[0]); err != nil {
		t.Fatalf("a message does not fail verification: %v", err)
	}
}

func TestCheckerFailsClosed(t *testing.T) {
	ctx := context.Background()
	env := newIssuerEnv(t)
	id := env.create(t, "/status/rev", status.ListConfig{})
	e, _ := env.lists.Allocate(ctx, id)
	doc := env.credentialWith(e)

	t.Run("no fetcher", func(t *testing.T) {
		c, err := status.NewChecker(status.CheckerConfig{})
		must(t, err)
		r := checkOne(t, c, doc)
		if r.Status != status.StatusUnknown || !errors.Is(r.Err, status.ErrUnknown) || !r.Failed() || !status.AnyFailed([]status.Result{r}) {
			t.Fatalf("%+v", r)
		}
	})
	t.Run("unknown type", func(t *testing.T) {
		c := env.checker(t)
		d := map[string]any{"issuer": env.key.did, "credentialStatus": map[string]any{"id": "https://x.example/s", "type": "CRLStatus2099"}}
		r := checkOne(t, c, d)
		if r.Status != status.StatusUnknown || r.Type != "CRLStatus2099" || !r.Failed() {
			t.Fatalf("%+v", r)
		}
	})
	t.Run("unreachable", func(t *testing.T) {
		srv := httptest.NewTLSServer(http.NotFoundHandler())
		f, _ := status.NewHTTPFetcher(status.HTTPConfig{Client: srv.Client(), InsecureAllowPrivateNetworks: true})
		srv.Close()
		c := newChecker(t, f, listVerifier(t, didKeyResolver))
		gone := e
		gone.ListCredential = srv.URL + "/status/rev"
		r := checkOne(t, c, env.credentialWith(gone))
		if r.Status != status.StatusError || !errors.Is(r.Err, status.ErrRetrieval) || status.ProblemType(r.Err) != status.ProblemRetrieval {
			t.Fatalf("%+v", r)
		}
	})
	t.Run("404", func(t *testing.T) {
		e404 := e
		e404.ListCredential = env.srv.URL + "/status/none"
		r := checkOne(t, env.checker(t), env.credentialWith(e404))
		if r.Status != status.StatusError || !errors.Is(r.Err, status.ErrRetrieval) || !errors.Is(r.Err, safehttp.ErrStatus) {
			t.Fatalf("%+v", r)
		}
	})
	t.Run("private address without opt-in", func(t *testing.T) {
		f, _ := status.NewHTTPFetcher(status.HTTPConfig{Client: env.srv.Client()})
		r := checkOne(t, newChecker(t, f, listVerifier(t, didKeyResolver)), doc)
		if r.Status != status.StatusError || !errors.Is(r.Err, safehttp.ErrForbiddenAddress) {
			t.Fatalf("%+v", r)
		}
	})
	t.Run("fetcher without list verifier", func(t *testing.T) {
		_, err := status.NewChecker(status.CheckerConfig{Fetcher: status.NewStaticFetcher(nil)})
		if !errors.Is(err, status.ErrConfig) {
			t.Fatalf("NewChecker: %v", err)
		}
	})
}

// signedList returns a list credential with the given members changed,
// signed by k.
func signedList(t *testing.T, k testKey, id string, mutate func(doc, subj map[string]any)) []byte {
	t.Helper()
	l := newLists(t, status.NewMemoryStore(), nil)
	must(t, l.Create(context.Background(), status.ListConfig{ID: id, Issuer: k.did}))
	data, err := l.ListCredential(context.Background(), id)
	must(t, err)
	doc := decode(t, data)
	mutate(doc, doc["credentialSubject"].(map[string]any))
	b, _ := json.Marshal(doc)
	signed, err := k.signer(t).IssueJSON(context.Background(), b)
	must(t, err)
	return signed
}

func TestCheckerRejectsBadLists(t *testing.T) {
	ctx := context.Background()
	env := newIssuerEnv(t)
	id := env.create(t, "/status/rev", status.ListConfig{})
	e, _ := env.lists.Allocate(ctx, id)
	must(t, env.lists.Revoke(ctx, id, e.Index))
	doc := env.credentialWith(e)
	other := newTestKey(t, 9)

	cases := []struct {
		name  string
		key   testKey
		edit  func(doc, subj map[string]any)
		after func([]byte) []byte
		want  error
	}{
		{"bad encoding", env.key, func(d, s map[string]any) { s["encodedList"] = strings.TrimPrefix(s["encodedList"].(string), "u") }, nil, status.ErrMalformed},
		{"wrong purpose", env.key, func(d, s map[string]any) { s["statusPurpose"] = "suspension" }, nil, status.ErrVerification},
		{"expired", env.key, func(d, s map[string]any) { d["validUntil"] = "2026-11-01T00:00:00Z" }, nil, status.ErrVerification},
		{"not yet valid", env.key, func(d, s map[string]any) { d["validFrom"] = "2027-01-01T00:00:00Z" }, nil, status.ErrVerification},
		{"not a status list", env.key, func(d, s map[string]any) { d["type"] = []any{"VerifiableCredential"} }, nil, status.ErrVerification},
		// Claims our issuer but is signed with another key.
		{"foreign key", other, func(d, s map[string]any) { d["issuer"] = env.key.did }, nil, status.ErrVerification},
		// A list that is too short, or issued and signed by another
		// issuer (its proof fine, its issuer not), is still read: see
		// nonconformant_test.go.
		{"tampered after signing", env.key, func(d, s map[string]any) {}, func(b []byte) []byte {
			d := decode(t, b)
			bs, _ := status.NewBitstring(status.MinEntries, 1)
			bs.Set(e.Index, 1, 1)
			d["credentialSubject"].(map[string]any)["encodedList"] = bs.Encode()
			out, _ := json.Marshal(d)
			return out
		}, status.ErrVerification},
		{"not JSON", env.key, func(d, s map[string]any) {}, func([]byte) []byte { return []byte("<html>") }, status.ErrRetrieval},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body := signedList(t, c.key, id, c.edit)
			if c.after != nil {
				body = c.after(body)
			}
			env.serve("/status/rev", body)
			defer env.unserve("/status/rev")
			r := checkOne(t, env.checker(t), doc)
			if r.Status != status.StatusError || !errors.Is(r.Err, c.want) {
				t.Fatalf("result %+v, want %v", r, c.want)
			}
			if status.ProblemType(r.Err) == "" {
				t.Fatalf("no problem type for %v", r.Err)
			}
		})
	}

	t.Run("index out of range", func(t *testing.T) {
		e2 := e
		e2.Index = status.MinEntries
		r := checkOne(t, env.checker(t), env.credentialWith(e2))
		if r.Status != status.StatusError || !errors.Is(r.Err, status.ErrRange) || status.ProblemType(r.Err) != status.ProblemRange {
			t.Fatalf("%+v", r)
		}
	})
	t.Run("entry purpose differs from list", func(t *testing.T) {
		e2 := e
		e2.Purpose = status.PurposeSuspension
		r := checkOne(t, env.checker(t), env.credentialWith(e2))
		if r.Status != status.StatusError || !errors.Is(r.Err, status.ErrVerification) {
			t.Fatalf("%+v", r)
		}
	})
	t.Run("trusted other list issuer", func(t *testing.T) {
		env.serve("/status/rev", signedList(t, other, id, func(d, s map[string]any) { d["issuer"] = other.did }))
		defer env.unserve("/status/rev")
		f, _ := status.NewHTTPFetcher(status.HTTPConfig{Client: env.srv.Client(), InsecureAllowPrivateNetworks: true})
		c, err := status.NewChecker(status.CheckerConfig{Fetcher: f, VerifyList: listVerifier(t, didKeyResolver), Now: func() time.Time { return fixedNow },
			TrustListIssuer: func(cred, list string) bool { return cred == env.key.did && list == other.did }})
		must(t, err)
		if r := checkOne(t, c, doc); r.Status != status.StatusOK {
			t.Fatalf("%+v", r)
		}
	})
}

func emptyList() string {
	bs, _ := status.NewBitstring(status.MinEntries, 1)
	return bs.Encode()
}

func TestMalformedEntries(t *testing.T) {
	c := newChecker(t, status.NewStaticFetcher(nil), func(context.Context, []byte) error { return nil })
	base := func() map[string]any {
		return map[string]any{"type": "BitstringStatusListEntry", "statusPurpose": "revocation",
			"statusListIndex": "94567", "statusListCredential": "https://example.com/credentials/status/3"}
	}
	cases := map[string]struct {
		edit func(m map[string]any)
		want error
	}{
		"negative index":     {func(m map[string]any) { m["statusListIndex"] = "-1" }, status.ErrMalformed},
		"exponent":           {func(m map[string]any) { m["statusListIndex"] = "1e3" }, status.ErrMalformed},
		"plus sign":          {func(m map[string]any) { m["statusListIndex"] = "+5" }, status.ErrMalformed},
		"leading zero":       {func(m map[string]any) { m["statusListIndex"] = "007" }, status.ErrMalformed},
		"empty index":        {func(m map[string]any) { m["statusListIndex"] = "" }, status.ErrMalformed},
		"fraction number":    {func(m map[string]any) { m["statusListIndex"] = 1.5 }, status.ErrMalformed},
		"negative number":    {func(m map[string]any) { m["statusListIndex"] = json.Number("-3") }, status.ErrMalformed},
		"400 digits":         {func(m map[string]any) { m["statusListIndex"] = strings.Repeat("9", 400) }, status.ErrRange},
		"no index":           {func(m map[string]any) { delete(m, "statusListIndex") }, status.ErrMalformed},
		"no purpose":         {func(m map[string]any) { delete(m, "statusPurpose") }, status.ErrMalformed},
		"no list":            {func(m map[string]any) { delete(m, "statusListCredential") }, status.ErrMalformed},
		"relative list":      {func(m map[string]any) { m["statusListCredential"] = "status/3" }, status.ErrMalformed},
		"id is the list":     {func(m map[string]any) { m["id"] = m["statusListCredential"] }, status.ErrMalformed},
		"statusSize 0":       {func(m map[string]any) { m["statusSize"] = json.Number("0") }, status.ErrMalformed},
		"statusSize 64":      {func(m map[string]any) { m["statusSize"] = json.Number("64") }, status.ErrMalformed},
		"statusSize string":  {func(m map[string]any) { m["statusSize"] = "2" }, status.ErrMalformed},
		"size 2 no messages": {func(m map[string]any) { m["statusSize"] = json.Number("2") }, status.ErrMalformed},
		"message count": {func(m map[string]any) {
			m["statusMessage"] = []any{map[string]any{"status": "0x0", "message": "a"}}
		}, status.ErrMalformed},
		"message hex": {func(m map[string]any) {
			m["statusMessage"] = []any{map[string]any{"status": "0", "message": "a"}, map[string]any{"status": "0x1", "message": "b"}}
		}, status.ErrMalformed},
		"two types":  {func(m map[string]any) { m["type"] = []any{"BitstringStatusListEntry", "X"} }, status.ErrMalformed},
		"type empty": {func(m map[string]any) { m["type"] = "" }, status.ErrMalformed},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			m := base()
			tc.edit(m)
			r := checkOne(t, c, map[string]any{"issuer": "did:example:i", "credentialStatus": m})
			if r.Status != status.StatusError || !errors.Is(r.Err, tc.want) || !r.Failed() {
				t.Fatalf("result %+v, want %v", r, tc.want)
			}
			var fe *status.FieldError
			if !errors.As(r.Err, &fe) || !strings.HasPrefix(fe.Field, "credentialStatus") {
				t.Fatalf("error %v does not name the field", r.Err)
			}
		})
	}
	t.Run("not an object", func(t *testing.T) {
		rs := checkDoc(context.Background(), c, map[string]any{"credentialStatus": []any{"https://x.example/", base()}})
		if len(rs) != 2 || rs[0].Status != status.StatusError || rs[1].Status != status.StatusError || !errors.Is(rs[1].Err, status.ErrRetrieval) {
			t.Fatalf("%+v", rs)
		}
	})
	t.Run("too many entries", func(t *testing.T) {
		var many []any
		for range status.DefaultMaxEntries + 1 {
			many = append(many, base())
		}
		rs := checkDoc(context.Background(), c, map[string]any{"credentialStatus": many})
		if len(rs) != 1 || rs[0].Status != status.StatusError {
			t.Fatalf("%+v", rs)
		}
	})
	t.Run("none", func(t *testing.T) {
		if rs := checkDoc(context.Background(), c, map[string]any{"id": "x"}); rs != nil {
			t.Fatalf("%+v", rs)
		}
	})
}

func Test1EdTechRevocationList(t *testing.T) {
	const credID = "https://issuer.example/credentials/42"
	const rlURL = "https://issuer.example/revocations/1"
	doc := func(id string) map[string]any {
		d := map[string]any{"issuer": "https://issuer.example/", "credentialStatus": map[string]any{"id": rlURL, "type": "1EdTechRevocationList"}}
		if id != "" {
			d["id"] = id
		}
		return d
	}
	check := func(list string, d map[string]any) status.Result {
		t.Helper()
		c := newChecker(t, status.NewStaticFetcher(map[string][]byte{rlURL: []byte(list)}), func(context.Context, []byte) error { return nil })
		return checkOne(t, c, d)
	}
	listed := `{"id":"` + rlURL + `","issuer":"https://issuer.example/","revokedCredential":[{"id":"urn:other"},{"id":"` + credID + `"%s}]}`
	cases := []struct {
		name, list string
		credID     string
		want       status.Status
		wantErr    error
	}{
		{"listed", strings.Replace(listed, "%s", "", 1), credID, status.StatusRevoked, status.ErrRevoked},
		{"listed, revoked true", strings.Replace(listed, "%s", `,"revoked":true,"revocationReason":"Issued in error"`, 1), credID, status.StatusRevoked, status.ErrRevoked},
		{"listed, revoked false", strings.Replace(listed, "%s", `,"revoked":false`, 1), credID, status.StatusOK, nil},
		{"not listed", strings.Replace(listed, "%s", "", 1), "urn:mine", status.StatusOK, nil},
		{"empty list", `{"revokedCredential":[]}`, credID, status.StatusOK, nil},
		{"revoked not boolean", strings.Replace(listed, "%s", `,"revoked":"yes"`, 1), credID, status.StatusError, status.ErrMalformed},
		{"not an array", `{"revokedCredential":{"id":"x"}}`, credID, status.StatusError, status.ErrMalformed},
		{"not JSON", `revoked`, credID, status.StatusError, status.ErrRetrieval},
		{"no credential id", strings.Replace(listed, "%s", "", 1), "", status.StatusError, status.ErrMalformed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := check(tc.list, doc(tc.credID))
			if r.Status != tc.want || (tc.wantErr != nil && !errors.Is(r.Err, tc.wantErr)) || (tc.wantErr == nil && r.Err != nil) {
				t.Fatalf("result %+v", r)
			}
			if r.List != rlURL || r.Index != -1 {
				t.Fatalf("result %+v", r)
			}
		})
	}
	r := check(strings.Replace(listed, "%s", `,"revocationReason":"Issued in error"`, 1), doc(credID))
	if r.Message != "Issued in error" || !strings.Contains(r.Reason, "Issued in error") {
		t.Fatalf("reason not reported: %+v", r)
	}
	// The 1EdTech fixture's entry: with no fetcher, unknown (fail closed).
	c0, _ := status.NewChecker(status.CheckerConfig{})
	rs := c0.Check(context.Background(), readShared(t, "vectors/1edtech-validator/ob30/credential-status-revoked.json"))
	if len(rs) != 1 || rs[0].Status != status.StatusUnknown || rs[0].Type != status.Type1EdTechRevocationList {
		t.Fatalf("%+v", rs)
	}
}

// StatusList2021 lists (VCDM 1.1, base64url without multibase prefix).
func TestStatusList2021(t *testing.T) {
	ctx := context.Background()
	k := newTestKey(t, 7)
	const url = "https://issuer.example/status/2021"
	bs, _ := status.NewBitstring(status.MinEntries, 1)
	must(t, bs.Set(94567, 1, 1))
	list := map[string]any{
		"@context": []any{"https://www.w3.org/2018/credentials/v1", "https://w3id.org/vc/status-list/2021/v1",
			"https://w3id.org/security/data-integrity/v2"},
		"id":           url,
		"type":         []any{"VerifiableCredential", "StatusList2021Credential"},
		"issuer":       k.did,
		"issuanceDate": "2021-04-05T14:27:40Z",
		"credentialSubject": map[string]any{"id": url + "#list", "type": "StatusList2021",
			"statusPurpose": "revocation", "encodedList": bs.EncodeStatusList2021()},
	}
	unsigned, _ := json.Marshal(list)
	signed, err := k.signer(t).IssueJSON(ctx, unsigned)
	must(t, err)
	c := newChecker(t, status.NewStaticFetcher(map[string][]byte{url: signed}), listVerifier(t, didKeyResolver))
	entry := func(idx string) map[string]any {
		return map[string]any{"issuer": k.did, "credentialStatus": map[string]any{
			"id": url + "#" + idx, "type": "StatusList2021Entry", "statusPurpose": "revocation",
			"statusListIndex": idx, "statusListCredential": url}}
	}
	if r := checkOne(t, c, entry("94567")); r.Status != status.StatusRevoked {
		t.Fatalf("revoked entry: %+v", r)
	}
	if r := checkOne(t, c, entry("94566")); r.Status != status.StatusOK {
		t.Fatalf("clear entry: %+v", r)
	}
	// A Bitstring Status List entry must not accept a StatusList2021 list.
	d := entry("94567")
	d["credentialStatus"].(map[string]any)["type"] = "BitstringStatusListEntry"
	if r := checkOne(t, c, d); r.Status != status.StatusError || !errors.Is(r.Err, status.ErrVerification) {
		t.Fatalf("type confusion: %+v", r)
	}
	// Expired (expirationDate, VCDM 1.1).
	list["expirationDate"] = "2022-01-01T00:00:00Z"
	unsigned, _ = json.Marshal(list)
	signed, _ = k.signer(t).IssueJSON(ctx, unsigned)
	c = newChecker(t, status.NewStaticFetcher(map[string][]byte{url: signed}), listVerifier(t, didKeyResolver))
	if r := checkOne(t, c, entry("94566")); r.Status != status.StatusError || !errors.Is(r.Err, status.ErrVerification) {
		t.Fatalf("expired list: %+v", r)
	}
}

// statusHook has the method set of verifier.Status, which *Checker must
// satisfy (not imported here: the verifier package may change under us).
type statusHook interface {
	CheckStatus(ctx context.Context, c *credential.Credential, entry credential.CredentialStatus) error
}

var _ statusHook = (*status.Checker)(nil)

func TestCheckStatusHook(t *testing.T) {
	ctx := context.Background()
	env := newIssuerEnv(t)
	id := env.create(t, "/status/rev", status.ListConfig{})
	e, _ := env.lists.Allocate(ctx, id)
	raw, _ := json.Marshal(map[string]any{
		"@context":          []any{"https://www.w3.org/ns/credentials/v2"},
		"id":                "urn:uuid:6a2a6d6c-4f5e-4d8e-9a57-0c0f2d8b9f11",
		"type":              []any{"VerifiableCredential"},
		"issuer":            map[string]any{"id": env.key.did, "type": []any{"Profile"}},
		"validFrom":         "2026-01-01T00:00:00Z",
		"credentialSubject": map[string]any{"id": "did:example:learner"},
		"credentialStatus":  e,
	})
	cred, err := credential.Parse(raw)
	must(t, err)
	entry := cred.CredentialStatus.Items[0]
	var hook statusHook = env.checker(t)
	if err := hook.CheckStatus(ctx, cred, entry); err != nil {
		t.Fatalf("good standing: %v", err)
	}
	must(t, env.lists.Revoke(ctx, id, e.Index))
	err = hook.CheckStatus(ctx, cred, entry)
	if !errors.Is(err, status.ErrRevoked) {
		t.Fatalf("revoked: %v", err)
	}
	if r := env.checker(t).Check(ctx, raw)[0]; r.Status != status.StatusRevoked || r.Index != int64(e.Index) {
		t.Fatalf("Check: %+v", r)
	}
	// No fetcher: an error (never nil), so the verifier fails the credential.
	c0, _ := status.NewChecker(status.CheckerConfig{})
	err = c0.CheckStatus(ctx, cred, entry)
	var pt interface{ ProblemType() string }
	if !errors.Is(err, status.ErrUnknown) || !errors.As(err, &pt) {
		t.Fatalf("no fetcher: %v", err)
	}
	// Problem types reach the verifier through the error's method.
	e.Index = status.MinEntries
	entry2 := e.CredentialStatus()
	err = env.checker(t).CheckStatus(ctx, cred, entry2)
	if !errors.As(err, &pt) || pt.ProblemType() != status.ProblemRange {
		t.Fatalf("out of range: %v", err)
	}
}

// A list is verified once for many checks, again when its bytes change,
// and again after a while.
func TestCheckerMemo(t *testing.T) {
	ctx := context.Background()
	env := newIssuerEnv(t)
	id := env.create(t, "/status/rev", status.ListConfig{})
	e, _ := env.lists.Allocate(ctx, id)
	doc := env.credentialWith(e)
	clk := &clock{now: fixedNow}
	var verifications atomic.Int32
	verify := listVerifier(t, didKeyResolver)
	f, _ := status.NewHTTPFetcher(status.HTTPConfig{Client: env.srv.Client(), InsecureAllowPrivateNetworks: true})
	c, err := status.NewChecker(status.CheckerConfig{Fetcher: f, Now: clk.Now,
		VerifyList: func(ctx context.Context, b []byte) error { verifications.Add(1); return verify(ctx, b) }})
	must(t, err)
	// Pin the published bytes (Publish stamps a new created time each time).
	list, _ := env.lists.Publish(ctx, id)
	env.serve("/status/rev", list)
	for range 5 {
		if r := checkOne(t, c, doc); r.Status != status.StatusOK {
			t.Fatalf("%+v", r)
		}
	}
	if n := verifications.Load(); n != 1 {
		t.Fatalf("%d verifications for one list", n)
	}
	must(t, env.lists.Revoke(ctx, id, e.Index))
	list, _ = env.lists.Publish(ctx, id)
	env.serve("/status/rev", list)
	if r := checkOne(t, c, doc); r.Status != status.StatusRevoked {
		t.Fatalf("changed list not re-read: %+v", r)
	}
	clk.advance(10 * time.Minute)
	checkOne(t, c, doc)
	if n := verifications.Load(); n != 3 {
		t.Fatalf("%d verifications, want 3", n)
	}
	// A list that fails verification is never memoized.
	bad := decode(t, list)
	bad["credentialSubject"].(map[string]any)["encodedList"] = emptyList()
	badBytes, _ := json.Marshal(bad)
	env.serve("/status/rev", badBytes)
	for range 2 {
		if r := checkOne(t, c, doc); r.Status != status.StatusError {
			t.Fatalf("%+v", r)
		}
	}
	if n := verifications.Load(); n != 5 {
		t.Fatalf("%d verifications, want 5", n)
	}
}
