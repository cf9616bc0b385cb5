package did

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"strings"

	"github.com/microcred/openbadges/internal/strictjson"
)

// MaxDocumentSize is the largest DID document ParseDocument accepts.
const MaxDocumentSize = 256 << 10

// maxMethods bounds the verification methods and relationship entries of one
// document; real documents have a handful.
const maxMethods = 256

// Relationship is a verification relationship of DID Core §5.3: the purpose
// for which a verification method may be used.
type Relationship string

// The verification relationships of DID Core. Credentials are signed with
// AssertionMethod keys.
const (
	AssertionMethod      Relationship = "assertionMethod"
	Authentication       Relationship = "authentication"
	CapabilityInvocation Relationship = "capabilityInvocation"
	CapabilityDelegation Relationship = "capabilityDelegation"
	KeyAgreement         Relationship = "keyAgreement"
)

var relationships = []Relationship{Authentication, AssertionMethod, KeyAgreement, CapabilityInvocation, CapabilityDelegation}

// Verification method types understood by VerificationMethod.PublicKey.
const (
	TypeMultikey                   = "Multikey"
	TypeEd25519VerificationKey2020 = "Ed25519VerificationKey2020"
	TypeJSONWebKey2020             = "JsonWebKey2020"
	TypeJSONWebKey                 = "JsonWebKey"
)

// Contexts used in the documents this package generates.
const (
	ContextDIDv1    = "https://www.w3.org/ns/did/v1"
	ContextMultikey = "https://w3id.org/security/multikey/v1"
	// ContextEd25519 defines Ed25519VerificationKey2020 and also the
	// legacy Ed25519Signature2020 proof suite (dataintegrity).
	ContextEd25519    = "https://w3id.org/security/suites/ed25519-2020/v1"
	ContextJWS2020    = "https://w3id.org/security/suites/jws-2020/v1"
	ContextJSONWebKey = "https://w3id.org/security/jwk/v1"
)

// Document is a DID document (DID Core §5), or a controller document
// published at an HTTPS URL. Relative identifiers ("#key-1") are made
// absolute against ID when the document is parsed.
type Document struct {
	Context              json.RawMessage      // "@context", kept as is
	ID                   string               // "id"
	Controller           []string             // "controller" (a string or a set)
	VerificationMethods  []VerificationMethod // "verificationMethod"
	Authentication       []MethodRef          // "authentication"
	AssertionMethod      []MethodRef          // "assertionMethod"
	KeyAgreement         []MethodRef          // "keyAgreement"
	CapabilityInvocation []MethodRef          // "capabilityInvocation"
	CapabilityDelegation []MethodRef          // "capabilityDelegation"
	Service              json.RawMessage      // "service", kept as is

	// conflicts holds the method ids that ParseDocument found defined more
	// than once with different content. Some differences (in members this
	// package does not read, such as "revoked") do not survive into the
	// fields above, so they are remembered here for Method to refuse the id.
	conflicts map[string]bool
}

// VerificationMethod is a verification method (DID Core §5.2).
type VerificationMethod struct {
	ID                 string `json:"id"`
	Type               string `json:"type"`
	Controller         string `json:"controller"`
	PublicKeyMultibase string `json:"publicKeyMultibase,omitempty"`
	PublicKeyJWK       *JWK   `json:"publicKeyJwk,omitempty"`
}

// MethodRef is one entry of a verification relationship: either a reference
// to a verification method (ID only) or an embedded method (Method set, and
// ID equal to Method.ID).
type MethodRef struct {
	ID     string
	Method *VerificationMethod
}

// MarshalJSON writes a reference as a string and an embedded method as an
// object.
func (r MethodRef) MarshalJSON() ([]byte, error) {
	if r.Method != nil {
		return json.Marshal(r.Method)
	}
	return json.Marshal(r.ID)
}

