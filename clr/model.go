package clr

import (
	"bytes"
	"encoding/json"
	"slices"
	"sort"

	"github.com/microcred/openbadges/credential"
)

// The CLR 2.0 @context URLs: the current one (2.0.1), and the first
// release, which VCDM 1.1 CLRs use.
const (
	Context       = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
	ContextLegacy = "https://purl.imsglobal.org/spec/clr/v2p0/context.json"
)

// ClrCredential is a CLR 2.0 credential: the Verifiable Credential envelope
// (shared with Open Badges 3.0) and a ClrSubject.
type ClrCredential struct {
	credential.Envelope
	// Partial says the CLR holds only some of the learner's achievements
	// (nil when absent).
	Partial           *bool
	CredentialSubject ClrSubject
	// Extra holds every member that is not a field above, or that is but
	// has an unexpected JSON form, as it was read.
	Extra map[string]json.RawMessage

	raw string // the JSON the CLR was parsed from; "" if built in Go
}

// Raw returns a copy of the bytes the CLR was parsed from, or nil for one
// built in Go.
func (c *ClrCredential) Raw() []byte {
	if c.raw == "" {
		return nil
	}
	return []byte(c.raw)
}

// ClrSubject is the learner and their record.
type ClrSubject struct {
	ID         string
	Type       credential.Types
	Identifier credential.Set[credential.IdentityObject]
	// Achievement lists achievements the record refers to besides those of
	// the embedded credentials (a program the courses belong to, …).
	Achievement credential.Set[credential.Achievement]
	// VerifiableCredential holds the learner's credentials, as signed by
	// their issuers.
	VerifiableCredential []EmbeddedCredential
	Association          []Association
	// Extra holds every other member, and members of an unexpected JSON
	// form, as read.
	Extra map[string]json.RawMessage
	// singleVC and singleAssociation record that verifiableCredential
	// or association was one value rather than an array (written back so).
	singleVC, singleAssociation bool
}

// EmbeddedCredential is one item of a ClrSubject's verifiableCredential: a
// credential with an embedded proof, or a VC-JWT.
type EmbeddedCredential struct {
	// Credential is the credential: as parsed (Raw gives its exact bytes),
	// or for a VC-JWT its payload, decoded without checking the signature
	// (the verifier checks it). Nil when a VC-JWT's payload is unreadable.
	Credential *credential.Credential
	// JWT is the compact JWS when the item is a VC-JWT, and empty
	// otherwise.
	JWT string
	// quoted records a credential's JSON written as a JSON string, which
	// the verifier reads as it reads a VC-JWT (written back so).
	quoted bool
}

// AssociationType is the relation an Association states between two
// achievements.
type AssociationType string

// The association types of CLR 2.0.
const (
	ExactMatchOf AssociationType = "exactMatchOf"
	IsChildOf    AssociationType = "isChildOf"
	IsParentOf   AssociationType = "isParentOf"
	IsPartOf     AssociationType = "isPartOf"
	IsPeerOf     AssociationType = "isPeerOf"
	IsRelatedTo  AssociationType = "isRelatedTo"
	Precedes     AssociationType = "precedes"
	ReplacedBy   AssociationType = "replacedBy"
)

// AssociationTypes lists the association types CLR 2.0 defines.
var AssociationTypes = []AssociationType{ExactMatchOf, IsChildOf, IsParentOf, IsPartOf, IsPeerOf, IsRelatedTo, Precedes, ReplacedBy}

// IsValid reports whether t is one of AssociationTypes (the enumeration is
// closed).
func (t AssociationType) IsValid() bool { return slices.Contains(AssociationTypes, t) }

// Association states that the achievement SourceID stands in the relation
// AssociationType to the achievement TargetID: "source isPartOf target".
type Association struct {
	Type            credential.Types
	AssociationType AssociationType
	SourceID        string
	TargetID        string
	// Extra holds members outside the model (which CLR 2.0 does not allow
	// in an Association: Validate reports them) and members of an
	// unexpected JSON form.
	Extra map[string]json.RawMessage
}

// NewAssociation returns an Association of type Association.
func NewAssociation(source string, t AssociationType, target string) Association {
	return Association{Type: credential.One("Association"), AssociationType: t, SourceID: source, TargetID: target}
}

