package credential

import (
	"github.com/microcred/openbadges/internal/strictjson"

	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"time"

	"github.com/microcred/openbadges/internal/jcs"
)

// Well-known @context URLs.
const (
	ContextV2        = "https://www.w3.org/ns/credentials/v2"   // VC Data Model 2.0
	ContextV1        = "https://www.w3.org/2018/credentials/v1" // VC Data Model 1.1
	ContextOB        = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
	ContextOBExt     = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
	contextOBPrefix  = "https://purl.imsglobal.org/spec/ob/v3p0/context"
	contextCLRPrefix = "https://purl.imsglobal.org/spec/clr/v2p0/"
)

// Envelope holds the properties of the Verifiable Credential envelope shared
// by AchievementCredential and EndorsementCredential, in both data models:
// VCDM 2.0 (validFrom/validUntil) and VCDM 1.1 (issuanceDate/expirationDate).
type Envelope struct {
	Context          Set[ContextEntry]          `json:"@context"`
	ID               string                     `json:"id"`
	Type             Types                      `json:"type"`
	Name             string                     `json:"name" ob:"lang"`
	Description      string                     `json:"description" ob:"lang"`
	Image            *Image                     `json:"image"`
	AwardedDate      DateTime                   `json:"awardedDate"`
	Issuer           ProfileRef                 `json:"issuer"`
	ValidFrom        DateTime                   `json:"validFrom"`
	ValidUntil       DateTime                   `json:"validUntil"`
	IssuanceDate     DateTime                   `json:"issuanceDate"`   // VCDM 1.1
	ExpirationDate   DateTime                   `json:"expirationDate"` // VCDM 1.1
	Endorsement      Set[EndorsementCredential] `json:"endorsement"`
	EndorsementJwt   Set[string]                `json:"endorsementJwt"`
	Evidence         Set[Evidence]              `json:"evidence"`
	CredentialStatus Set[CredentialStatus]      `json:"credentialStatus"`
	CredentialSchema Set[CredentialSchema]      `json:"credentialSchema"`
	RefreshService   Set[RefreshService]        `json:"refreshService"`
	TermsOfUse       Set[TermsOfUse]            `json:"termsOfUse"`
	RelatedResource  Set[RelatedResource]       `json:"relatedResource"`
	Proof            Set[Proof]                 `json:"proof"`
}

// Credential is a Verifiable Credential, typically an Open Badges 3.0
// AchievementCredential (also typed OpenBadgeCredential). Other credentials
// (EndorsementCredential, or any VC) read into it too: what the model does not
// know stays in Extra, and Raw gives the original input.
type Credential struct {
	Envelope
	CredentialSubject Set[AchievementSubject] `json:"credentialSubject"`
	// Extra holds every member that is not a field above, or that is but has
	// an unexpected JSON form, as it was read.
	Extra map[string]json.RawMessage `json:"-"`

	src string // the JSON the credential was parsed from; "" if built in Go
}

// Raw returns a copy of the bytes the credential was parsed from, or nil
// for a credential built in Go. Signatures are checked over these (through
// their JSON-LD canonical form), never over a re-serialization. Raw does not
// follow changes made to the typed fields.
func (c *Credential) Raw() []byte {
	if c.src == "" {
		return nil
	}
	return []byte(c.src)
}

// RawString returns what Raw returns, as a string: the credential's own
// copy of its input, which a string lets it share without copying.
func (c *Credential) RawString() string { return c.src }

// Subject returns the first credentialSubject, or nil if there is none.
func (c *Credential) Subject() *AchievementSubject {
	if len(c.CredentialSubject.Items) == 0 {
		return nil
	}
	return &c.CredentialSubject.Items[0]
}

// IsBadge reports whether the Open Badges 3.0 rules apply to the credential:
// its type says it is an OB 3.0 credential (OpenBadgeCredential,
// AchievementCredential or EndorsementCredential). Using the OB context is
// not enough: a credential typed VerifiableCredential only that borrows the
// OB terms is judged by the VC Data Model alone. A ClrCredential is not a
// badge (package clr has the CLR 2.0 rules), unless also typed as one.
func (c *Credential) IsBadge() bool { return isBadgeType(c.Type) }

// isBadgeType reports whether t names an OB 3.0 credential class.
func isBadgeType(t Types) bool {
	return HasType(t, "OpenBadgeCredential") || HasType(t, "AchievementCredential") || HasType(t, "EndorsementCredential")
}