// Relationship returns the entries listed under rel, or nil for an unknown
// relationship.
func (d *Document) Relationship(rel Relationship) []MethodRef {
	if refs := d.relationshipPtr(rel); refs != nil {
		return *refs
	}
	return nil
}

func (d *Document) relationshipPtr(rel Relationship) *[]MethodRef {
	switch rel {
	case Authentication:
		return &d.Authentication
	case AssertionMethod:
		return &d.AssertionMethod
	case KeyAgreement:
		return &d.KeyAgreement
	case CapabilityInvocation:
		return &d.CapabilityInvocation
	case CapabilityDelegation:
		return &d.CapabilityDelegation
	}
	return nil
}

// MarshalJSON writes the document in the usual member order, with a single
// controller as a string.
func (d *Document) MarshalJSON() ([]byte, error) {
	type out struct {
		Context              json.RawMessage      `json:"@context,omitempty"`
		ID                   string               `json:"id"`
		Controller           any                  `json:"controller,omitempty"`
		VerificationMethod   []VerificationMethod `json:"verificationMethod,omitempty"`
		Authentication       []MethodRef          `json:"authentication,omitempty"`
		AssertionMethod      []MethodRef          `json:"assertionMethod,omitempty"`
		KeyAgreement         []MethodRef          `json:"keyAgreement,omitempty"`
		CapabilityInvocation []MethodRef          `json:"capabilityInvocation,omitempty"`
		CapabilityDelegation []MethodRef          `json:"capabilityDelegation,omitempty"`
		Service              json.RawMessage      `json:"service,omitempty"`
	}
	o := out{d.Context, d.ID, nil, d.VerificationMethods, d.Authentication, d.AssertionMethod,
		d.KeyAgreement, d.CapabilityInvocation, d.CapabilityDelegation, d.Service}
	switch len(d.Controller) {
	case 0:
	case 1:
		o.Controller = d.Controller[0]
	default:
		o.Controller = d.Controller
	}
	return json.Marshal(o)
}

// UnmarshalJSON implements json.Unmarshaler with the checks of ParseDocument.
func (d *Document) UnmarshalJSON(data []byte) error {
	doc, err := ParseDocument(data)
	if err != nil {
		return err
	}
	*d = *doc
	return nil
}

func docErr(id, reason string) error { return newError(ErrInvalidDocument, id, reason) }

