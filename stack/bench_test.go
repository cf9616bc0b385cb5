package stack_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/internal/cpumeter"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/stack"
)

// BenchmarkEvaluate: verifying n components (eddsa-rdfc-2022, on every
// core) and judging a pathway of n achievements.
func BenchmarkEvaluate(b *testing.B) {
	for _, n := range []int{3, 30, 300, 1000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			p, comps := scaled(b, n)
			v := newVerifier(b)
			ctx := context.Background()
			m := cpumeter.Start()
			b.ResetTimer()
			for b.Loop() {
				prog, err := stack.Evaluate(ctx, p, comps, v)
				if err != nil || !prog.Met {
					b.Fatal(err, prog.Missing())
				}
			}
			m.Report(b)
		})
	}
}

// BenchmarkIssue: signing the certificate of n components (evidence and a
// relatedResource each), and with the CLR that holds them all.
func BenchmarkIssue(b *testing.B) {
	for _, withCLR := range []bool{false, true} {
		for _, n := range []int{3, 30, 300} {
			name := fmt.Sprintf("certificate/%d", n)
			if withCLR {
				name = fmt.Sprintf("certificate+clr/%d", n)
			}
			b.Run(name, func(b *testing.B) {
				p, comps := scaled(b, n)
				prog, err := stack.Evaluate(context.Background(), p, comps, newVerifier(b))
				require.NoError(b, err)
				is := newIssuer(b, 1, issuer.FormatDataIntegrity)
				ctx := context.Background()
				m := cpumeter.Start()
				b.ResetTimer()
				for b.Loop() {
					if _, err := stack.Issue(ctx, prog, is, stack.IssueOptions{CLR: withCLR}); err != nil {
						b.Fatal(err)
					}
				}
				m.Report(b)
			})
		}
	}
}
