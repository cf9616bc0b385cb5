package clr

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/internal/strictjson"
)

// ErrNotCLR: the credential is not typed ClrCredential.
var ErrNotCLR = errors.New("clr: not a ClrCredential")

// Parse reads a ClrCredential from untrusted JSON with the default limits
// of credential.ParseOptions. See ParseWith.
func Parse(data []byte) (*ClrCredential, error) { return ParseWith(data, credential.ParseOptions{}) }

// ParseWith reads a ClrCredential from untrusted JSON, as strictly as
// credential.ParseWith reads a badge: duplicate keys, keys that differ from
// a term of the model only by case (of the envelope, the ClrSubject, an
// Association or an embedded credential), invalid UTF-8 and input beyond
// the limits of opts are refused with a *credential.ParseError naming the
// JSON path. A member of an unexpected JSON form is kept in Extra, as
// written, and reported by Validate. Each embedded credential keeps its
// exact bytes (its proof covers them); a VC-JWT keeps its compact form,
// with its payload decoded (not verified) for Validate.
//
// ParseWith does not require the type ClrCredential (Validate reports its
// absence): a document is read for what it holds.
func ParseWith(data []byte, opts credential.ParseOptions) (*ClrCredential, error) {
	// The credential package reads the whole document strictly (the
	// duplicate keys, UTF-8, depth and size checks cover everything
	// below) and types the envelope.
	env, err := credential.ParseWith(data, opts)
	if err != nil {
		return nil, err
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, &credential.ParseError{Path: "$", Offset: -1, Err: fmt.Errorf("%w: %v", credential.ErrMalformedJSON, err)}
	}
	c := &ClrCredential{Envelope: env.Envelope, raw: env.RawString()}
	for k, v := range env.Extra {
		if k == "credentialSubject" || k == "partial" {
			continue
		}
		if c.Extra == nil {
			c.Extra = map[string]json.RawMessage{}
		}
		c.Extra[k] = v
	}
	if err := caseVariants("$", top, "partial"); err != nil {
		return nil, err
	}
	if raw, ok := top["partial"]; ok {
		var b bool
		if err := json.Unmarshal(raw, &b); err == nil {
			c.Partial = &b
		} else {
			c.keep(&c.Extra, "partial", raw)
		}
	}
	raw, ok := top["credentialSubject"]
	if !ok {
		return c, nil
	}
	if s := bytes.TrimLeft(raw, " \t\r\n"); len(s) == 0 || s[0] != '{' {
		// An array of subjects, or another form: not a CLR's, reported
		// by Validate.
		c.keep(&c.Extra, "credentialSubject", raw)
		return c, nil
	}
	if err := c.CredentialSubject.parse(raw, opts); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *ClrCredential) keep(extra *map[string]json.RawMessage, k string, raw json.RawMessage) {
	if *extra == nil {
		*extra = map[string]json.RawMessage{}
	}
	(*extra)[k] = raw
}

const subjectPath = "$.credentialSubject"

// subjectTerms are the members of a ClrSubject.
var subjectTerms = []string{"id", "type", "identifier", "achievement", "verifiableCredential", "association"}

// associationTerms are the members of an Association.
var associationTerms = []string{"type", "associationType", "sourceId", "targetId"}

// caseVariants refuses a member of m whose name differs from one of terms
// only by case: a case-insensitive reader would take it for the term.
func caseVariants(path string, m map[string]json.RawMessage, terms ...string) error {
	for k := range m {
		for _, t := range terms {
			if k != t && strings.EqualFold(k, t) {
				return &credential.ParseError{Path: path + "." + k, Offset: -1, Err: fmt.Errorf("%w: %q for %q", credential.ErrCaseVariantKey, k, t)}
			}
		}
	}
	return nil
}