// ParseDocument parses a DID document or controller document strictly:
// valid UTF-8, no duplicate members, members of the expected JSON types, an
// absolute "id" (a DID or an https URL), verification methods with "id",
// "type" and "controller", at most one of publicKeyMultibase and
// publicKeyJwk, and no private key material. Relative method ids and
// references ("#key-1") are resolved against "id".
//
// A method may be defined more than once (in verificationMethod and embedded
// under a relationship, as many did:web documents do). Identical definitions,
// compared as JSON values once ids are made absolute, are one method; each is
// kept where it appeared, so that the document marshals back as it came.
// Definitions that differ make that one id unusable (Method and
// VerificationMethod refuse it) while the rest of the document stays usable.
//
// Unknown members are ignored. Key material is checked when it is used, by
// VerificationMethod.PublicKey, so that one unsupported key does not make a
// whole document unusable.
func ParseDocument(data []byte) (*Document, error) {
	if len(data) > MaxDocumentSize {
		return nil, docErr("", fmt.Sprintf("larger than %d bytes", MaxDocumentSize))
	}
	m, err := decodeObject(data)
	if err != nil {
		return nil, wrapError(ErrInvalidDocument, "", "malformed JSON", err)
	}
	d := &Document{}
	id, ok, err := getString(m, "id")
	if err != nil || !ok || id == "" {
		return nil, docErr("", `missing or invalid "id"`)
	}
	if err := checkDocumentID(id); err != nil {
		return nil, docErr(id, `"id" is not a DID or an https URL without fragment`)
	}
	d.ID = id
	if raw, ok := m["@context"]; ok {
		d.Context = bytes.Clone(raw)
	}
	if raw, ok := m["service"]; ok {
		d.Service = bytes.Clone(raw)
	}
	if raw, ok := m["controller"]; ok {
		c, err := stringOrStrings(raw)
		if err != nil {
			return nil, docErr(id, `"controller" must be a string or an array of strings`)
		}
		d.Controller = c
	}
	defs := methodDefs{first: map[string]*methodDef{}}
	if raw, ok := m["verificationMethod"]; ok {
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil || items == nil {
			return nil, docErr(id, `"verificationMethod" must be an array`)
		}
		if len(items) > maxMethods {
			return nil, docErr(id, "too many verification methods")
		}
		for i, it := range items {
			vm, err := parseMethod(it, id)
			if err != nil {
				return nil, withDID(prefixReason(err, fmt.Sprintf("verificationMethod[%d]", i)), id)
			}
			defs.add(vm, it)
			d.VerificationMethods = append(d.VerificationMethods, *vm)
		}
	}
	for _, rel := range relationships {
		raw, ok := m[string(rel)]
		if !ok {
			continue
		}
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil || items == nil {
			return nil, docErr(id, fmt.Sprintf("%q must be an array", rel))
		}
		if len(items) > maxMethods {
			return nil, docErr(id, fmt.Sprintf("too many entries in %q", rel))
		}
		refs := d.relationshipPtr(rel)
		for i, it := range items {
			where := fmt.Sprintf("%s[%d]", rel, i)
			switch {
			case len(it) > 0 && it[0] == '"':
				var s string
				if err := json.Unmarshal(it, &s); err != nil {
					return nil, docErr(id, where+" is not a valid string")
				}
				abs, err := absoluteID(s, id)
				if err != nil {
					return nil, docErr(id, where+": "+err.Error())
				}
				*refs = append(*refs, MethodRef{ID: abs})
			case len(it) > 0 && it[0] == '{':
				vm, err := parseMethod(it, id)
				if err != nil {
					return nil, withDID(prefixReason(err, where), id)
				}
				defs.add(vm, it)
				*refs = append(*refs, MethodRef{ID: vm.ID, Method: vm})
			default:
				return nil, docErr(id, where+" must be a string or an object")
			}
		}
	}
	d.conflicts = defs.conflicts
	return d, nil
}

// methodDefs tracks the definitions of each verification method id while a
// document is parsed.
type methodDefs struct {
	first     map[string]*methodDef
	conflicts map[string]bool
}

// methodDef is the first definition of an id: its JSON, the method parsed
// from it, and its canonical form once a repeat needs it (computed once,
// however many repeats follow).
type methodDef struct {
	raw   json.RawMessage
	vm    *VerificationMethod
	canon []byte
}

// add records a definition of vm (raw is its JSON). A repeat of an id with
// other content than its first definition marks the id as conflicting.
func (m *methodDefs) add(vm *VerificationMethod, raw json.RawMessage) {
	def, ok := m.first[vm.ID]
	if !ok {
		m.first[vm.ID] = &methodDef{raw: raw, vm: vm}
		return
	}
	if m.conflicts[vm.ID] || bytes.Equal(def.raw, raw) {
		return
	}
	if def.canon == nil {
		def.canon = canonicalMethod(def.raw, def.vm)
	}
	if def.canon != nil && bytes.Equal(def.canon, canonicalMethod(raw, vm)) {
		return
	}
	if m.conflicts == nil {
		m.conflicts = map[string]bool{}
	}
	m.conflicts[vm.ID] = true
}

