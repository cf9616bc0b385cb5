package dataintegrity

import (
	"time"
)

// DefaultProofPurpose is the proof purpose of credentials: the issuer's key
// must be listed under assertionMethod.
const DefaultProofPurpose = "assertionMethod"

// TimeFormat is how created and expires are written: XML Schema
// dateTimeStamp in UTC with second precision.
const TimeFormat = "2006-01-02T15:04:05Z"

// proofInfo is a proof's members, checked for type and syntax.
type proofInfo struct {
	raw                                                 map[string]any
	typ, cryptosuite, id, vm, purpose, challenge, nonce string
	created, expires                                    time.Time
	domain, previous                                    []string
}

// parseProof checks the members VC Data Integrity defines. It does not
// check proofValue, which is the suite's business.
func parseProof(index int, v any) (*proofInfo, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, proofErrf(index, "", ErrMalformedProof, "proof is not a JSON object")
	}
	p := &proofInfo{raw: m}
	var err error
	str := func(field string, required bool) string {
		if err != nil {
			return ""
		}
		x, present := m[field]
		if !present {
			if required {
				err = proofErr(index, field, ErrMalformedProof, "", errMissing)
			}
			return ""
		}
		s, ok := x.(string)
		if !ok {
			err = proofErrf(index, field, ErrMalformedProof, "not a string")
			return ""
		}
		if s == "" {
			err = proofErrf(index, field, ErrMalformedProof, "empty")
		}
		return s
	}
	p.typ = str("type", true)
	p.cryptosuite = str("cryptosuite", p.typ == TypeDataIntegrityProof)
	p.vm = str("verificationMethod", true)
	p.purpose = str("proofPurpose", true)
	p.id = str("id", false)
	p.challenge = str("challenge", false)
	p.nonce = str("nonce", false)
	created := str("created", false)
	expires := str("expires", false)
	if err != nil {
		return p, err
	}
	if created != "" {
		if p.created, err = parseDateTime(created); err != nil {
			return p, proofErr(index, "created", ErrMalformedProof, "not an XML Schema dateTimeStamp", nil)
		}
	}
	if expires != "" {
		if p.expires, err = parseDateTime(expires); err != nil {
			return p, proofErr(index, "expires", ErrMalformedProof, "not an XML Schema dateTimeStamp", nil)
		}
	}
	if p.domain, err = stringSet(index, "domain", m); err != nil {
		return p, err
	}
	if p.previous, err = stringSet(index, "previousProof", m); err != nil {
		return p, err
	}
	return p, nil
}

// parseDateTime accepts an XML Schema dateTimeStamp (RFC 3339, optional
// fractional seconds) and, as VC Data Integrity requires, a dateTime
// "incorrectly serialized without an offset", read as UTC. Years beyond
// 9999 and 24:00:00, which XML Schema allows, are rejected.
func parseDateTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		var err2 error
		if t, err2 = time.ParseInLocation("2006-01-02T15:04:05.999999999", s, time.UTC); err2 != nil {
			return time.Time{}, err
		}
	}
	return t, nil
}

// stringSet reads a member that is a string or an array of strings.
func stringSet(index int, field string, m map[string]any) ([]string, error) {
	x, ok := m[field]
	if !ok {
		return nil, nil
	}
	switch v := x.(type) {
	case string:
		if v == "" {
			return nil, proofErrf(index, field, ErrMalformedProof, "empty")
		}
		return []string{v}, nil
	case []any:
		if len(v) == 0 {
			return nil, proofErrf(index, field, ErrMalformedProof, "empty array")
		}
		out := make([]string, len(v))
		for i, e := range v {
			s, ok := e.(string)
			if !ok || s == "" {
				return nil, proofErrf(index, field, ErrMalformedProof, "entry %d is not a non-empty string", i)
			}
			out[i] = s
		}
		return out, nil
	default:
		return nil, proofErrf(index, field, ErrMalformedProof, "not a string or an array of strings")
	}
}

// proofList returns the document's proofs as a list: a single proof object
// is a set of one.
func proofList(doc map[string]any) ([]any, error) {
	raw, ok := doc["proof"]
	if !ok || raw == nil {
		return nil, proofErrf(-1, "proof", ErrNoProof, "")
	}
	switch v := raw.(type) {
	case map[string]any:
		return []any{v}, nil
	case []any:
		if len(v) == 0 {
			return nil, proofErrf(-1, "proof", ErrNoProof, "empty proof set")
		}
		return v, nil
	case []map[string]any: // built in Go rather than decoded from JSON
		if len(v) == 0 {
			return nil, proofErrf(-1, "proof", ErrNoProof, "empty proof set")
		}
		l := make([]any, len(v))
		for i, p := range v {
			l[i] = p
		}
		return l, nil
	default:
		return nil, proofErrf(-1, "proof", ErrMalformedProof, "not an object or an array of objects")
	}
}

func sameStringSet(a, b []string) bool {
	seenA := make(map[string]bool, len(a))
	for _, s := range a {
		seenA[s] = true
	}
	seenB := make(map[string]bool, len(b))
	for _, s := range b {
		if !seenA[s] {
			return false
		}
		seenB[s] = true
	}
	return len(seenA) == len(seenB)
}

func formatTime(t time.Time) string {
	return t.UTC().Truncate(time.Second).Format(TimeFormat)
}