// Subject returns the credential's subject, or nil when it has none or it
// is not a ClrSubject (an embedded credential whose payload is unreadable).
func (e *EmbeddedCredential) Subject() *credential.AchievementSubject {
	if e.Credential == nil {
		return nil
	}
	return e.Credential.Subject()
}

// object writes JSON objects member by member, in the order given.
type object struct {
	b   bytes.Buffer
	n   int
	err error
}

func (o *object) member(k string, v any) {
	if o.err != nil {
		return
	}
	var raw []byte
	switch v := v.(type) {
	case json.RawMessage:
		raw = v
	default:
		raw, o.err = marshal(v)
		if o.err != nil {
			return
		}
	}
	if o.n == 0 {
		o.b.WriteByte('{')
	} else {
		o.b.WriteByte(',')
	}
	o.n++
	kb, _ := marshal(k)
	o.b.Write(kb)
	o.b.WriteByte(':')
	o.b.Write(raw)
}

func (o *object) extra(m map[string]json.RawMessage) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		o.member(k, m[k])
	}
}

func (o *object) bytes() ([]byte, error) {
	if o.err != nil {
		return nil, o.err
	}
	if o.n == 0 {
		return []byte("{}"), nil
	}
	o.b.WriteByte('}')
	return o.b.Bytes(), nil
}

// marshal is json.Marshal without HTML escaping (a CLR's text is written
// as given, as the credential package writes it).
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// MarshalJSON writes the CLR: the envelope's members, partial, the
// credentialSubject, then Extra.
func (c ClrCredential) MarshalJSON() ([]byte, error) {
	subject, err := c.CredentialSubject.MarshalJSON()
	if err != nil {
		return nil, err
	}
	extra := make(map[string]json.RawMessage, len(c.Extra)+2)
	for k, v := range c.Extra {
		extra[k] = v
	}
	if c.Partial != nil {
		extra["partial"], _ = marshal(*c.Partial)
	}
	extra["credentialSubject"] = subject
	// The credential package writes the envelope; the subject and partial
	// go with the other members it does not know.
	return credential.Credential{Envelope: c.Envelope, Extra: extra}.MarshalJSON()
}

// MarshalJSON writes the subject, its embedded credentials as their exact
// bytes.
func (s ClrSubject) MarshalJSON() ([]byte, error) {
	var o object
	if s.ID != "" {
		o.member("id", s.ID)
	}
	if !s.Type.IsZero() {
		o.member("type", s.Type)
	}
	if !s.Identifier.IsZero() {
		o.member("identifier", s.Identifier)
	}
	if !s.Achievement.IsZero() {
		o.member("achievement", s.Achievement)
	}
	if len(s.VerifiableCredential) > 0 {
		items := make([]json.RawMessage, len(s.VerifiableCredential))
		for i := range s.VerifiableCredential {
			b, err := s.VerifiableCredential[i].MarshalJSON()
			if err != nil {
				return nil, err
			}
			items[i] = b
		}
		if s.singleVC && len(items) == 1 {
			o.member("verifiableCredential", items[0])
		} else {
			o.member("verifiableCredential", items)
		}
	}
	if len(s.Association) == 1 && s.singleAssociation {
		o.member("association", s.Association[0])
	} else if len(s.Association) > 0 {
		o.member("association", s.Association)
	}
	o.extra(s.Extra)
	return o.bytes()
}

// MarshalJSON writes the JWT string, or the credential's exact bytes when
// it was parsed (its proof covers them), or else its JSON.
func (e EmbeddedCredential) MarshalJSON() ([]byte, error) {
	switch {
	case e.JWT != "":
		return marshal(e.JWT)
	case e.Credential == nil:
		return []byte("null"), nil
	case e.quoted && e.Credential.Raw() != nil:
		return marshal(string(e.Credential.Raw()))
	case e.Credential.Raw() != nil:
		var b bytes.Buffer
		if err := json.Compact(&b, e.Credential.Raw()); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}
	return e.Credential.MarshalJSON()
}

// MarshalJSON writes the association, then Extra.
func (a Association) MarshalJSON() ([]byte, error) {
	var o object
	if !a.Type.IsZero() {
		o.member("type", a.Type)
	}
	if a.AssociationType != "" {
		o.member("associationType", a.AssociationType)
	}
	if a.SourceID != "" {
		o.member("sourceId", a.SourceID)
	}
	if a.TargetID != "" {
		o.member("targetId", a.TargetID)
	}
	o.extra(a.Extra)
	return o.bytes()
}