// canonicalMethod returns the JCS form (RFC 8785) of a verification method,
// with "id" and "controller" replaced by their absolute forms from vm, the
// method parsed from raw: "#key-1" and "did:web:a.example#key-1" name the
// same method. Two definitions with the same form are the same JSON value:
// members in any order, strings however escaped, numbers equal as doubles
// (1 and 1.0). It is nil for a method that has no such form (a number beyond
// the range of a double), which then equals no other definition.
func canonicalMethod(raw json.RawMessage, vm *VerificationMethod) []byte {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil
	}
	m["id"], m["controller"] = vm.ID, vm.Controller
	v, err := strictjson.FromGo(m, strictjson.Options{MaxDepth: strictjson.HardMaxDepth, MaxKeys: len(raw)})
	if err != nil {
		return nil
	}
	return v.AppendJCS(nil)
}

func prefixReason(err error, where string) error {
	if e, ok := err.(*Error); ok {
		c := *e
		c.Reason = where + ": " + c.Reason
		return &c
	}
	return err
}

func stringOrStrings(raw json.RawMessage) ([]string, error) {
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		return []string{s}, nil
	}
	var ss []string
	if err := json.Unmarshal(raw, &ss); err != nil || ss == nil {
		return nil, fmt.Errorf("not a string or array of strings")
	}
	return ss, nil
}

func parseMethod(raw json.RawMessage, docID string) (*VerificationMethod, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return nil, docErr("", "verification method is not an object")
	}
	vm := &VerificationMethod{}
	for _, f := range []struct {
		name string
		dst  *string
	}{{"id", &vm.ID}, {"type", &vm.Type}, {"controller", &vm.Controller}} {
		s, ok, err := getString(m, f.name)
		if err != nil || !ok || s == "" {
			return nil, docErr("", fmt.Sprintf("missing or invalid %q", f.name))
		}
		*f.dst = s
	}
	var err error
	if vm.ID, err = absoluteID(vm.ID, docID); err != nil {
		return nil, docErr("", "id: "+err.Error())
	}
	if vm.Controller, err = absoluteID(vm.Controller, docID); err != nil {
		return nil, docErr("", "controller: "+err.Error())
	}
	if s, ok, err := getString(m, "publicKeyMultibase"); err != nil {
		return nil, docErr("", err.Error())
	} else if ok {
		vm.PublicKeyMultibase = s
	}
	for _, p := range []string{"privateKeyMultibase", "secretKeyMultibase", "privateKeyJwk", "privateKeyBase58"} {
		if _, ok := m[p]; ok {
			return nil, newError(ErrInvalidKey, "", fmt.Sprintf("verification method contains private key material (%q)", p))
		}
	}
	if raw, ok := m["publicKeyJwk"]; ok {
		var jm map[string]json.RawMessage
		if err := json.Unmarshal(raw, &jm); err != nil || jm == nil {
			return nil, docErr("", `"publicKeyJwk" is not an object`)
		}
		j, err := jwkFromMap(jm)
		if err != nil {
			return nil, err
		}
		vm.PublicKeyJWK = j
		if _, ok := m["publicKeyMultibase"]; ok {
			return nil, docErr("", "verification method has both publicKeyJwk and publicKeyMultibase")
		}
	}
	return vm, nil
}

// absoluteID resolves a relative fragment reference ("#key-1") against the
// document id and rejects other relative forms.
func absoluteID(s, docID string) (string, error) {
	if strings.HasPrefix(s, "#") {
		if len(s) == 1 {
			return "", fmt.Errorf("empty fragment")
		}
		return docID + s, nil
	}
	if strings.HasPrefix(s, "did:") || strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://") {
		return s, nil
	}
	return "", fmt.Errorf("%q is not an absolute DID URL or URL", truncate(s, 80))
}

// checkDocumentID accepts a DID (without path, query or fragment) or an
// https URL without fragment.
func checkDocumentID(id string) error {
	if strings.HasPrefix(id, "did:") {
		_, _, err := parseDID(id)
		return err
	}
	if strings.HasPrefix(id, "https://") && !strings.ContainsAny(id, "# \t\r\n") {
		return nil
	}
	return fmt.Errorf("bad id")
}

