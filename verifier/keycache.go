package verifier

import (
	"context"
	"crypto"
	"strings"
	"sync"

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
type keyCache struct {
	mu      sync.RWMutex
	entries map[keyCacheKey]cachedKey
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
		kc.mu.RLock()
		e, ok := kc.entries[k]
		kc.mu.RUnlock()
		if ok {
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
		kc.mu.Lock()
		if kc.entries == nil || len(kc.entries) >= maxCachedKeys {
			kc.entries = make(map[keyCacheKey]cachedKey)
		}
		kc.entries[k] = cachedKey{controller: vm.Controller, pub: pub}
		kc.mu.Unlock()
	}
	return vm.Controller, pub, nil
}
