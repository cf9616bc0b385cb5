package attacks

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/vcjwt"
	"github.com/microcred/openbadges/verifier"
)

// vectorSeeds returns the real badges and credentials of the shared
// reference vectors (JSON, VC-JWT, baked PNG and SVG), read at test time;
// none when the reference is absent.
func vectorSeeds(tb testing.TB) [][]byte {
	root := filepath.Join(repoRoot(tb), "..", "shared", "reference", "vectors")
	if _, err := os.Stat(root); err != nil {
		return nil
	}
	var seeds [][]byte
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Base(path) == "INDEX.json" {
			return nil
		}
		switch strings.ToLower(filepath.Ext(path)) {
		case ".json", ".jwt", ".png", ".svg", ".1ob":
		default:
			return nil
		}
		if info, err := d.Info(); err != nil || info.Size() > 256<<10 {
			return nil
		}
		if b, err := os.ReadFile(path); err == nil {
			seeds = append(seeds, b)
		}
		return nil
	})
	return seeds
}

// FuzzVerifyEndToEnd feeds arbitrary bytes to verifier.Verify, seeded with
// the real badges of the reference vectors, badges signed here with every
// suite and as a VC-JWT, and hostile variants from the catalogue. Verify
// must never panic or return an error for a live context, and must never
// call verified a result with errors or without a passed proof
// (catalogue #85).
func FuzzVerifyEndToEnd(f *testing.F) {
	for _, s := range vectorSeeds(f) {
		f.Add(s)
	}
	fx := &fixture{}
	fx.priv1, fx.d1, fx.vm1 = testKey(1)
	fx.priv2, fx.d2, fx.vm2 = testKey(2)
	for _, suite := range allSuites {
		f.Add(sign(f, 1, suite, nil))
	}
	fx.good = sign(f, 1, dataintegrity.SuiteEdDSARDFC2022, nil)
	f.Add(editJSON(f, fx.good, setSubject("undefinedTerm", "x")))
	f.Add(editJSON(f, fx.good, func(m map[string]any) { m["proof"] = []any{m["proof"], m["proof"]} }))
	f.Add(editJSON(f, fx.good, setProof("previousProof", "urn:x")))
	tok, err := vcjwt.Sign(context.Background(), sample(f, fx.d1), fx.priv1, vcjwt.SignOptions{KeyID: fx.vm1})
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(tok))
	tok, err = vcjwt.Sign(context.Background(), sample(f, fx.d1), fx.priv1, vcjwt.SignOptions{EmbedJWK: true})
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(tok))
	f.Add([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2",{"@vocab":"https://e/"}],"type":"VerifiableCredential","proof":{"type":"DataIntegrityProof"}}`))
	f.Add([]byte(`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]`))
	f.Add([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x00IEND\xaeB`\x82"))
	f.Add([]byte(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential>{}</openbadges:credential></svg>`))

	v := newVerifier(f, func(c *verifier.Config) {
		c.Suites = append(append([]dataintegrity.SuiteName{}, allSuites...), dataintegrity.SuiteEdDSA2022)
		c.Algorithms = []vcjwt.Algorithm{vcjwt.EdDSA, vcjwt.RS256, vcjwt.ES256}
	})
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := v.Verify(context.Background(), data)
		if err != nil {
			t.Fatalf("error for a live context: %v", err)
		}
		if r == nil {
			t.Fatal("nil result")
		}
		if !r.Verified {
			if len(r.Errors) == 0 {
				t.Fatalf("not verified without an error: %+v", r.Checks)
			}
			return
		}
		if len(r.Errors) > 0 {
			t.Fatalf("verified with errors: %s", r.Summary())
		}
		passed := false
		for _, c := range r.Checks {
			if c.Name == "proof" && c.Outcome == verifier.Passed {
				passed = true
			}
			if c.Outcome == verifier.Failed {
				t.Fatalf("verified with a failed check: %+v", c)
			}
		}
		if !passed {
			t.Fatalf("verified without a passed proof: %+v", r.Checks)
		}
	})
}
