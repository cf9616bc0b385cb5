package verifier

import (
	"context"
	"crypto/ed25519"
	"sync"
	"testing"

	"github.com/microcred/openbadges/did"
)

// countingResolver counts resolutions and delegates to did's default.
type countingResolver struct {
	mu    sync.Mutex
	calls int
}

func (c *countingResolver) Resolve(ctx context.Context, id string) (*did.Document, error) {
	c.mu.Lock()
	c.calls++
	c.mu.Unlock()
	return did.DefaultResolver().Resolve(ctx, id)
}

func keyURL(t *testing.T, n int) (string, ed25519.PublicKey) {
	t.Helper()
	seed := make([]byte, 32)
	seed[0], seed[1] = byte(n), byte(n>>8)
	priv := ed25519.NewKeyFromSeed(seed)
	_, vm, err := did.NewKeyDID(priv.Public())
	if err != nil {
		t.Fatal(err)
	}
	return vm, priv.Public().(ed25519.PublicKey)
}

// TestKeyCache checks that a did:key verification method is resolved once
// per relationship, that the key is right, that errors and other methods
// are not cached, and that the cache stays bounded.
func TestKeyCache(t *testing.T) {
	ctx := context.Background()
	r := &countingResolver{}
	kc := new(keyCache)
	vm, pub := keyURL(t, 1)
	for range 3 {
		controller, got, err := kc.resolve(ctx, r, vm, "assertionMethod")
		if err != nil {
			t.Fatal(err)
		}
		if !pub.Equal(got) || controller+"#"+vm[len(controller)+1:] != vm {
			t.Fatalf("wrong key or controller %q", controller)
		}
	}
	if r.calls != 1 {
		t.Fatalf("%d resolutions, want 1", r.calls)
	}
	if _, _, err := kc.resolve(ctx, r, vm, "authentication"); err != nil {
		t.Fatal(err)
	}
	if r.calls != 2 {
		t.Fatalf("another relationship: %d resolutions, want 2", r.calls)
	}
	// A method the document does not list fails, every time.
	for range 2 {
		if _, _, err := kc.resolve(ctx, r, vm+"x", "assertionMethod"); err == nil {
			t.Fatal("unknown fragment resolved")
		}
	}
	if r.calls != 4 {
		t.Fatalf("failures were cached: %d resolutions, want 4", r.calls)
	}
	// A nil cache (a caller's resolver) resolves every time.
	var none *keyCache
	if _, _, err := none.resolve(ctx, r, vm, "assertionMethod"); err != nil || r.calls != 5 {
		t.Fatalf("nil cache: %v, %d resolutions", err, r.calls)
	}
	// Bounded.
	for i := range maxCachedKeys + 5 {
		v, _ := keyURL(t, 1000+i)
		if _, _, err := kc.resolve(ctx, r, v, "assertionMethod"); err != nil {
			t.Fatal(err)
		}
		n := 0
		for range kc.entries.Range {
			n++
		}
		if n > maxCachedKeys {
			t.Fatalf("%d cached keys, limit %d", n, maxCachedKeys)
		}
	}
}

// TestKeyCacheConcurrent resolves from many goroutines (run with -race).
func TestKeyCacheConcurrent(t *testing.T) {
	kc := new(keyCache)
	r := &countingResolver{}
	type key struct {
		vm  string
		pub ed25519.PublicKey
	}
	keys := make([]key, 40)
	for i := range keys {
		keys[i].vm, keys[i].pub = keyURL(t, i)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				k := keys[(g*50+i)%len(keys)]
				_, got, err := kc.resolve(context.Background(), r, k.vm, "assertionMethod")
				if err != nil || !k.pub.Equal(got) {
					t.Errorf("resolve: %v", err)
					return
				}
			}
		}()
	}
	wg.Wait()
}
