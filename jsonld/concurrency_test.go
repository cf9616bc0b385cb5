package jsonld

import (
	"context"
	"fmt"
	"sync"
	"testing"
)

// TestConcurrentProcessor shares one cold Processor between goroutines that
// canonicalize different documents, so the context caches fill under
// contention. Run with -race. Every result must equal the one computed
// alone.
func TestConcurrentProcessor(t *testing.T) {
	docs := [][]byte{benchSample(t)}
	for _, s := range fuzzSeeds {
		docs = append(docs, []byte(s))
	}
	want := make([]string, len(docs))
	wantErr := make([]string, len(docs))
	ref, _ := NewProcessor(Config{})
	for i, d := range docs {
		out, err := ref.Canonicalize(context.Background(), d)
		want[i], wantErr[i] = string(out), fmt.Sprint(err)
	}
	shared, _ := NewProcessor(Config{MaxCachedContexts: 64}) // small: evictions happen too
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for n := 0; n < 20; n++ {
				i := (g*7 + n) % len(docs)
				out, err := shared.Canonicalize(context.Background(), docs[i])
				if string(out) != want[i] || fmt.Sprint(err) != wantErr[i] {
					errs <- fmt.Errorf("doc %d: got %v / %q", i, err, out)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