// Method returns the verification method with the given id, which may be
// relative ("#key-1") to the document. It looks in verificationMethod and in
// methods embedded in the relationships, and nowhere else. An id defined
// more than once with different content is refused with an error matching
// ErrInvalidDocument: which definition would be meant is unknowable. It does
// not check any relationship or controller: use VerificationMethod for that.
func (d *Document) Method(id string) (*VerificationMethod, error) {
	abs, err := absoluteID(id, d.ID)
	if err != nil {
		return nil, newError(ErrInvalidDID, id, err.Error())
	}
	conflict := func() error {
		return newError(ErrInvalidDocument, abs, "conflicting definitions of this verification method in "+truncate(d.ID, 120))
	}
	if d.conflicts[abs] {
		return nil, conflict()
	}
	// Every definition is compared, not only the first found: a document
	// built in code has no conflicts set, and neither has one re-parsed from
	// MarshalJSON output, which writes only the members kept in the fields.
	var found *VerificationMethod
	visit := func(vm *VerificationMethod) bool {
		if found == nil {
			found = vm
			return true
		}
		return found == vm || reflect.DeepEqual(*found, *vm)
	}
	for i := range d.VerificationMethods {
		if d.VerificationMethods[i].ID == abs && !visit(&d.VerificationMethods[i]) {
			return nil, conflict()
		}
	}
	for _, rel := range relationships {
		for _, r := range d.Relationship(rel) {
			if r.Method != nil && r.Method.ID == abs && !visit(r.Method) {
				return nil, conflict()
			}
		}
	}
	if found == nil {
		return nil, newError(ErrNotFound, abs, "no such verification method in "+truncate(d.ID, 120))
	}
	return found, nil
}

// VerificationMethod returns the verification method with the given id (may
// be relative to the document) after checking that the document authorizes it
// for rel: the method must be listed under rel (by reference or embedded),
// its id must belong to this document (the part before '#' equals the
// document id), and its controller must be the document id — so that a
// document cannot lend authority over another DID's keys. Errors match
// ErrNotFound, ErrRelationship or ErrInvalidDocument.
func (d *Document) VerificationMethod(id string, rel Relationship) (*VerificationMethod, error) {
	if d.relationshipPtr(rel) == nil {
		return nil, newError(ErrRelationship, id, fmt.Sprintf("unknown verification relationship %q", rel))
	}
	vm, err := d.Method(id)
	if err != nil {
		return nil, err
	}
	base, _, _ := strings.Cut(vm.ID, "#")
	if base != d.ID {
		return nil, newError(ErrInvalidDocument, vm.ID, "verification method id does not belong to document "+truncate(d.ID, 120))
	}
	if vm.Controller != d.ID {
		return nil, newError(ErrInvalidDocument, vm.ID, "verification method controller "+truncate(vm.Controller, 120)+" is not the document id")
	}
	for _, r := range d.Relationship(rel) {
		// Method has checked that every definition of the id agrees, so an
		// embedded copy lists the same method as a reference would.
		if r.ID == vm.ID && (r.Method == nil || r.Method.ID == vm.ID) {
			return vm, nil
		}
	}
	return nil, newError(ErrRelationship, vm.ID, fmt.Sprintf("not listed under %q", rel))
}

// PublicKey returns the verification method's public key: an
// ed25519.PublicKey, an *ecdsa.PublicKey (P-256, P-384) or an *rsa.PublicKey
// (JWK only). Multikey and Ed25519VerificationKey2020 methods carry
// publicKeyMultibase; JsonWebKey2020 and JsonWebKey methods carry
// publicKeyJwk. All key checks of DecodePublicKey and JWK.PublicKey apply.
func (vm *VerificationMethod) PublicKey() (crypto.PublicKey, error) {
	if vm == nil {
		return nil, newError(ErrNotFound, "", "no verification method")
	}
	k, err := vm.publicKey()
	if err != nil {
		return nil, withDID(err, vm.ID)
	}
	return k, nil
}

