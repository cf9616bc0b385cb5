package vcapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/status"
	"github.com/microcred/openbadges/vcapi"
)

// flakyStore is a MemoryStore whose Load fails while down is set.
type flakyStore struct {
	*status.MemoryStore
	down atomic.Bool
}

func (f *flakyStore) Load(ctx context.Context, id string) (*status.ListState, error) {
	if f.down.Load() {
		return nil, status.ErrUnavailable
	}
	return f.MemoryStore.Load(ctx, id)
}

func get(t *testing.T, ts *httptest.Server, path string, header http.Header) (*http.Response, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, ts.URL+path, nil)
	require.NoError(t, err)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := ts.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var m map[string]any
	json.NewDecoder(resp.Body).Decode(&m)
	return resp, m
}

// TestHealthReady: /healthz is alive whatever the store does; /readyz is
// 503 while the store fails, with the cause in the log, not the answer.
func TestHealthReady(t *testing.T) {
	store := &flakyStore{MemoryStore: status.NewMemoryStore()}
	var logs syncBuffer
	var extra atomic.Pointer[error]
	ts := httptest.NewUnstartedServer(nil)
	s, err := vcapi.New(context.Background(), vcapi.Config{
		Issuers: []vcapi.IssuerConfig{issuerConfig(testKey(t, 1), "")}, StatusStore: store,
		BaseURL: "http://" + ts.Listener.Addr().String(), Logger: newTextLogger(&logs),
		Ready: func(context.Context) error {
			if e := extra.Load(); e != nil {
				return *e
			}
			return nil
		},
	})
	require.NoError(t, err)
	ts.Config.Handler = s
	ts.Start()
	defer ts.Close()

	resp, body := get(t, ts, "/readyz", nil)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, map[string]any{"status": "ready", "checks": map[string]any{"keys": "ok", "store": "ok", "ready": "ok"}}, body)

	store.down.Store(true)
	resp, body = get(t, ts, "/readyz", nil)
	assert.Equal(t, 503, resp.StatusCode)
	assert.Equal(t, "failing", body["checks"].(map[string]any)["store"])
	assert.NotContains(t, body, "detail")
	assert.Contains(t, logs.String(), "readiness check failed")
	resp, body = get(t, ts, "/healthz", nil)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "ok", body["status"])

	store.down.Store(false)
	pingErr := errors.New("database ping failed")
	extra.Store(&pingErr)
	resp, body = get(t, ts, "/readyz", nil)
	assert.Equal(t, 503, resp.StatusCode)
	assert.Equal(t, "failing", body["checks"].(map[string]any)["ready"])
}

// TestRequestID: a client's X-Request-ID is echoed and logged with the
// request; a request without one (or with one that is not a short
// printable token) gets a new one.
func TestRequestID(t *testing.T) {
	var logs syncBuffer
	s, err := vcapi.New(context.Background(), vcapi.Config{Logger: newJSONLogger(&logs)})
	require.NoError(t, err)
	ts := httptest.NewServer(s)
	defer ts.Close()

	resp, _ := get(t, ts, "/healthz", http.Header{"X-Request-Id": {"req-42"}})
	assert.Equal(t, "req-42", resp.Header.Get("X-Request-ID"))
	resp, _ = get(t, ts, "/healthz", nil)
	generated := resp.Header.Get("X-Request-ID")
	assert.Regexp(t, regexp.MustCompile(`^[0-9a-f]{24}$`), generated)
	resp, _ = get(t, ts, "/healthz", http.Header{"X-Request-Id": {strings.Repeat("x", 200)}})
	assert.Regexp(t, regexp.MustCompile(`^[0-9a-f]{24}$`), resp.Header.Get("X-Request-ID"))
	resp, _ = get(t, ts, "/nowhere", http.Header{"X-Request-Id": {"req-43"}})
	assert.Equal(t, 404, resp.StatusCode)
	assert.Equal(t, "req-43", resp.Header.Get("X-Request-ID"))

	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &m), l)
		lines = append(lines, m)
	}
	require.Len(t, lines, 4)
	assert.Equal(t, "req-42", lines[0]["request_id"])
	assert.Equal(t, "request", lines[0]["msg"])
	assert.Equal(t, "/healthz", lines[0]["path"])
	assert.Equal(t, float64(200), lines[0]["status"])
	assert.Equal(t, generated, lines[1]["request_id"])
	assert.Equal(t, "req-43", lines[3]["request_id"])
}

