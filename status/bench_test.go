package status_test

import (
	"context"
	"testing"
	"time"

	"github.com/microcred/openbadges/status"
)

func BenchmarkAllocateMemory(b *testing.B) {
	ctx := context.Background()
	l := newLists(b, status.NewMemoryStore(), nil)
	must(b, l.Create(ctx, status.ListConfig{ID: listURL, Issuer: "did:example:i", Entries: 1 << 24}))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := l.Allocate(ctx, listURL); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeList(b *testing.B) {
	bs, _ := status.NewBitstring(status.MinEntries, 1)
	for i := uint64(0); i < status.MinEntries; i += 97 {
		bs.Set(i, 1, 1)
	}
	enc := bs.Encode()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := status.DecodeList(enc, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheck is one status check against a signed list in memory,
// including the list's eddsa-rdfc-2022 proof verification.
func BenchmarkCheck(b *testing.B) {
	ctx := context.Background()
	k := newTestKey(b, 3)
	l := newLists(b, status.NewMemoryStore(), k.signer(b))
	must(b, l.Create(ctx, status.ListConfig{ID: listURL, Issuer: k.did}))
	e, _ := l.Allocate(ctx, listURL)
	list, err := l.Publish(ctx, listURL)
	must(b, err)
	c, err := status.NewChecker(status.CheckerConfig{Fetcher: status.NewStaticFetcher(map[string][]byte{listURL: list}),
		VerifyList: listVerifier(b, didKeyResolver), Now: func() time.Time { return fixedNow }})
	must(b, err)
	doc := map[string]any{"issuer": k.did, "credentialStatus": entryMap(e)}
	b.ReportAllocs()
	for b.Loop() {
		if r := checkDoc(ctx, c, doc); r[0].Status != status.StatusOK {
			b.Fatal(r[0].Err)
		}
	}
}
