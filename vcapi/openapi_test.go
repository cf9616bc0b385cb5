package vcapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/status"
	"github.com/microcred/openbadges/vcapi"
)

const openAPIURL = "https://openbadges.test/openapi.json"

// openAPI is the served document, decoded, and a compiler of the schemas
// at JSON pointers in it.
type openAPI struct {
	doc      map[string]any
	compiler *jsonschema.Compiler
}

func loadOpenAPI(t *testing.T, raw []byte) *openAPI {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource(openAPIURL, doc))
	var m map[string]any
	require.NoError(t, json.Unmarshal(raw, &m))
	assert.Equal(t, "3.1.0", m["openapi"])
	return &openAPI{doc: m, compiler: c}
}

// pointer escapes a path segment for a JSON pointer.
func pointer(segs ...string) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteString("/" + strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1"))
	}
	return b.String()
}

// validate checks v against the schema at ptr.
func (o *openAPI) validate(t *testing.T, ptr string, v any) {
	t.Helper()
	sch, err := o.compiler.Compile(openAPIURL + "#" + ptr)
	require.NoError(t, err, ptr)
	// Through JSON, so that numbers are what the validator expects.
	b, err := json.Marshal(v)
	require.NoError(t, err)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	require.NoError(t, err)
	assert.NoError(t, sch.Validate(inst), "%s\n%s", ptr, b)
}

// operations returns "METHOD /path" for every operation of the document.
func (o *openAPI) operations() []string {
	var out []string
	for path, item := range o.doc["paths"].(map[string]any) {
		for method := range item.(map[string]any) {
			if method == "parameters" {
				continue
			}
			out = append(out, strings.ToUpper(method)+" "+path)
		}
	}
	sort.Strings(out)
	return out
}

// fullServer serves every route: two issuers, status lists, metrics and
// the page.
func fullServer(t *testing.T, cfg vcapi.Config) (*vcapi.Server, *httptest.Server) {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	cfg.Issuers = []vcapi.IssuerConfig{issuerConfig(testKey(t, 1), ""), issuerConfig(testKey(t, 2), "jcs")}
	cfg.StatusStore = status.NewMemoryStore()
	cfg.BaseURL = "http://" + ts.Listener.Addr().String()
	cfg.MetricsHandler = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "# metrics\n") })
	cfg.Page = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "page") })
	s, err := vcapi.New(context.Background(), cfg)
	require.NoError(t, err)
	ts.Config.Handler = s
	ts.Start()
	t.Cleanup(ts.Close)
	return s, ts
}

// TestOpenAPI: the document at /openapi.json describes exactly the routes
// the server serves, and every example in it validates against its
// schema.
func TestOpenAPI(t *testing.T) {
	s, ts := fullServer(t, vcapi.Config{InsecureNoAuth: true})
	resp, err := ts.Client().Get(ts.URL + "/openapi.json")
	require.NoError(t, err)
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	require.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	assert.Equal(t, vcapi.OpenAPI(), raw)
	o := loadOpenAPI(t, raw)

	var served []string
	for _, p := range s.Patterns() {
		// ServeMux's "/{$}" (exactly /) is OpenAPI's "/".
		served = append(served, strings.Replace(p, "/{$}", "/", 1))
	}
	sort.Strings(served)
	assert.Equal(t, o.operations(), served, "documented operations (left) and served routes (right)")

	examples := 0
	for path, item := range o.doc["paths"].(map[string]any) {
		for method, op := range item.(map[string]any) {
			op := op.(map[string]any)
			base := []string{"paths", path, method}
			if rb, ok := op["requestBody"].(map[string]any); ok {
				for ctype, media := range rb["content"].(map[string]any) {
					if ex, ok := media.(map[string]any)["example"]; ok {
						o.validate(t, pointer(append(base, "requestBody", "content", ctype, "schema")...), ex)
						examples++
					}
				}
			}
			for code, r := range op["responses"].(map[string]any) {
				content, _ := r.(map[string]any)["content"].(map[string]any)
				for ctype, media := range content {
					if ex, ok := media.(map[string]any)["example"]; ok && strings.Contains(ctype, "json") {
						o.validate(t, pointer(append(base, "responses", code, "content", ctype, "schema")...), ex)
						examples++
					}
				}
			}
		}
	}
	assert.Greater(t, examples, 20)
}

// TestOpenAPIAnswers: what the server answers validates against the
// document's schemas of those answers.
func TestOpenAPIAnswers(t *testing.T) {
	_, ts := fullServer(t, vcapi.Config{InsecureNoAuth: true})
	o := loadOpenAPI(t, vcapi.OpenAPI())
	tsrv := &testServer{Server: ts, did: testKey(t, 1).DID}
	schema := func(path, method, code, ctype string) string {
		return pointer("paths", path, method, "responses", code, "content", ctype, "schema")
	}
	issueReq := map[string]any{"credential": vc2(tsrv.did), "options": map[string]any{
		"credentialStatus": map[string]any{"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}}}
	o.validate(t, pointer("paths", "/credentials/issue", "post", "requestBody", "content", "application/json", "schema"), issueReq)
	r := tsrv.postJSON(t, "/credentials/issue", issueReq)
	require.Equal(t, 201, r.code)
	o.validate(t, schema("/credentials/issue", "post", "201", "application/json"), r.body)
	vc := r.body["verifiableCredential"].(map[string]any)

	r = tsrv.verify(t, vc)
	require.Equal(t, 200, r.code)
	o.validate(t, schema("/credentials/verify", "post", "200", "application/json"), r.body)

	upd := map[string]any{"credentialId": vc["id"], "credentialStatus": map[string]any{"type": "revocation"}}
	o.validate(t, pointer("paths", "/credentials/status", "post", "requestBody", "content", "application/json", "schema"), upd)
	r = tsrv.postJSON(t, "/credentials/status", upd)
	require.Equal(t, 200, r.code)
	o.validate(t, schema("/credentials/status", "post", "200", "application/json"), r.body)

	r = tsrv.verify(t, vc)
	require.Equal(t, 400, r.code)
	o.validate(t, schema("/credentials/verify", "post", "400", "application/problem+json"), r.body)
	r = tsrv.post(t, "/credentials/verify", "application/json", []byte(`{"verifiableCredential": 1}`))
	require.Equal(t, 400, r.code)
	o.validate(t, schema("/credentials/verify", "post", "400", "application/problem+json"), r.body)

	for _, get := range []struct{ url, path string }{
		{"/healthz", "/healthz"}, {"/readyz", "/readyz"}, {"/status/default-revocation", "/status/{list}"},
	} {
		resp, err := ts.Client().Get(ts.URL + get.url)
		require.NoError(t, err)
		var body any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
		resp.Body.Close()
		require.Equal(t, 200, resp.StatusCode, get.url)
		o.validate(t, schema(get.path, "get", "200", "application/json"), body)
	}
}
