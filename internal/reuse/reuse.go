// Package reuse lets the packages that use a credential's parsed document
// only for the length of one call (verifier, issuer) have it parsed into
// recycled memory, without widening package credential's public API: a
// document that is a tree of Go maps costs about half of what verifying or
// issuing a badge allocates, and allocation, through the garbage
// collections it causes, is what keeps many goroutines from scaling.
package reuse

// Options says how a credential parsed by ParseCredential will be used.
type Options struct {
	// Immutable: the caller promises that the input never changes, so it
	// is not copied (Raw and the credential's strings share its memory).
	Immutable bool
	// Transient: the credential itself is used only until done, so its
	// typed model is lent from pooled memory too (and zeroed by done).
	Transient bool
}

// ParseCredential is set by package credential when it is initialised. It
// parses data as credential.Parse does (c is a *credential.Credential), with
// the document's maps and slices in pooled memory. done detaches the
// document from c (its Document method then decodes Raw again, on demand)
// and gives the memory back: nothing taken from the document may be used
// after it, while the typed fields and Raw stay valid unless o.Transient.
// done must be called exactly once.
var ParseCredential func(data []byte, o Options) (c any, done func(), err error)

// Parse calls ParseCredential and gives c its type, C being
// *credential.Credential (which this package cannot name: credential
// imports it).
func Parse[C any](data []byte, o Options) (c C, done func(), err error) {
	x, done, err := ParseCredential(data, o)
	if err != nil {
		return c, nil, err
	}
	return x.(C), done, nil
}
