package jsonld

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/internal/strictjson"
)

// A tree parsed under other limits (the library's packages hand jsonld the
// tree they parsed) is held to the processor's nesting bound and number
// rules in one walk.
func TestTreeInputChecked(t *testing.T) {
	p := embeddedProcessor(t)
	parse := func(s string) strictjson.Value {
		v, err := strictjson.Parse(s, strictjson.Options{MaxDepth: strictjson.HardMaxDepth})
		require.NoError(t, err)
		return v
	}
	nested := func(n int) string {
		return `{"@context": {"@vocab": "https://example.org/"}, "@id": "https://example.org/x", "n": ` +
			strings.Repeat("[", n-1) + "1" + strings.Repeat("]", n-1) + `}`
	}

	_, err := fromGo(parse(nested(8)), 8)
	assert.NoError(t, err, "8 levels (the object and 7 arrays) within a bound of 8")
	_, err = fromGo(parse(nested(9)), 8)
	assert.ErrorIs(t, err, ErrLimitExceeded, "9 levels beyond a bound of 8")

	doc := `{"@context": {"@vocab": "https://example.org/"}, "@id": "https://example.org/x", "n": [[9007199254740993]]}`
	_, err = p.CanonicalizeValue(context.Background(), parse(doc))
	assert.ErrorIs(t, err, ErrLossyNumber)
}
