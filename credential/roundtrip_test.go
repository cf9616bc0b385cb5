package credential

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
)

// TestRoundTripVectors parses every example credential and checks that
// marshalling it gives the same JSON value.
func TestRoundTripVectors(t *testing.T) {
	dir, names := exampleCredentials(t)
	sort.Strings(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			c, err := Parse(data)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			out, err := json.Marshal(c)
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			var want, got any
			if err := json.Unmarshal(data, &want); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("output is not JSON: %v", err)
			}
			if !reflect.DeepEqual(want, got) {
				t.Errorf("round trip changed the JSON value\n in: %s\nout: %s", data, out)
			}
		})
	}
}