// IsVCDM11 reports whether the credential uses the VC Data Model 1.1 (its
// first @context is https://www.w3.org/2018/credentials/v1).
func (c *Credential) IsVCDM11() bool {
	return len(c.Context.Items) > 0 && c.Context.Items[0].URL == ContextV1
}

// ValidityPeriod returns when the credential starts and stops being valid:
// validFrom and validUntil, or for VCDM 1.1 credentials issuanceDate and
// expirationDate when validFrom and validUntil are absent. A zero time means
// the bound is absent. The error reports a date that does not parse (as
// RFC 3339 with a time zone); Validate reports it too.
func (c *Credential) ValidityPeriod() (from, until time.Time, err error) {
	start, end := c.ValidFrom, c.ValidUntil
	if c.IsVCDM11() {
		if start == "" {
			start = c.IssuanceDate
		}
		if end == "" {
			end = c.ExpirationDate
		}
	}
	if start != "" {
		if from, err = start.Time(); err != nil {
			return time.Time{}, time.Time{}, fmt.Errorf("credential: start of validity: %w", err)
		}
	}
	if end != "" {
		if until, err = end.Time(); err != nil {
			return time.Time{}, time.Time{}, fmt.Errorf("credential: end of validity: %w", err)
		}
	}
	return from, until, nil
}

// EndorsementCredential is an OB 3.0 endorsement: a credential whose subject
// is the endorsed entity.
type EndorsementCredential struct {
	Envelope
	CredentialSubject Set[EndorsementSubject]    `json:"credentialSubject"`
	Extra             map[string]json.RawMessage `json:"-"`
}

// EndorsementSubject is the subject of an EndorsementCredential.
type EndorsementSubject struct {
	ID                 string                     `json:"id"`
	Type               Types                      `json:"type"`
	EndorsementComment string                     `json:"endorsementComment"`
	Extra              map[string]json.RawMessage `json:"-"`
}

// AchievementSubject is the recipient of an AchievementCredential and what
// they achieved.
type AchievementSubject struct {
	ID                string                     `json:"id"`
	Type              Types                      `json:"type"`
	ActivityEndDate   DateTime                   `json:"activityEndDate"`
	ActivityStartDate DateTime                   `json:"activityStartDate"`
	CreditsEarned     *float64                   `json:"creditsEarned"`
	Achievement       AchievementRef             `json:"achievement"`
	Identifier        Set[IdentityObject]        `json:"identifier"`
	Image             *Image                     `json:"image"`
	LicenseNumber     string                     `json:"licenseNumber"`
	Narrative         string                     `json:"narrative"`
	Result            Set[Result]                `json:"result"`
	Role              string                     `json:"role"`
	Source            *Profile                   `json:"source"`
	Term              string                     `json:"term"`
	Extra             map[string]json.RawMessage `json:"-"`
}

// Achievement describes an accomplishment: what was achieved and how.
type Achievement struct {
	ID                string                     `json:"id"`
	Type              Types                      `json:"type"`
	Alignment         Set[Alignment]             `json:"alignment"`
	AchievementType   AchievementType            `json:"achievementType"`
	Creator           *Profile                   `json:"creator"`
	CreditsAvailable  *float64                   `json:"creditsAvailable"`
	Criteria          *Criteria                  `json:"criteria"`
	Description       string                     `json:"description"`
	Endorsement       Set[EndorsementCredential] `json:"endorsement"`
	EndorsementJwt    Set[string]                `json:"endorsementJwt"`
	FieldOfStudy      string                     `json:"fieldOfStudy"`
	HumanCode         string                     `json:"humanCode"`
	Image             *Image                     `json:"image"`
	InLanguage        string                     `json:"inLanguage"`
	Name              string                     `json:"name"`
	OtherIdentifier   Set[IdentifierEntry]       `json:"otherIdentifier"`
	Related           Set[Related]               `json:"related"`
	ResultDescription Set[ResultDescription]     `json:"resultDescription"`
	Specialization    string                     `json:"specialization"`
	Tag               Set[string]                `json:"tag"`
	Version           string                     `json:"version"`
	Extra             map[string]json.RawMessage `json:"-"`
}

// Criteria says how the achievement is earned: a page (ID) and/or a
// narrative in Markdown.
type Criteria struct {
	ID        string                     `json:"id"`
	Narrative string                     `json:"narrative"`
	Extra     map[string]json.RawMessage `json:"-"`
}

