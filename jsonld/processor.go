package jsonld

import (
	"context"
	"errors"
)

// Config configures a Processor. The zero value is safe: embedded contexts
// only, safe mode, RDFC-1.0 with SHA-256 and the default work limit.
type Config struct {
	// Loader serves contexts. Nil means Embedded(): the pinned contexts only.
	Loader DocumentLoader
	// MaxCanonicalizationWork bounds RDFC-1.0's work on one document (see
	// rdfc.Options). Zero means the default.
	MaxCanonicalizationWork int
}

// Processor expands JSON-LD documents in safe mode and canonicalizes them.
// It caches processed contexts; one Processor is meant to be shared by many
// goroutines.
type Processor struct {
	cfg Config
}

// NewProcessor returns a Processor for cfg.
func NewProcessor(cfg Config) (*Processor, error) {
	return &Processor{cfg: cfg}, errors.New("jsonld: NewProcessor not implemented yet")
}

// Canonicalize returns the canonical N-Quads (RDFC-1.0) of the JSON-LD
// document doc.
func (p *Processor) Canonicalize(ctx context.Context, doc []byte) ([]byte, error) {
	return nil, errors.New("jsonld: not implemented yet")
}

// CanonicalizeValue is Canonicalize for a document already decoded from JSON:
// map[string]any, []any, string, bool, nil, and numbers as json.Number or
// float64. It does not modify doc.
func (p *Processor) CanonicalizeValue(ctx context.Context, doc any) ([]byte, error) {
	return nil, errors.New("jsonld: not implemented yet")
}