// countingMetrics records what the server measures.
type countingMetrics struct {
	mu            sync.Mutex
	requests      map[string]int // "route code"
	verifications map[string]int // "kind outcome"
	issued        map[string]int
	changes       map[string]int // "issuer purpose state"
}

func newCountingMetrics() *countingMetrics {
	return &countingMetrics{requests: map[string]int{}, verifications: map[string]int{}, issued: map[string]int{}, changes: map[string]int{}}
}

func (m *countingMetrics) Request(route string, code int, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if d <= 0 {
		panic("no duration")
	}
	m.requests[route+" "+http.StatusText(code)]++
}

func (m *countingMetrics) Verification(kind, outcome string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.verifications[kind+" "+outcome]++
}

func (m *countingMetrics) Issued(issuer string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.issued[issuer]++
}

func (m *countingMetrics) StatusChanged(issuer, purpose, state string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.changes[issuer+" "+purpose+" "+state]++
}

// TestMetrics: requests are counted by route pattern and code,
// verifications by outcome, issuances by issuer, status changes by purpose
// and state.
func TestMetrics(t *testing.T) {
	m := newCountingMetrics()
	_, ts := fullServer(t, vcapi.Config{InsecureNoAuth: true, Metrics: m})
	tsrv := &testServer{Server: ts, did: testKey(t, 1).DID}
	vc := tsrv.issue(t, "/credentials/issue", vc2(tsrv.did), map[string]any{
		"credentialStatus": map[string]any{"type": "BitstringStatusListEntry", "statusPurpose": "suspension"}})
	tsrv.issue(t, "/issuers/jcs/credentials/issue", vc2(testKey(t, 2).DID), nil)
	require.Equal(t, 200, tsrv.verify(t, vc).code)
	for _, set := range []bool{true, false} {
		require.Equal(t, 200, tsrv.postJSON(t, "/credentials/status", map[string]any{
			"credentialId": vc["id"], "credentialStatus": map[string]any{"type": "suspension", "status": set}}).code)
	}
	require.Equal(t, 200, tsrv.postJSON(t, "/credentials/status", map[string]any{
		"credentialId": vc["id"], "credentialStatus": map[string]any{"type": "suspension", "status": true}}).code)
	require.Equal(t, 400, tsrv.verify(t, vc).code)
	vc["name"] = "changed"
	require.Equal(t, 400, tsrv.verify(t, vc).code)
	require.Equal(t, 400, tsrv.post(t, "/issuers/jcs/credentials/verify", "application/json", []byte(`{}`)).code)
	resp, _ := get(t, ts, "/no/such/thing", nil)
	require.Equal(t, 404, resp.StatusCode)

	m.mu.Lock()
	defer m.mu.Unlock()
	assert.Equal(t, map[string]int{
		"POST /credentials/issue Created": 1, "POST /issuers/{name}/credentials/issue Created": 1,
		"POST /credentials/verify OK": 1, "POST /credentials/verify Bad Request": 2,
		"POST /issuers/{name}/credentials/verify Bad Request": 1,
		"POST /credentials/status OK":                         3, "unmatched Not Found": 1,
	}, m.requests)
	assert.Equal(t, map[string]int{"credential verified": 1, "credential suspended": 1, "credential not_verified": 1, "credential malformed": 1}, m.verifications)
	assert.Equal(t, map[string]int{"": 1, "jcs": 1}, m.issued)
	assert.Equal(t, map[string]int{" suspension suspended": 2, " suspension reinstated": 1}, m.changes)
}
