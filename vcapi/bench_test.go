//go:build !js

package vcapi_test

import (
	"context"
	"database/sql"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/microcred/openbadges/internal/storetest"
	"github.com/microcred/openbadges/status"
	"github.com/microcred/openbadges/status/sqlstore"
	"github.com/microcred/openbadges/vcapi"
)

const benchList = "https://status.example/status/default-revocation"

// benchStores are the stores the publication benchmarks run on: memory,
// SQLite (a file) and PostgreSQL (when OPENBADGES_TEST_POSTGRES is set).
var benchStores = []struct {
	name string
	open func(b *testing.B) status.Store
}{
	{"memory", func(b *testing.B) status.Store { return status.NewMemoryStore() }},
	{"sqlite", func(b *testing.B) status.Store {
		return openBenchStore(b, storetest.OpenSQLite(b, storetest.SQLitePath(b)), sqlstore.SQLite)
	}},
	{"postgres", func(b *testing.B) status.Store {
		return openBenchStore(b, storetest.OpenPostgres(b, storetest.PostgresSchema(b)), sqlstore.Postgres)
	}},
}

func openBenchStore(b *testing.B, db *sql.DB, dialect sqlstore.Dialect) *sqlstore.Store {
	s, err := sqlstore.Open(context.Background(), sqlstore.Config{DB: db, Dialect: dialect})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// benchServer is a server whose default revocation list (131,072
// entries) holds one credential's entry.
func benchServer(b *testing.B, store status.Store) *vcapi.Server {
	k := testKey(b, 3)
	s, err := vcapi.New(context.Background(), vcapi.Config{InsecureNoAuth: true,
		Issuers: []vcapi.IssuerConfig{issuerConfig(k, "")}, StatusStore: store, BaseURL: "https://status.example",
	})
	if err != nil {
		b.Fatal(err)
	}
	ts := &testServer{Server: httptest.NewServer(s), did: k.DID}
	defer ts.Close()
	vc := ts.issue(b, "/credentials/issue", vc2(k.DID), map[string]any{"credentialStatus": map[string]any{"type": "BitstringStatusListEntry"}})
	if _, ok := vc["credentialStatus"].(map[string]any); !ok {
		b.Fatalf("no credentialStatus: %v", vc)
	}
	return s
}

func getStatus(b *testing.B, s http.Handler, etag string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, "/status/default-revocation", nil)
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	return w
}

// BenchmarkStatusListPublish: one entry of the 131,072-entry list is
// revoked straight in the store (not timed), then the GET that follows
// signs the list again: the version check, the load of the list, its
// compression and signing, the cache, and on a database store the write
// of the shared publication. One signing per op.
func BenchmarkStatusListPublish(b *testing.B) {
	for _, bs := range benchStores {
		b.Run(bs.name, func(b *testing.B) {
			store := bs.open(b)
			s := benchServer(b, store)
			ctx := context.Background()
			b.ResetTimer()
			for i := range b.N {
				// A revocation is not reversible: a new entry each time.
				b.StopTimer()
				if err := store.SetStatus(ctx, benchList, uint64(status.MinEntries-1-i%status.MinEntries), 1); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if w := getStatus(b, s, ""); w.Code != http.StatusOK {
					b.Fatalf("GET: %d %s", w.Code, w.Body)
				}
			}
		})
	}
}

// BenchmarkStatusListNotModified: clients revalidating the unchanged list
// with If-None-Match, on every core, answered 304 from the cache (on a
// database store after one version query each). Reports requests/s.
func BenchmarkStatusListNotModified(b *testing.B) {
	for _, bs := range benchStores {
		b.Run(bs.name, func(b *testing.B) {
			s := benchServer(b, bs.open(b))
			w := getStatus(b, s, "")
			etag := w.Header().Get("ETag")
			if w.Code != http.StatusOK || etag == "" {
				b.Fatalf("GET: %d %q", w.Code, etag)
			}
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if w := getStatus(b, s, etag); w.Code != http.StatusNotModified {
						b.Errorf("GET If-None-Match: %d", w.Code)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "requests/s")
		})
	}
}
