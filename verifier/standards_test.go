package verifier_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/microcred/openbadges/verifier"
)

func TestStandards(t *testing.T) {
	p := func(conformance string) verifier.ProblemDetail {
		return verifier.ProblemDetail{Conformance: conformance}
	}
	for _, tc := range []struct {
		ps   []verifier.ProblemDetail
		want string
	}{
		{nil, "its specifications"},
		{[]verifier.ProblemDetail{p("")}, "its specifications"},
		{[]verifier.ProblemDetail{p(verifier.ConformanceOB3), p(verifier.ConformanceOB3)}, "Open Badges 3.0"},
		// Always in the same order, whatever the order of the problems.
		{[]verifier.ProblemDetail{p(verifier.ConformanceStatusList), p(""), p(verifier.ConformanceVCDM), p(verifier.ConformanceOB3)},
			"Open Badges 3.0 or the VC Data Model or the Bitstring Status List"},
		{[]verifier.ProblemDetail{p("clr"), p(verifier.ConformanceVCDM), p("clr")}, "the VC Data Model or clr"},
	} {
		assert.Equal(t, tc.want, verifier.Standards(tc.ps))
	}
}
