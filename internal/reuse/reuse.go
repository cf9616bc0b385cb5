// Package reuse lets the packages that use a credential's parsed document
// only for the length of one call (verifier, issuer) have it parsed into
// recycled memory, without widening package credential's public API: a
// document that is a tree of Go maps costs about half of what verifying or
// issuing a badge allocates, and allocation, through the garbage
// collections it causes, is what keeps many goroutines from scaling.
package reuse

// ParseCredential is set by package credential when it is initialised. It
// parses data as credential.Parse does (c is a *credential.Credential), with
// the document's maps and slices in pooled memory. done detaches the
// document from c (its Document method then decodes Raw again, on demand)
// and gives the memory back: nothing taken from the document may be used
// after it, while the typed fields and Raw stay valid. done must be called
// exactly once. With immutable the caller promises that data never
// changes, and it is not copied (Raw and the strings of the credential
// share its memory).
var ParseCredential func(data []byte, immutable bool) (c any, done func(), err error)

// Parse calls ParseCredential and gives c its type, C being
// *credential.Credential (which this package cannot name: credential
// imports it).
func Parse[C any](data []byte, immutable bool) (c C, done func(), err error) {
	x, done, err := ParseCredential(data, immutable)
	if err != nil {
		return c, nil, err
	}
	return x.(C), done, nil
}
