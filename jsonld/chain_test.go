package jsonld

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
)

// funcLoader adapts a function to DocumentLoader and counts calls.
type funcLoader struct {
	calls atomic.Int64
	f     func(url string) (*RemoteDocument, error)
}

func (l *funcLoader) LoadDocument(_ context.Context, url string) (*RemoteDocument, error) {
	l.calls.Add(1)
	return l.f(url)
}

func TestChainFallsThroughOnlyOnNotAllowed(t *testing.T) {
	ctx := context.Background()
	boom := errors.New("boom")
	failing := &funcLoader{f: func(url string) (*RemoteDocument, error) {
		if url == "https://example.org/broken" {
			return nil, fmt.Errorf("%w: %s", ErrDigestMismatch, url)
		}
		if url == "https://example.org/boom" {
			return nil, boom
		}
		return nil, fmt.Errorf("%w: %s", ErrContextNotAllowed, url)
	}}
	static, err := NewStaticLoader(map[string][]byte{
		"https://example.org/mine":   []byte(`{"@context":{}}`),
		"https://example.org/broken": []byte(`{"@context":{"shadow":"x"}}`),
		"https://example.org/boom":   []byte(`{"@context":{}}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	c := Chain(failing, nil, Embedded(), static)

	// Declined by the first two, served by the static loader.
	rd, err := c.LoadDocument(ctx, "https://example.org/mine")
	if err != nil || rd.DocumentURL != "https://example.org/mine" {
		t.Fatalf("mine: %v %v", rd, err)
	}
	// Served by Embedded.
	if _, err := c.LoadDocument(ctx, "https://www.w3.org/ns/credentials/v2"); err != nil {
		t.Fatalf("embedded: %v", err)
	}
	// A real failure stops the chain: the static copy is not used instead.
	if _, err := c.LoadDocument(ctx, "https://example.org/broken"); !errors.Is(err, ErrDigestMismatch) {
		t.Errorf("broken: got %v, want ErrDigestMismatch", err)
	}
	if _, err := c.LoadDocument(ctx, "https://example.org/boom"); !errors.Is(err, boom) {
		t.Errorf("boom: got %v", err)
	}
	// Nobody serves it.
	_, err = c.LoadDocument(ctx, "https://example.org/nobody")
	if !errors.Is(err, ErrContextNotAllowed) || !strings.Contains(err.Error(), "https://example.org/nobody") {
		t.Errorf("nobody: got %v", err)
	}
	if n := failing.calls.Load(); n != 5 {
		t.Errorf("first loader called %d times, want 5", n)
	}
}

func TestChainEdgeCases(t *testing.T) {
	ctx := context.Background()
	if _, err := Chain().LoadDocument(ctx, "https://www.w3.org/ns/credentials/v2"); !errors.Is(err, ErrContextNotAllowed) {
		t.Errorf("empty chain: %v", err)
	}
	nilDoc := &funcLoader{f: func(string) (*RemoteDocument, error) { return nil, nil }}
	if rd, err := Chain(nilDoc).LoadDocument(ctx, "https://example.org/x"); err == nil || rd != nil {
		t.Errorf("loader returning (nil, nil): got %v %v, want an error", rd, err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	second := &funcLoader{f: func(string) (*RemoteDocument, error) { return &RemoteDocument{}, nil }}
	if _, err := Chain(Embedded(), second).LoadDocument(cctx, "https://example.org/x"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled ctx: %v", err)
	}
	if second.calls.Load() != 0 {
		t.Error("cancelled ctx still reached a loader")
	}
}

func ExampleEmbedded() {
	l := Embedded()
	rd, err := l.LoadDocument(context.Background(), "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json")
	fmt.Println(rd.DocumentURL, err)

	_, err = l.LoadDocument(context.Background(), "https://example.com/evil-context")
	fmt.Println(errors.Is(err, ErrContextNotAllowed))

	for _, c := range EmbeddedContexts() {
		if c.URL == "https://www.w3.org/2018/credentials/v1" {
			fmt.Println(c.SHA256)
		}
	}
	// Output:
	// https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json <nil>
	// true
	// ab4ddd9a531758807a79a5b450510d61ae8d147eab966cc9a200c07095b0cdcc
}

func ExampleChain() {
	// The caller's own context first, then the pinned ones. Nothing here
	// touches the network.
	mine, err := NewStaticLoader(map[string][]byte{
		"https://example.edu/contexts/badge-extras/v1": []byte(`{"@context":{"campus":"https://example.edu/vocab#campus"}}`),
	})
	if err != nil {
		panic(err)
	}
	loader := Chain(mine, Embedded())

	for _, url := range []string{
		"https://example.edu/contexts/badge-extras/v1",
		"https://www.w3.org/ns/credentials/v2",
		"https://example.com/unknown",
	} {
		_, err := loader.LoadDocument(context.Background(), url)
		fmt.Println(url, err == nil, errors.Is(err, ErrContextNotAllowed))
	}
	// Output:
	// https://example.edu/contexts/badge-extras/v1 true false
	// https://www.w3.org/ns/credentials/v2 true false
	// https://example.com/unknown false true
}