// Alignment links to a competency or standard in a framework.
type Alignment struct {
	Type              Types                      `json:"type"`
	TargetCode        string                     `json:"targetCode"`
	TargetDescription string                     `json:"targetDescription"`
	TargetName        string                     `json:"targetName"`
	TargetFramework   string                     `json:"targetFramework"`
	TargetType        AlignmentTargetType        `json:"targetType"`
	TargetURL         string                     `json:"targetUrl"`
	Extra             map[string]json.RawMessage `json:"-"`
}

// Related identifies another version of the same achievement.
type Related struct {
	ID         string                     `json:"id"`
	Type       Types                      `json:"type"`
	InLanguage string                     `json:"inLanguage"`
	Version    string                     `json:"version"`
	Extra      map[string]json.RawMessage `json:"-"`
}

// Result is an assessment result of the subject, described by one of the
// achievement's ResultDescriptions.
type Result struct {
	Type              Types                      `json:"type"`
	AchievedLevel     string                     `json:"achievedLevel"`
	Alignment         Set[Alignment]             `json:"alignment"`
	ResultDescription string                     `json:"resultDescription"`
	Status            ResultStatusType           `json:"status"`
	Value             string                     `json:"value"`
	Extra             map[string]json.RawMessage `json:"-"`
}

// ResultDescription describes a possible result of an achievement.
type ResultDescription struct {
	ID                   string                     `json:"id"`
	Type                 Types                      `json:"type"`
	Alignment            Set[Alignment]             `json:"alignment"`
	AllowedValue         Set[string]                `json:"allowedValue"`
	Name                 string                     `json:"name"`
	RequiredLevel        string                     `json:"requiredLevel"`
	RequiredValue        string                     `json:"requiredValue"`
	ResultType           ResultType                 `json:"resultType"`
	RubricCriterionLevel Set[RubricCriterionLevel]  `json:"rubricCriterionLevel"`
	ValueMax             string                     `json:"valueMax"`
	ValueMin             string                     `json:"valueMin"`
	Extra                map[string]json.RawMessage `json:"-"`
}

// RubricCriterionLevel is one level of a rubric criterion.
type RubricCriterionLevel struct {
	ID          string                     `json:"id"`
	Type        Types                      `json:"type"`
	Alignment   Set[Alignment]             `json:"alignment"`
	Description string                     `json:"description"`
	Level       string                     `json:"level"`
	Name        string                     `json:"name"`
	Points      string                     `json:"points"`
	Extra       map[string]json.RawMessage `json:"-"`
}

// Evidence describes work that supports the award.
type Evidence struct {
	ID          string                     `json:"id"`
	Type        Types                      `json:"type"`
	Narrative   string                     `json:"narrative"`
	Name        string                     `json:"name"`
	Description string                     `json:"description"`
	Genre       string                     `json:"genre"`
	Audience    string                     `json:"audience"`
	Extra       map[string]json.RawMessage `json:"-"`
}

// Image is an image: its URI or data: URI and a caption.
//
// In JSON it is an object, or just its id as a string ("image":
// "https://…/badge.png"), which the OB 3.0 data model allows and its JSON
// Schema does not (Validate warns). The OB context makes image an @id
// property, so JSON-LD reads the string as the object {"id": …}.
type Image struct {
	ID      string                     `json:"id"`
	Type    Types                      `json:"type"`
	Caption string                     `json:"caption"`
	Extra   map[string]json.RawMessage `json:"-"`
	// IDOnly records that the image was (or is to be) written as its id
	// string alone, so that a credential read and written back keeps the
	// form it was signed in. It takes effect only when ID is all the image
	// has; otherwise the object is written.
	IDOnly bool `json:"-"`
}

// Profile describes an issuer, creator or other entity.
type Profile struct {
	ID               string                     `json:"id"`
	Type             Types                      `json:"type"`
	Name             string                     `json:"name" ob:"lang"`
	URL              string                     `json:"url"`
	Phone            string                     `json:"phone"`
	Description      string                     `json:"description" ob:"lang"`
	Endorsement      Set[EndorsementCredential] `json:"endorsement"`
	EndorsementJwt   Set[string]                `json:"endorsementJwt"`
	Image            *Image                     `json:"image"`
	Email            string                     `json:"email"`
	Address          *Address                   `json:"address"`
	OtherIdentifier  Set[IdentifierEntry]       `json:"otherIdentifier"`
	Official         string                     `json:"official"`
	ParentOrg        *Profile                   `json:"parentOrg"`
	FamilyName       string                     `json:"familyName"`
	GivenName        string                     `json:"givenName"`
	AdditionalName   string                     `json:"additionalName"`
	PatronymicName   string                     `json:"patronymicName"`
	HonorificPrefix  string                     `json:"honorificPrefix"`
	HonorificSuffix  string                     `json:"honorificSuffix"`
	FamilyNamePrefix string                     `json:"familyNamePrefix"`
	DateOfBirth      string                     `json:"dateOfBirth"` // xsd:date, e.g. 1990-12-31
	Extra            map[string]json.RawMessage `json:"-"`
}