func (vm *VerificationMethod) publicKey() (crypto.PublicKey, error) {
	switch vm.Type {
	case TypeMultikey, TypeEd25519VerificationKey2020:
		if vm.PublicKeyJWK != nil || vm.PublicKeyMultibase == "" {
			return nil, newError(ErrInvalidDocument, "", vm.Type+" needs publicKeyMultibase (and no publicKeyJwk)")
		}
		k, err := DecodePublicKey(vm.PublicKeyMultibase)
		if err != nil {
			return nil, err
		}
		if _, ok := k.(ed25519.PublicKey); !ok && vm.Type == TypeEd25519VerificationKey2020 {
			return nil, newError(ErrKeyType, "", "Ed25519VerificationKey2020 holds a key that is not Ed25519")
		}
		return k, nil
	case TypeJSONWebKey2020, TypeJSONWebKey:
		if vm.PublicKeyJWK == nil || vm.PublicKeyMultibase != "" {
			return nil, newError(ErrInvalidDocument, "", vm.Type+" needs publicKeyJwk (and no publicKeyMultibase)")
		}
		return vm.PublicKeyJWK.PublicKey()
	}
	return nil, newError(ErrKeyType, "", fmt.Sprintf("unsupported verification method type %q", truncate(vm.Type, 60)))
}

// Clone returns a deep copy of d.
func (d *Document) Clone() *Document {
	if d == nil {
		return nil
	}
	c := *d
	c.Context = bytes.Clone(d.Context)
	c.Service = bytes.Clone(d.Service)
	c.Controller = append([]string(nil), d.Controller...)
	c.conflicts = maps.Clone(d.conflicts)
	if d.VerificationMethods != nil {
		c.VerificationMethods = make([]VerificationMethod, len(d.VerificationMethods))
		for i := range d.VerificationMethods {
			c.VerificationMethods[i] = *d.VerificationMethods[i].clone()
		}
	}
	for _, rel := range relationships {
		src := d.Relationship(rel)
		if src == nil {
			continue
		}
		dst := make([]MethodRef, len(src))
		for i, r := range src {
			dst[i] = MethodRef{ID: r.ID}
			if r.Method != nil {
				dst[i].Method = r.Method.clone()
			}
		}
		*c.relationshipPtr(rel) = dst
	}
	return &c
}

func (vm *VerificationMethod) clone() *VerificationMethod {
	c := *vm
	if vm.PublicKeyJWK != nil {
		j := *vm.PublicKeyJWK
		j.KeyOps = append([]string(nil), vm.PublicKeyJWK.KeyOps...)
		c.PublicKeyJWK = &j
	}
	return &c
}

// FindKey returns the verification method listed under rel whose public key
// equals pub, with the checks of VerificationMethod. It is for binding a key
// that arrived with a credential (a JWS "jwk" header) to its issuer: accept
// the key only if the issuer's document authorizes it. Methods whose key
// cannot be read are skipped. The error matches ErrNotFound when no method
// matches.
func (d *Document) FindKey(pub crypto.PublicKey, rel Relationship) (*VerificationMethod, error) {
	eq, ok := pub.(interface{ Equal(crypto.PublicKey) bool })
	if !ok || pub == nil {
		return nil, newError(ErrKeyType, d.ID, fmt.Sprintf("cannot compare keys of type %T", pub))
	}
	if d.relationshipPtr(rel) == nil {
		return nil, newError(ErrRelationship, d.ID, fmt.Sprintf("unknown verification relationship %q", rel))
	}
	for _, r := range d.Relationship(rel) {
		vm, err := d.VerificationMethod(r.ID, rel)
		if err != nil {
			continue
		}
		k, err := vm.PublicKey()
		if err == nil && eq.Equal(k) {
			return vm, nil
		}
	}
	return nil, newError(ErrNotFound, d.ID, fmt.Sprintf("no %q method has this key", rel))
}