func (s *ClrSubject) parse(raw json.RawMessage, opts credential.ParseOptions) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return &credential.ParseError{Path: subjectPath, Offset: -1, Err: fmt.Errorf("%w: %v", credential.ErrMalformedJSON, err)}
	}
	if err := caseVariants(subjectPath, m, subjectTerms...); err != nil {
		return err
	}
	keep := func(k string) {
		if s.Extra == nil {
			s.Extra = map[string]json.RawMessage{}
		}
		s.Extra[k] = m[k]
	}
	for k, v := range m {
		var err error
		switch k {
		case "id":
			err = json.Unmarshal(v, &s.ID)
			if err == nil && s.ID == "" {
				err = errEmpty
			}
		case "type":
			err = s.Type.UnmarshalJSON(v)
		case "identifier":
			err = s.Identifier.UnmarshalJSON(v)
		case "achievement":
			err = s.Achievement.UnmarshalJSON(v)
		case "association":
			err = s.parseAssociations(v)
		case "verifiableCredential":
			var pe *credential.ParseError
			if err = s.parseCredentials(v, opts); errors.As(err, &pe) {
				return err
			}
		default:
			keep(k)
			continue
		}
		if err != nil {
			var pe *credential.ParseError
			if errors.As(err, &pe) && errors.Is(err, credential.ErrCaseVariantKey) {
				pe.Path = subjectPath + "." + k + strings.TrimPrefix(pe.Path, "$")
				return pe
			}
			// The strict reading of the whole document passed, so this is
			// a form the model cannot read: kept, and reported by Validate.
			keep(k)
		}
	}
	return nil
}

var errEmpty = errors.New("empty")

// parseAssociations reads association: one object or an array of them.
func (s *ClrSubject) parseAssociations(raw json.RawMessage) error {
	var items []json.RawMessage
	if t := bytes.TrimLeft(raw, " \t\r\n"); len(t) > 0 && t[0] == '[' {
		if err := json.Unmarshal(raw, &items); err != nil {
			return err
		}
		if len(items) == 0 {
			return errEmpty
		}
	} else {
		items, s.singleAssociation = []json.RawMessage{raw}, true
	}
	out := make([]Association, len(items))
	for i, item := range items {
		if t := bytes.TrimLeft(item, " \t\r\n"); len(t) == 0 || t[0] != '{' {
			return fmt.Errorf("association %d is %s", i, kindOf(t))
		}
		if err := out[i].UnmarshalJSON(item); err != nil {
			if !s.singleAssociation {
				var pe *credential.ParseError
				if errors.As(err, &pe) {
					pe.Path = "$[" + strconv.Itoa(i) + "]" + strings.TrimPrefix(pe.Path, "$")
				}
			}
			return err
		}
	}
	s.Association = out
	return nil
}

// parseCredentials reads verifiableCredential: one item or an array of
// them, each an object (parsed by credential.ParseWith, its bytes kept) or
// a compact JWS. Another form returns a plain error (kept in Extra); a
// credential that is not read strictly returns its *credential.ParseError.
func (s *ClrSubject) parseCredentials(raw json.RawMessage, opts credential.ParseOptions) error {
	var items []json.RawMessage
	t := bytes.TrimLeft(raw, " \t\r\n")
	if len(t) > 0 && t[0] == '[' {
		if err := json.Unmarshal(raw, &items); err != nil {
			return err
		}
		if len(items) == 0 {
			return errEmpty
		}
	} else {
		items = []json.RawMessage{raw}
		s.singleVC = true
	}
	out := make([]EmbeddedCredential, len(items))
	for i, item := range items {
		path := subjectPath + ".verifiableCredential"
		if !s.singleVC {
			path += "[" + strconv.Itoa(i) + "]"
		}
		it := bytes.TrimLeft(item, " \t\r\n")
		switch {
		case len(it) > 0 && it[0] == '{':
			c, err := credential.ParseWith(item, opts)
			if err != nil {
				return rebase(err, path)
			}
			out[i].Credential = c
		case len(it) > 0 && it[0] == '"':
			var tok string
			if err := json.Unmarshal(item, &tok); err != nil {
				return err
			}
			if t := strings.TrimSpace(tok); strings.HasPrefix(t, "{") {
				// A credential's JSON in a string, which the verifier
				// reads like a VC-JWT.
				c, err := credential.ParseWith([]byte(tok), opts)
				if err != nil {
					return rebase(err, path)
				}
				out[i].Credential, out[i].quoted = c, true
				continue
			}
			out[i].JWT = tok
			out[i].Credential = jwtPayload(tok, opts)
		default:
			return fmt.Errorf("item %d is %s", i, kindOf(it))
		}
	}
	s.VerifiableCredential = out
	return nil
}