// Address is a postal address.
type Address struct {
	Type                Types                      `json:"type"`
	AddressCountry      string                     `json:"addressCountry"`
	AddressCountryCode  string                     `json:"addressCountryCode"`
	AddressRegion       string                     `json:"addressRegion"`
	AddressLocality     string                     `json:"addressLocality"`
	StreetAddress       string                     `json:"streetAddress"`
	PostOfficeBoxNumber string                     `json:"postOfficeBoxNumber"`
	PostalCode          string                     `json:"postalCode"`
	Geo                 *GeoCoordinates            `json:"geo"`
	Extra               map[string]json.RawMessage `json:"-"`
}

// GeoCoordinates is a position in WGS 84 degrees.
type GeoCoordinates struct {
	Type      Types                      `json:"type"`
	Latitude  *float64                   `json:"latitude"`
	Longitude *float64                   `json:"longitude"`
	Extra     map[string]json.RawMessage `json:"-"`
}

// IdentifierEntry is another identifier of a profile or achievement.
type IdentifierEntry struct {
	Type           Types                      `json:"type"`
	Identifier     string                     `json:"identifier"`
	IdentifierType IdentifierType             `json:"identifierType"`
	Extra          map[string]json.RawMessage `json:"-"`
}

// IdentityObject identifies the recipient, in plain text or hashed (see
// HashIdentity and MatchIdentity).
type IdentityObject struct {
	Type         Types                      `json:"type"`
	Hashed       *bool                      `json:"hashed"`
	IdentityHash string                     `json:"identityHash"`
	IdentityType IdentifierType             `json:"identityType"`
	Salt         string                     `json:"salt"`
	Extra        map[string]json.RawMessage `json:"-"`
}

// Proof is an embedded proof (Data Integrity or a legacy suite).
type Proof struct {
	ID                 string                     `json:"id"`
	Type               Types                      `json:"type"`
	Cryptosuite        string                     `json:"cryptosuite"`
	Created            DateTime                   `json:"created"`
	Expires            DateTime                   `json:"expires"`
	VerificationMethod string                     `json:"verificationMethod"`
	ProofPurpose       string                     `json:"proofPurpose"`
	ProofValue         string                     `json:"proofValue"`
	Challenge          string                     `json:"challenge"`
	Domain             Set[string]                `json:"domain"`
	Nonce              string                     `json:"nonce"`
	PreviousProof      Set[string]                `json:"previousProof"`
	Extra              map[string]json.RawMessage `json:"-"`
}

// CredentialStatus says where to learn whether the credential is revoked or
// suspended (1EdTechRevocationList, BitstringStatusListEntry, …).
type CredentialStatus struct {
	ID                   string `json:"id"`
	Type                 Types  `json:"type"`
	StatusPurpose        string `json:"statusPurpose"`
	StatusListCredential string `json:"statusListCredential"`
	// Extra also holds the method-specific members, such as
	// statusListIndex (a string by the Bitstring Status List
	// specification, though numbers are seen in the wild).
	Extra map[string]json.RawMessage `json:"-"`
}

// CredentialSchema names a schema the credential conforms to.
type CredentialSchema struct {
	ID    string                     `json:"id"`
	Type  Types                      `json:"type"`
	Extra map[string]json.RawMessage `json:"-"`
}

// RefreshService says where a fresh copy of the credential can be obtained.
type RefreshService struct {
	ID    string                     `json:"id"`
	Type  Types                      `json:"type"`
	Extra map[string]json.RawMessage `json:"-"`
}

// TermsOfUse states terms of use of the credential.
type TermsOfUse struct {
	ID    string                     `json:"id"`
	Type  Types                      `json:"type"`
	Extra map[string]json.RawMessage `json:"-"`
}

