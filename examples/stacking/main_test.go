package main

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	var out strings.Builder
	require.NoError(t, run(&out, func() time.Time { return time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) }))
	assert.Equal(t, `after Data Cleaning: complete false
  missing achievement https://college.example/courses/exploratory-analysis: missing
  missing achievement https://college.example/courses/visualisation: missing
  missing all 3 achievements: 1 met, 2 more needed, from: https://college.example/courses/exploratory-analysis, https://college.example/courses/visualisation
  missing at least 12 credits: 4 credits earned
after Exploratory Analysis: complete false
  missing achievement https://college.example/courses/visualisation: missing
  missing all 3 achievements: 2 met, 1 more needed, from: https://college.example/courses/visualisation
  missing at least 12 credits: 8 credits earned
after Visualisation: complete true
certificate verified: true (3 courses as evidence)
the courses are the ones counted: true
CLR verified: true (4 credentials in it verified)
`, out.String())
}
