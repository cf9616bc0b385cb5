package obapi

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/microcred/openbadges/internal/obtest"
)

// receive runs ReceiveCode and makes one redirect with query to it.
func receive(t *testing.T, state, query string) (string, int, error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	type res struct {
		code string
		err  error
	}
	done := make(chan res, 1)
	go func() { c, err := ReceiveCode(ctx, ln, "/callback", state); done <- res{c, err} }()
	resp, err := http.Get("http://" + ln.Addr().String() + "/callback?" + query)
	require.NoError(t, err)
	resp.Body.Close()
	r := <-done
	return r.code, resp.StatusCode, r.err
}

// TestReceiveCodeState: the client uses a code only from the response to
// its own request (state), never from a forged or crossed one.
func TestReceiveCodeState(t *testing.T) {
	code, status, err := receive(t, "s1", "code=abc&state=s1")
	require.NoError(t, err)
	assert.Equal(t, "abc", code)
	assert.Equal(t, http.StatusOK, status)

	for _, q := range []string{"code=abc&state=s2", "code=abc", "code=abc&state=s1x", "code=abc&state="} {
		code, status, err = receive(t, "s1", q)
		require.ErrorIs(t, err, ErrStateMismatch, q)
		assert.Empty(t, code, q)
		assert.Equal(t, http.StatusBadRequest, status)
	}
	_, _, err = receive(t, "s1", "error=access_denied&state=s1")
	require.ErrorIs(t, err, ErrAuthorization)
}

// TestClient: Discover, Register, the flow, Upsert and Credentials against
// a server.
func TestClient(t *testing.T) {
	b := newBadges(t)
	e := sqliteEnv(t)
	e.addLearner(t, "ada")
	ctx := context.Background()
	svc, err := Discover(ctx, http.DefaultClient, e.base)
	require.NoError(t, err)
	assert.Equal(t, e.base+APIPath, svc.APIURL)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	redirect := "http://" + ln.Addr().String() + "/callback"
	reg, err := svc.Register(ctx, http.DefaultClient, ClientMetadata{ClientName: "c", ClientURI: "https://c.example", SoftwareID: "c",
		SoftwareVersion: "1", RedirectURIs: []string{redirect}, Scope: ScopeCredentialReadonly + " " + ScopeCredentialUpsert})
	require.NoError(t, err)
	cfg := svc.OAuth(reg, redirect, []string{ScopeCredentialReadonly, ScopeCredentialUpsert})
	v := oauth2.GenerateVerifier()
	type res struct {
		code string
		err  error
	}
	done := make(chan res, 1)
	go func() { c, err := ReceiveCode(ctx, ln, "/callback", "st"); done <- res{c, err} }()
	back, err := obtest.NewLearner("ada", "password-of-ada", nil).Authorize(ctx, cfg.AuthCodeURL("st", oauth2.S256ChallengeOption(v)))
	require.NoError(t, err)
	resp, err := http.Get(back.String())
	require.NoError(t, err)
	resp.Body.Close()
	r := <-done
	require.NoError(t, r.err)
	tok, err := cfg.Exchange(ctx, r.code, oauth2.VerifierOption(v))
	require.NoError(t, err)

	api := &APIClient{HTTP: cfg.Client(ctx, tok), APIURL: svc.APIURL}
	for i := 1; i <= 3; i++ {
		created, err := api.Upsert(ctx, b.issue(t, i, i == 2))
		require.NoError(t, err)
		assert.True(t, created)
	}
	created, err := api.Upsert(ctx, b.issue(t, 1, false))
	require.NoError(t, err)
	assert.False(t, created)
	_, err = api.Upsert(ctx, []byte(`{"not":"a credential"}`))
	require.Error(t, err)
	js, jws, err := api.Credentials(ctx, 2)
	require.NoError(t, err)
	assert.Len(t, js, 2)
	assert.Len(t, jws, 1)

	_, err = Discover(ctx, http.DefaultClient, "http://127.0.0.1:1")
	require.Error(t, err)
	require.False(t, errors.Is(err, ErrStateMismatch))
}