// RelatedResource pins the content of a resource the credential refers to
// (a context, an image) by digest.
type RelatedResource struct {
	ID              string                     `json:"id"`
	DigestSRI       string                     `json:"digestSRI"`
	DigestMultibase string                     `json:"digestMultibase"`
	MediaType       string                     `json:"mediaType"`
	Extra           map[string]json.RawMessage `json:"-"`
}

// The JSON methods of the model: strict, case-sensitive decoding as in Parse
// (without the limits of ParseOptions beyond strictjson's defaults), and
// encoding that writes known fields then Extra.

// MarshalJSON implements json.Marshaler.
func (c Credential) MarshalJSON() ([]byte, error) { return marshalStruct(reflect.ValueOf(&c).Elem()) }

// UnmarshalJSON implements json.Unmarshaler. Prefer Parse, which also keeps
// Raw and Document.
func (c *Credential) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, c) }

// MarshalJSON implements json.Marshaler.
func (c EndorsementCredential) MarshalJSON() ([]byte, error) {
	return marshalStruct(reflect.ValueOf(&c).Elem())
}

// UnmarshalJSON implements json.Unmarshaler.
func (c *EndorsementCredential) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, c) }

// MarshalJSON implements json.Marshaler.
func (s EndorsementSubject) MarshalJSON() ([]byte, error) {
	return marshalStruct(reflect.ValueOf(&s).Elem())
}

// UnmarshalJSON implements json.Unmarshaler.
func (s *EndorsementSubject) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, s) }

// MarshalJSON implements json.Marshaler.
func (s AchievementSubject) MarshalJSON() ([]byte, error) {
	return marshalStruct(reflect.ValueOf(&s).Elem())
}

// UnmarshalJSON implements json.Unmarshaler.
func (s *AchievementSubject) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, s) }

// MarshalJSON implements json.Marshaler.
func (a Achievement) MarshalJSON() ([]byte, error) { return marshalStruct(reflect.ValueOf(&a).Elem()) }

// UnmarshalJSON implements json.Unmarshaler.
func (a *Achievement) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, a) }

// MarshalJSON implements json.Marshaler.
func (c Criteria) MarshalJSON() ([]byte, error) { return marshalStruct(reflect.ValueOf(&c).Elem()) }

// UnmarshalJSON implements json.Unmarshaler.
func (c *Criteria) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, c) }

// MarshalJSON implements json.Marshaler.
func (a Alignment) MarshalJSON() ([]byte, error) { return marshalStruct(reflect.ValueOf(&a).Elem()) }

// UnmarshalJSON implements json.Unmarshaler.
func (a *Alignment) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, a) }

// MarshalJSON implements json.Marshaler.
func (r Related) MarshalJSON() ([]byte, error) { return marshalStruct(reflect.ValueOf(&r).Elem()) }

// UnmarshalJSON implements json.Unmarshaler.
func (r *Related) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, r) }

// MarshalJSON implements json.Marshaler.
func (r Result) MarshalJSON() ([]byte, error) { return marshalStruct(reflect.ValueOf(&r).Elem()) }

// UnmarshalJSON implements json.Unmarshaler.
func (r *Result) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, r) }

// MarshalJSON implements json.Marshaler.
func (r ResultDescription) MarshalJSON() ([]byte, error) {
	return marshalStruct(reflect.ValueOf(&r).Elem())
}

// UnmarshalJSON implements json.Unmarshaler.
func (r *ResultDescription) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, r) }

// MarshalJSON implements json.Marshaler.
func (r RubricCriterionLevel) MarshalJSON() ([]byte, error) {
	return marshalStruct(reflect.ValueOf(&r).Elem())
}

// UnmarshalJSON implements json.Unmarshaler.
func (r *RubricCriterionLevel) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, r) }

// MarshalJSON implements json.Marshaler.
func (e Evidence) MarshalJSON() ([]byte, error) { return marshalStruct(reflect.ValueOf(&e).Elem()) }

// UnmarshalJSON implements json.Unmarshaler.
func (e *Evidence) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, e) }

// MarshalJSON implements json.Marshaler: the id string when IDOnly is set
// and the image has nothing else, otherwise the object.
func (i Image) MarshalJSON() ([]byte, error) { return appendImage(nil, &i) }

// appendImage writes an image, as MarshalJSON does (appendModel calls it
// for the *Image fields of the model).
func appendImage(b []byte, i *Image) ([]byte, error) {
	if i.bare() {
		return jcs.AppendJSONString(b, i.ID), nil
	}
	return appendStruct(b, reflect.ValueOf(i).Elem())
}

