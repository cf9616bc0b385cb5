package sqlstore_test

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/internal/storetest"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/status"
	"github.com/microcred/openbadges/status/sqlstore"
)

// benchN is the number of credentials each batch benchmark issues:
// OPENBADGES_BENCH_N, default 5,000 (BENCHMARKS.md records 100,000).
func benchN() int {
	if n, err := strconv.Atoi(os.Getenv("OPENBADGES_BENCH_N")); err == nil && n > 0 {
		return n
	}
	return 5000
}

// issueChunk is how many credentials go through IssueBatch, and into the
// database in one transaction, at a time.
const issueChunk = 1000

// issueWithRecords issues n OB 3.0 credentials with a revocation entry
// each, in chunks: allocate the chunk's entries in one statement, sign
// the chunk with IssueBatch on every core, store the chunk's records in
// one transaction (when store is a *sqlstore.Store).
func issueWithRecords(b *testing.B, store status.Store, n int) (storeTime time.Duration) {
	ctx := context.Background()
	priv := ed25519.NewKeyFromSeed(make([]byte, 32))
	mk, _ := did.EncodePublicKey(priv.Public())
	didKey := "did:key:" + mk
	is, err := issuer.New(issuer.Config{Signer: priv, VerificationMethod: didKey + "#" + mk})
	if err != nil {
		b.Fatal(err)
	}
	lists, _ := status.NewLists(status.ListsConfig{Store: store})
	ser, err := lists.NewSeries(ctx, status.ListConfig{ID: "https://issuer.example/status/rev", Issuer: didKey})
	if err != nil {
		b.Fatal(err)
	}
	root, _ := filepath.Abs("../..")
	sample, err := os.ReadFile(filepath.Join(root, "..", "shared", "bench", "ob3-sample.json"))
	if err != nil {
		b.Skipf("benchmark sample not available: %v", err)
	}
	var tmpl map[string]any
	if err := json.Unmarshal(sample, &tmpl); err != nil {
		b.Fatal(err)
	}
	tmpl["issuer"].(map[string]any)["id"] = didKey
	db, _ := store.(*sqlstore.Store)
	for start := 0; start < n; start += issueChunk {
		m := min(issueChunk, n-start)
		t0 := time.Now()
		entries, err := ser.AllocateN(ctx, m)
		storeTime += time.Since(t0)
		if err != nil {
			b.Fatal(err)
		}
		cs := make([]*credential.Credential, m)
		for i, e := range entries {
			tmpl["id"] = fmt.Sprintf("urn:example:%d", start+i)
			tmpl["credentialStatus"] = e
			data, _ := json.Marshal(tmpl)
			if cs[i], err = credential.Parse(data); err != nil {
				b.Fatal(err)
			}
		}
		out := is.IssueBatch(ctx, cs)
		recs := make([]sqlstore.Record, 0, m)
		for i, o := range out {
			if o.Err != nil {
				b.Fatal(o.Err)
			}
			recs = append(recs, sqlstore.Record{CredentialID: fmt.Sprintf("urn:example:%d", start+i), Issuer: didKey,
				SubjectID: "did:example:ebfeb1f712ebc6f1c276e12ec21", AchievementID: "https://example.edu/achievements/1",
				Entries: []sqlstore.Entry{{Purpose: status.PurposeRevocation, List: entries[i].ListCredential, Index: entries[i].Index}}})
		}
		if db != nil {
			t0 := time.Now()
			if err := db.AddRecords(ctx, recs); err != nil {
				b.Fatal(err)
			}
			storeTime += time.Since(t0)
		}
	}
	return storeTime
}

func benchIssue(b *testing.B, newStore func(t *testing.T) status.Store) {
	n := benchN()
	for b.Loop() {
		b.StopTimer()
		store := newStore(nil)
		b.StartTimer()
		start := time.Now()
		st := issueWithRecords(b, store, n)
		el := time.Since(start)
		b.ReportMetric(float64(n)/el.Seconds(), "credentials/s")
		b.ReportMetric(float64(st.Microseconds())/float64(n), "store-µs/credential")
	}
}

// BenchmarkIssueBatchMemory: the in-memory store, the baseline.
func BenchmarkIssueBatchMemory(b *testing.B) {
	benchIssue(b, func(*testing.T) status.Store { return status.NewMemoryStore() })
}

// BenchmarkIssueBatchSQLite: a SQLite file (WAL, synchronous FULL).
func BenchmarkIssueBatchSQLite(b *testing.B) {
	dir := b.TempDir()
	i := 0
	benchIssue(b, func(*testing.T) status.Store {
		i++
		s, err := sqlstore.Open(context.Background(), sqlstore.Config{DB: storetest.OpenSQLite(b, filepath.Join(dir, fmt.Sprintf("b%d.db", i))), Dialect: sqlstore.SQLite})
		if err != nil {
			b.Fatal(err)
		}
		return s
	})
}

// BenchmarkIssueBatchPostgres: the test PostgreSQL server.
func BenchmarkIssueBatchPostgres(b *testing.B) {
	benchIssue(b, func(*testing.T) status.Store {
		s, err := sqlstore.Open(context.Background(), sqlstore.Config{DB: storetest.OpenPostgres(b, storetest.PostgresSchema(b)), Dialect: sqlstore.Postgres})
		if err != nil {
			b.Fatal(err)
		}
		return s
	})
}
