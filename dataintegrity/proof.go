package dataintegrity

import (
	"math"
	"time"

	"github.com/microcred/openbadges/internal/strictjson"
)

// DefaultProofPurpose is the proof purpose of credentials: the issuer's key
// must be listed under assertionMethod.
const DefaultProofPurpose = "assertionMethod"

// TimeFormat is how created and expires are written: XML Schema
// dateTimeStamp in UTC with second precision.
const TimeFormat = "2006-01-02T15:04:05Z"

// proofInfo is a proof's members, checked for type and syntax.
type proofInfo struct {
	raw                                                 strictjson.Value
	typ, cryptosuite, id, vm, purpose, challenge, nonce string
	created, expires                                    time.Time
	domain, previous                                    []string
}

// parseProof checks the members VC Data Integrity defines. It does not
// check proofValue, which is the suite's business.
func parseProof(index int, m strictjson.Value) (*proofInfo, error) {
	if m.Kind() != strictjson.Object {
		return nil, proofErrf(index, "", ErrMalformedProof, "proof is not a JSON object")
	}
	p := &proofInfo{raw: m}
	var err error
	str := func(field string, required bool) string {
		if err != nil {
			return ""
		}
		x, present := m.Get(field)
		if !present {
			if required {
				err = proofErr(index, field, ErrMalformedProof, "", errMissing)
			}
			return ""
		}
		s := x.Str()
		if x.Kind() != strictjson.String {
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
func stringSet(index int, field string, m strictjson.Value) ([]string, error) {
	v, ok := m.Get(field)
	if !ok {
		return nil, nil
	}
	switch v.Kind() {
	case strictjson.String:
		if v.Str() == "" {
			return nil, proofErrf(index, field, ErrMalformedProof, "empty")
		}
		return []string{v.Str()}, nil
	case strictjson.Array:
		if v.Len() == 0 {
			return nil, proofErrf(index, field, ErrMalformedProof, "empty array")
		}
		out := make([]string, v.Len())
		for i, e := range v.Elements() {
			s := e.Str()
			if s == "" {
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
func proofList(doc strictjson.Value) ([]strictjson.Value, error) {
	raw, _ := doc.Get("proof")
	switch raw.Kind() {
	case strictjson.Invalid, strictjson.Null:
		return nil, proofErrf(-1, "proof", ErrNoProof, "")
	case strictjson.Object:
		return []strictjson.Value{raw}, nil
	case strictjson.Array:
		if raw.Len() == 0 {
			return nil, proofErrf(-1, "proof", ErrNoProof, "empty proof set")
		}
		l := make([]strictjson.Value, 0, raw.Len())
		for _, p := range raw.Elements() {
			l = append(l, p)
		}
		return l, nil
	default:
		return nil, proofErrf(-1, "proof", ErrMalformedProof, "not an object or an array of objects")
	}
}

// withProofs returns doc, which has no proof, carrying proofs as its
// proof set.
func withProofs(doc strictjson.Value, proofs []strictjson.Value) (strictjson.Value, error) {
	b := doc.AppendJSON(nil)
	b = b[:len(b)-1] // '}'
	if doc.Len() > 0 {
		b = append(b, ',')
	}
	b = append(b, `"proof":[`...)
	for i, p := range proofs {
		if i > 0 {
			b = append(b, ',')
		}
		b = p.AppendJSON(b)
	}
	return strictjson.Parse(string(append(b, "]}"...)), documentLimits)
}

// documentLimits are the limits of a document given as Go values: none
// but the hard limit of nesting (the JSON-LD processor bounds the rest).
var documentLimits = strictjson.Options{MaxBytes: math.MaxInt, MaxDepth: strictjson.HardMaxDepth, MaxKeys: math.MaxInt32}

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