// bare reports whether the image is written as its id string.
func (i *Image) bare() bool {
	return i.IDOnly && i.ID != "" && i.Type.IsZero() && i.Caption == "" && len(i.Extra) == 0
}

// UnmarshalJSON implements json.Unmarshaler: an object, or a non-empty id
// string (which sets IDOnly).
func (i *Image) UnmarshalJSON(b []byte) error {
	if t := bytes.TrimLeft(b, " \t\r\n"); len(t) > 0 && t[0] == '"' {
		return unmarshalValue(b, i)
	}
	return unmarshalStruct(b, i)
}

// decodeJSONValue reads an image's id string, or its object as the other
// model structs are read.
func (i *Image) decodeJSONValue(d *decodeState, x strictjson.Value) (bool, error) {
	switch x.Kind() {
	case strictjson.String:
		if x.Str() == "" {
			return false, nil // empty values are kept in Extra and reported
		}
		*i = Image{ID: x.Str(), IDOnly: true}
		return true, nil
	case strictjson.Object:
		return true, i.decodeObject(d, x)
	}
	return false, nil
}

// MarshalJSON implements json.Marshaler.
func (p Profile) MarshalJSON() ([]byte, error) { return marshalStruct(reflect.ValueOf(&p).Elem()) }

// UnmarshalJSON implements json.Unmarshaler.
func (p *Profile) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, p) }

// MarshalJSON implements json.Marshaler.
func (a Address) MarshalJSON() ([]byte, error) { return marshalStruct(reflect.ValueOf(&a).Elem()) }

// UnmarshalJSON implements json.Unmarshaler.
func (a *Address) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, a) }

// MarshalJSON implements json.Marshaler.
func (g GeoCoordinates) MarshalJSON() ([]byte, error) {
	return marshalStruct(reflect.ValueOf(&g).Elem())
}

// UnmarshalJSON implements json.Unmarshaler.
func (g *GeoCoordinates) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, g) }

// MarshalJSON implements json.Marshaler.
func (e IdentifierEntry) MarshalJSON() ([]byte, error) {
	return marshalStruct(reflect.ValueOf(&e).Elem())
}

// UnmarshalJSON implements json.Unmarshaler.
func (e *IdentifierEntry) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, e) }

// MarshalJSON implements json.Marshaler.
func (o IdentityObject) MarshalJSON() ([]byte, error) {
	return marshalStruct(reflect.ValueOf(&o).Elem())
}

// UnmarshalJSON implements json.Unmarshaler.
func (o *IdentityObject) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, o) }

// MarshalJSON implements json.Marshaler.
func (p Proof) MarshalJSON() ([]byte, error) { return marshalStruct(reflect.ValueOf(&p).Elem()) }

// UnmarshalJSON implements json.Unmarshaler.
func (p *Proof) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, p) }

// MarshalJSON implements json.Marshaler.
func (s CredentialStatus) MarshalJSON() ([]byte, error) {
	return marshalStruct(reflect.ValueOf(&s).Elem())
}

// UnmarshalJSON implements json.Unmarshaler.
func (s *CredentialStatus) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, s) }

// MarshalJSON implements json.Marshaler.
func (s CredentialSchema) MarshalJSON() ([]byte, error) {
	return marshalStruct(reflect.ValueOf(&s).Elem())
}

// UnmarshalJSON implements json.Unmarshaler.
func (s *CredentialSchema) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, s) }

// MarshalJSON implements json.Marshaler.
func (s RefreshService) MarshalJSON() ([]byte, error) {
	return marshalStruct(reflect.ValueOf(&s).Elem())
}

// UnmarshalJSON implements json.Unmarshaler.
func (s *RefreshService) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, s) }

// MarshalJSON implements json.Marshaler.
func (t TermsOfUse) MarshalJSON() ([]byte, error) { return marshalStruct(reflect.ValueOf(&t).Elem()) }

// UnmarshalJSON implements json.Unmarshaler.
func (t *TermsOfUse) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, t) }

// MarshalJSON implements json.Marshaler.
func (r RelatedResource) MarshalJSON() ([]byte, error) {
	return marshalStruct(reflect.ValueOf(&r).Elem())
}

// UnmarshalJSON implements json.Unmarshaler.
func (r *RelatedResource) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, r) }
