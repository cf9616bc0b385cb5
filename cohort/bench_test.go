package cohort_test

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

	"github.com/microcred/openbadges/cohort"
	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/internal/cpumeter"
	"github.com/microcred/openbadges/internal/storetest"
	"github.com/microcred/openbadges/internal/testref"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/status"
	"github.com/microcred/openbadges/status/sqlstore"
)

// benchN is the number of credentials each benchmark issues:
// OPENBADGES_BENCH_N, default 5,000 (BENCHMARKS.md records 100,000).
func benchN() int {
	if n, err := strconv.Atoi(os.Getenv("OPENBADGES_BENCH_N")); err == nil && n > 0 {
		return n
	}
	return 5000
}

// benchIssue issues n copies of the shared OB 3.0 sample (each with its
// own id) with a revocation entry each through cohort.Issue, with a fresh
// store from newStore each time, and records when the store keeps them.
func benchIssue(b *testing.B, newStore func() status.Store) {
	ctx := context.Background()
	n := benchN()
	priv := ed25519.NewKeyFromSeed(make([]byte, 32))
	didKey, vm, err := did.NewKeyDID(priv.Public())
	if err != nil {
		b.Fatal(err)
	}
	is, err := issuer.New(issuer.Config{Signer: priv, VerificationMethod: vm})
	if err != nil {
		b.Fatal(err)
	}
	sample, err := os.ReadFile(filepath.Join(testref.Shared(b), "bench", "ob3-sample.json"))
	if err != nil {
		b.Skipf("benchmark sample not available: %v", err)
	}
	var doc map[string]any
	if err := json.Unmarshal(sample, &doc); err != nil {
		b.Fatal(err)
	}
	doc["issuer"].(map[string]any)["id"] = didKey
	sample, _ = json.Marshal(doc)
	base, err := credential.Parse(sample)
	if err != nil {
		b.Fatal(err)
	}
	var cpu time.Duration // the process's CPU time while timed
	for b.Loop() {
		b.StopTimer()
		store := newStore()
		lists, _ := status.NewLists(status.ListsConfig{Store: store})
		series, err := lists.NewSeries(ctx, status.ListConfig{ID: "https://issuer.example/status/rev", Issuer: didKey})
		if err != nil {
			b.Fatal(err)
		}
		cfg := cohort.Config{Issuer: is, Status: []*status.Series{series}}
		if s, ok := store.(*sqlstore.Store); ok {
			cfg.Records = s
		}
		b.StartTimer()
		m := cpumeter.Start()
		// A registrar's cohort: the same badge for n learners.
		cs := make([]*credential.Credential, n)
		for i := range cs {
			c := *base
			c.ID = "urn:example:" + strconv.Itoa(i)
			cs[i] = &c
		}
		issued := 0
		err = cohort.Issue(ctx, cfg, cs, func(chunk []cohort.Issued) error {
			for _, o := range chunk {
				if o.Err != nil {
					return o.Err
				}
			}
			issued += len(chunk)
			return nil
		})
		cpu += m.Elapsed()
		if err != nil || issued != n {
			b.Fatalf("%d of %d issued: %v", issued, n, err)
		}
	}
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "credentials/s")
	if cpu > 0 {
		// In this process only: a PostgreSQL server's work is not counted.
		b.ReportMetric(float64(cpu.Microseconds())/float64(b.N*n), "cpu-µs/credential")
	}
}

// BenchmarkIssueMemory: the in-memory store, the baseline.
func BenchmarkIssueMemory(b *testing.B) {
	benchIssue(b, func() status.Store { return status.NewMemoryStore() })
}

// BenchmarkIssueSQLite: a SQLite file (WAL, synchronous FULL), with records.
func BenchmarkIssueSQLite(b *testing.B) {
	dir := b.TempDir()
	i := 0
	benchIssue(b, func() status.Store {
		i++
		s, err := sqlstore.Open(context.Background(), sqlstore.Config{DB: storetest.OpenSQLite(b, filepath.Join(dir, fmt.Sprintf("b%d.db", i))), Dialect: sqlstore.SQLite})
		if err != nil {
			b.Fatal(err)
		}
		return s
	})
}

// BenchmarkIssuePostgres: the test PostgreSQL server, with records.
func BenchmarkIssuePostgres(b *testing.B) {
	benchIssue(b, func() status.Store {
		s, err := sqlstore.Open(context.Background(), sqlstore.Config{DB: storetest.OpenPostgres(b, storetest.PostgresSchema(b)), Dialect: sqlstore.Postgres})
		if err != nil {
			b.Fatal(err)
		}
		return s
	})
}

// benchRecords measures the database's share of issuing a cohort alone:
// n credentials' entries allocated and their records stored, a chunk of
// DefaultChunkSize at a time, without signing (nor overlap).
func benchRecords(b *testing.B, open func() *sqlstore.Store) {
	ctx := context.Background()
	n := benchN()
	for b.Loop() {
		b.StopTimer()
		store := open()
		lists, _ := status.NewLists(status.ListsConfig{Store: store})
		ser, err := lists.NewSeries(ctx, status.ListConfig{ID: "https://issuer.example/status/rev", Issuer: "did:example:issuer"})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for start := 0; start < n; start += cohort.DefaultChunkSize {
			m := min(cohort.DefaultChunkSize, n-start)
			entries, err := ser.AllocateN(ctx, m)
			if err != nil {
				b.Fatal(err)
			}
			recs := make([]sqlstore.Record, m)
			for i, e := range entries {
				recs[i] = sqlstore.Record{CredentialID: fmt.Sprintf("urn:example:%d", start+i), Issuer: "did:example:issuer",
					SubjectID: fmt.Sprintf("did:example:learner%d", start+i), AchievementID: "https://example.edu/achievements/1",
					Entries: []sqlstore.Entry{{Purpose: e.Purpose, List: e.ListCredential, Index: e.Index}}}
			}
			if err := store.AddRecords(ctx, recs); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*n), "µs/credential")
}

// BenchmarkRecordsSQLite: a SQLite file (WAL, synchronous FULL).
func BenchmarkRecordsSQLite(b *testing.B) {
	dir := b.TempDir()
	i := 0
	benchRecords(b, func() *sqlstore.Store {
		i++
		s, err := sqlstore.Open(context.Background(), sqlstore.Config{DB: storetest.OpenSQLite(b, filepath.Join(dir, fmt.Sprintf("r%d.db", i))), Dialect: sqlstore.SQLite})
		if err != nil {
			b.Fatal(err)
		}
		return s
	})
}

// BenchmarkRecordsPostgres: the test PostgreSQL server.
func BenchmarkRecordsPostgres(b *testing.B) {
	benchRecords(b, func() *sqlstore.Store {
		s, err := sqlstore.Open(context.Background(), sqlstore.Config{DB: storetest.OpenPostgres(b, storetest.PostgresSchema(b)), Dialect: sqlstore.Postgres})
		if err != nil {
			b.Fatal(err)
		}
		return s
	})
}
