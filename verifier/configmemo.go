package verifier

import (
	"context"

	"github.com/microcred/openbadges/internal/flatmemo"
	"github.com/microcred/openbadges/jsonld"
)

// configMemo remembers the canonical form of the last proof configuration
// the Verifier's processor canonicalized (see package flatmemo). The
// processor is the Verifier's own, so the result cannot depend on anything
// else.
type configMemo struct {
	memo flatmemo.Memo
}

// canonicalize returns p's canonical N-Quads of doc, from the memo when doc
// is flat and the same as last time.
func (m *configMemo) canonicalize(ctx context.Context, p *jsonld.Processor, doc any) ([]byte, error) {
	d, ok := doc.(map[string]any)
	if !ok {
		return p.CanonicalizeValue(ctx, doc)
	}
	if out, hit := m.memo.Get(d); hit {
		return out, nil
	}
	out, err := p.CanonicalizeValue(ctx, doc)
	if err == nil {
		m.memo.Put(d, out)
	}
	return out, err
}
