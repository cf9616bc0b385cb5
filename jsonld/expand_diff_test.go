package jsonld

import (
	"context"
	"encoding/json"
	"reflect"
	"sort"
	"testing"

	"github.com/piprate/json-gold/ld"
)

// TestExpandAgainstJSONGold compares Processor.Expand with json-gold's Expand
// on the vectors (after a JSON round trip of both, so that number and
// container types agree).
func TestExpandAgainstJSONGold(t *testing.T) {
	docs := vectorDocs(t)
	for i, s := range fuzzSeeds {
		docs["seed"+itoa(i)] = []byte(s)
	}
	loader := referenceLoader(t)
	p, _ := NewProcessor(Config{Loader: loader})
	names := make([]string, 0, len(docs))
	for n := range docs {
		names = append(names, n)
	}
	sort.Strings(names)
	compared := 0
	for _, name := range names {
		var v any
		if err := json.Unmarshal(docs[name], &v); err != nil {
			t.Fatal(err)
		}
		ours, err := p.Expand(context.Background(), v)
		if err != nil {
			continue
		}
		opts := goldOptions(loader)
		var v2 any
		_ = json.Unmarshal(docs[name], &v2)
		gold, err := ld.NewJsonLdProcessor().Expand(v2, opts)
		if err != nil {
			t.Errorf("%s: json-gold expand: %v", name, err)
			continue
		}
		if !reflect.DeepEqual(roundTrip(t, ours), roundTrip(t, gold)) {
			a, _ := json.MarshalIndent(ours, "", " ")
			b, _ := json.MarshalIndent(gold, "", " ")
			t.Errorf("%s: expanded forms differ: %s", name, firstDiff(string(a), string(b)))
			continue
		}
		compared++
	}
	t.Logf("%d expanded forms equal", compared)
}

func roundTrip(t *testing.T, v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}