// rebase puts the path of a parse error of an embedded document under
// path.
func rebase(err error, path string) error {
	var pe *credential.ParseError
	if errors.As(err, &pe) {
		return &credential.ParseError{Path: path + strings.TrimPrefix(pe.Path, "$"), Offset: -1, Err: pe.Err}
	}
	return &credential.ParseError{Path: path, Offset: -1, Err: err}
}

// jwtPayload decodes the credential a VC-JWT carries, without checking its
// signature: the payload itself (VCDM 2.0) or its vc claim (VCDM 1.1),
// whose subject id the sub claim supplies when absent. Nil when the token
// or its payload is unreadable (Validate reports it).
func jwtPayload(tok string, opts credential.ParseOptions) *credential.Credential {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return nil
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return nil
	}
	// Read strictly first (duplicate keys, UTF-8, size), then split.
	if _, err := credential.ParseWith(payload, opts); err != nil {
		return nil
	}
	var claims map[string]json.RawMessage
	if err := json.Unmarshal(payload, &claims); err != nil {
		return nil
	}
	vc, ok := claims["vc"]
	if !ok {
		c, err := credential.ParseWith(payload, opts)
		if err != nil {
			return nil
		}
		return c
	}
	c, err := credential.ParseWith(vc, opts)
	if err != nil {
		return nil
	}
	var sub string
	if s := c.Subject(); s != nil && s.ID == "" && json.Unmarshal(claims["sub"], &sub) == nil && sub != "" {
		s.ID = sub
	}
	return c
}

func kindOf(b []byte) string {
	if len(b) == 0 {
		return "empty"
	}
	switch b[0] {
	case '[':
		return "an array"
	case 'n':
		return "null"
	case 't', 'f':
		return "a boolean"
	}
	return "a number"
}

// UnmarshalJSON implements json.Unmarshaler, strictly and case-sensitively,
// as Parse reads an Association.
func (a *Association) UnmarshalJSON(b []byte) error {
	// The document's limits were applied by whoever read it (Parse); here
	// only what makes two readers disagree is refused.
	if _, err := strictjson.Decode(b, strictjson.Options{MaxBytes: len(b), MaxKeys: len(b)}); err != nil {
		return &credential.ParseError{Path: "$", Offset: -1, Err: fmt.Errorf("%w: %v", credential.ErrMalformedJSON, err)}
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return &credential.ParseError{Path: "$", Offset: -1, Err: fmt.Errorf("%w: %v", credential.ErrNotObject, err)}
	}
	if err := caseVariants("$", m, associationTerms...); err != nil {
		return err
	}
	*a = Association{}
	for k, v := range m {
		var err error
		switch k {
		case "type":
			err = a.Type.UnmarshalJSON(v)
		case "associationType":
			var s string
			if err = json.Unmarshal(v, &s); err == nil {
				a.AssociationType = AssociationType(s)
			}
		case "sourceId":
			err = json.Unmarshal(v, &a.SourceID)
		case "targetId":
			err = json.Unmarshal(v, &a.TargetID)
		default:
			err = errEmpty
		}
		if err != nil || isNull(v) {
			if a.Extra == nil {
				a.Extra = map[string]json.RawMessage{}
			}
			a.Extra[k] = v
		}
	}
	return nil
}

func isNull(v json.RawMessage) bool { return string(bytes.TrimSpace(v)) == "null" }
