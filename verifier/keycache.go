package verifier

import (
	"context"
	"crypto"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/microcred/openbadges/did"
)

// maxCachedKeys bounds the did:key verification methods a Verifier
// remembers; when full, the cache starts over (did:key resolution is pure
// computation, so a miss only costs a few microseconds).
const maxCachedKeys = 1024

// keyCache remembers resolved did:key verification methods. A did:key
// document is derived from the identifier alone (no I/O, no state), so the
// result for a given URL and relationship never changes; only the default
// resolver's did:key results are cached, since a caller's resolver may
// treat did:key differently.
//
// Every verification reads the cache, from every core, and after warm-up
// nothing is added: a sync.Map, whose reads of settled entries write
// nothing shared (a read lock would move its cache line between the cores
// on every call).
type keyCache struct {
	entries sync.Map // keyCacheKey → cachedKey
	n       atomic.Int64
}

type keyCacheKey struct{ purpose, vmURL string }

type cachedKey struct {
	controller string
	pub        crypto.PublicKey
}

// resolve returns the controller and public key of the verification method
// vmURL for purpose, from the cache or from r.
func (kc *keyCache) resolve(ctx context.Context, r did.Resolver, vmURL, purpose string) (string, crypto.PublicKey, error) {
	cacheable := kc != nil && strings.HasPrefix(vmURL, "did:key:")
	k := keyCacheKey{purpose, vmURL}
	if cacheable {
		if e, ok := kc.entries.Load(k); ok {
			e := e.(cachedKey)
			return e.controller, e.pub, nil
		}
	}
	vm, _, err := did.ResolveVerificationMethod(ctx, r, vmURL, did.Relationship(purpose))
	if err != nil {
		return "", nil, err
	}
	pub, err := vm.PublicKey()
	if err != nil {
		return "", nil, err
	}
	if cacheable {
		// The URL (and the controller, part of it) may be a substring of
		// a document: do not let the cache keep the document alive.
		k.vmURL = strings.Clone(k.vmURL)
		e := cachedKey{controller: strings.Clone(vm.Controller), pub: pub}
		if _, loaded := kc.entries.LoadOrStore(k, e); !loaded && kc.n.Add(1) > maxCachedKeys {
			kc.entries.Clear()
			kc.n.Store(0)
		}
	}
	return vm.Controller, pub, nil
}
