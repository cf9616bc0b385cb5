package verifier

import (
	"time"

	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/jsonld"
)

// WithDefaults returns c with its defaulted fields that are zero set to
// their defaults: Resolver (did.DefaultResolver(): did:key and did:jwk,
// offline), Loader (jsonld.Embedded()), Now (time.Now), MaxClockSkew
// (DefaultMaxClockSkew) and MaxEndorsementDepth
// (DefaultMaxEndorsementDepth). New starts from it, and so do verifiers
// that work beside a Verifier (a presentation verifier, for the holder's
// key and proof), so that both default the same way. Invalid values (a
// negative MaxClockSkew) are kept, for New to refuse.
func (c Config) WithDefaults() Config {
	if c.Resolver == nil {
		c.Resolver = did.DefaultResolver()
	}
	if c.Loader == nil {
		c.Loader = jsonld.Embedded()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.MaxClockSkew == 0 {
		c.MaxClockSkew = DefaultMaxClockSkew
	}
	if c.MaxEndorsementDepth == 0 {
		c.MaxEndorsementDepth = DefaultMaxEndorsementDepth
	}
	return c
}
