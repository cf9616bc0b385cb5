package verifier

import (
	"context"
	"slices"
	"strconv"
	"sync/atomic"

	"github.com/microcred/openbadges/jsonld"
)

// configMemo remembers the canonical form of the last flat document (an
// object whose members are strings or lists of strings: a proof
// configuration) the Verifier's processor canonicalized. Credentials of a
// cohort are signed with the same proof configuration (same key, same
// context, created to the second), so verifying them one after another
// canonicalizes it once. The key is the whole document, so a hit is exact;
// the processor is the Verifier's own, so the result cannot depend on
// anything else.
type configMemo struct {
	last atomic.Pointer[configEntry]
}

type configEntry struct {
	key       string
	canonical []byte
}

// canonicalize returns p's canonical N-Quads of doc, from the memo when doc
// is flat and the same as last time.
func (m *configMemo) canonicalize(ctx context.Context, p *jsonld.Processor, doc any) ([]byte, error) {
	d, ok := doc.(map[string]any)
	if !ok {
		return p.CanonicalizeValue(ctx, doc)
	}
	key, ok := flatKey(d)
	if !ok {
		return p.CanonicalizeValue(ctx, doc)
	}
	if e := m.last.Load(); e != nil && e.key == key {
		return e.canonical, nil
	}
	out, err := p.CanonicalizeValue(ctx, doc)
	if err == nil {
		m.last.Store(&configEntry{key: key, canonical: out})
	}
	return out, err
}

// flatKey serializes an object whose values are strings or lists of strings
// unambiguously (every string length-prefixed, names sorted), or reports
// false for any other object.
func flatKey(m map[string]any) (string, bool) {
	var small [8]string
	keys := small[:0]
	size := 0
	for k, v := range m {
		keys = append(keys, k)
		size += len(k) + 8
		switch v := v.(type) {
		case string:
			size += len(v) + 4
		case []any:
			for _, e := range v {
				s, ok := e.(string)
				if !ok {
					return "", false
				}
				size += len(s) + 4
			}
		default:
			return "", false
		}
	}
	slices.Sort(keys)
	b := make([]byte, 0, size)
	str := func(s string) {
		b = strconv.AppendInt(b, int64(len(s)), 10)
		b = append(b, ':')
		b = append(b, s...)
	}
	for _, k := range keys {
		str(k)
		switch v := m[k].(type) {
		case string:
			b = append(b, '=')
			str(v)
		case []any:
			b = append(b, '[')
			for _, e := range v {
				str(e.(string))
			}
			b = append(b, ']')
		}
	}
	return string(b), true
}
