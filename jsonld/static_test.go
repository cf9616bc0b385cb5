package jsonld

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestStaticLoader(t *testing.T) {
	src := []byte(`{"@context":{"x":"https://example.org/x"}}`)
	l, err := NewStaticLoader(map[string][]byte{"https://example.org/ctx": src})
	if err != nil {
		t.Fatal(err)
	}
	src[0] = 'X' // the loader keeps its own copy
	rd, err := l.LoadDocument(context.Background(), "https://example.org/ctx")
	if err != nil {
		t.Fatal(err)
	}
	if rd.DocumentURL != "https://example.org/ctx" || string(rd.Document) != `{"@context":{"x":"https://example.org/x"}}` {
		t.Errorf("got %q %q", rd.DocumentURL, rd.Document)
	}
	rd.DocumentURL = "mutated"
	rd2, _ := l.LoadDocument(context.Background(), "https://example.org/ctx")
	if rd2.DocumentURL != "https://example.org/ctx" {
		t.Error("returned struct is shared")
	}
	for _, u := range []string{"https://example.org/ctx/", "http://example.org/ctx", "https://example.org/ctx#a", "https://example.org/other"} {
		_, err := l.LoadDocument(context.Background(), u)
		if !errors.Is(err, ErrContextNotAllowed) || !strings.Contains(err.Error(), u) {
			t.Errorf("%q: got %v, want ErrContextNotAllowed naming it", u, err)
		}
	}
}

func TestStaticLoaderValidates(t *testing.T) {
	for name, docs := range map[string]map[string][]byte{
		"truncated": {"https://example.org/a": []byte(`{"@context":`)},
		"empty":     {"https://example.org/a": nil},
		"trailing":  {"https://example.org/a": []byte(`{} {}`)},
	} {
		_, err := NewStaticLoader(docs)
		if !errors.Is(err, ErrContextNotJSON) || !strings.Contains(err.Error(), "https://example.org/a") {
			t.Errorf("%s: got %v, want ErrContextNotJSON naming the URL", name, err)
		}
	}
	if _, err := NewStaticLoader(map[string][]byte{"": []byte(`{}`)}); err == nil {
		t.Error("empty URL accepted")
	}
	l, err := NewStaticLoader(nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.LoadDocument(context.Background(), "https://example.org/a"); !errors.Is(err, ErrContextNotAllowed) {
		t.Errorf("empty loader: %v", err)
	}
}
