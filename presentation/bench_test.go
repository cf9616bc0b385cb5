package presentation_test

import (
	"context"
	"testing"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/presentation"
)

// BenchmarkPresent signs a presentation of three badges (eddsa-rdfc-2022).
func BenchmarkPresent(b *testing.B) {
	creds := benchCreds(b)
	h := newHolder(b, holderSeed, nil)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.Present(context.Background(), creds, bindOpts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify verifies that presentation: its proof and the three
// badges inside.
func BenchmarkVerify(b *testing.B) {
	for _, suite := range []dataintegrity.SuiteName{dataintegrity.SuiteEdDSARDFC2022, dataintegrity.SuiteEdDSAJCS2022} {
		b.Run(string(suite), func(b *testing.B) {
			h := newHolder(b, holderSeed, func(c *presentation.HolderConfig) { c.Suite = suite })
			vp := present(b, h, bindOpts, benchCreds(b)...)
			v := newVerifier(b, nil)
			b.SetBytes(int64(len(vp)))
			b.ReportAllocs()
			for b.Loop() {
				r, err := v.Verify(context.Background(), vp, expectOpts)
				if err != nil || !r.Verified {
					b.Fatal(err, r.Summary())
				}
			}
		})
	}
}

func benchCreds(b *testing.B) [][]byte {
	hd := holderDID()
	return [][]byte{
		badge(b, "urn:uuid:00000000-0000-4000-8000-000000000001", hd, dataintegrity.SuiteEdDSARDFC2022),
		badge(b, "urn:uuid:00000000-0000-4000-8000-000000000002", hd, dataintegrity.SuiteEdDSAJCS2022),
		badge(b, "urn:uuid:00000000-0000-4000-8000-000000000003", hd, "jwt"),
	}
}
