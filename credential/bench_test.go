package credential

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func benchSample(b *testing.B) []byte {
	ref := referenceDir(b)
	data, err := os.ReadFile(filepath.Join(ref, "..", "bench", "ob3-sample.json"))
	if err != nil {
		b.Skip(err)
	}
	return data
}

func BenchmarkParse(b *testing.B) {
	data := benchSample(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidate(b *testing.B) {
	c, err := Parse(benchSample(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = c.Validate()
	}
}

func BenchmarkMarshal(b *testing.B) {
	c, err := Parse(benchSample(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(c); err != nil {
			b.Fatal(err)
		}
	}
}
