package clr

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/microcred/openbadges/credential"
)

// Sentinel errors of Assemble.
var (
	ErrNoCredentials = errors.New("clr: no credentials to assemble")
	ErrCredential    = errors.New("clr: credential cannot be embedded")
)

// AssembleOptions describes the CLR Assemble builds. The zero value gives a
// CLR named "Comprehensive Learner Record" for the learner of the first
// credential, with a random urn:uuid id, valid from now, whose issuer the
// issuer.Issuer fills in when it signs.
type AssembleOptions struct {
	ID          string // empty means a new urn:uuid
	Name        string // empty means "Comprehensive Learner Record"
	Description string
	// Issuer is the CLR's issuer; zero lets issuer.Issuer fill in its own.
	Issuer credential.ProfileRef
	// ValidFrom is when the CLR starts being valid; zero means Now().
	ValidFrom time.Time
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Learner is the CLR's learner; zero means the subject of the first
	// credential (its id, or its identifiers).
	Learner Learner
	// Achievements are achievements the record refers to besides those of
	// the credentials (the certificate the courses make up, …).
	Achievements []credential.Achievement
	// Associations relate the achievements.
	Associations []Association
	// Partial marks the CLR as holding only some of the learner's
	// achievements.
	Partial bool
}

// Assemble builds an unsigned ClrCredential holding the given credentials
// (each a signed credential's JSON or a VC-JWT), embedded exactly as they
// are, so that their proofs still verify. It does not validate: the
// issuer does before it signs (issuer.IssueJSON with the CLR's JSON), with
// the CLR rules, and refuses a CLR that breaks them. It fails on an empty
// list and on an item that is neither a credential's JSON nor a compact
// JWS.
func Assemble(credentials [][]byte, opts AssembleOptions) (*ClrCredential, error) {
	if len(credentials) == 0 {
		return nil, ErrNoCredentials
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	embedded := make([]EmbeddedCredential, len(credentials))
	for i, b := range credentials {
		b = bytes.TrimSpace(b)
		switch {
		case len(b) > 0 && b[0] == '{':
			c, err := credential.Parse(b)
			if err != nil {
				return nil, fmt.Errorf("%w: credential %d: %w", ErrCredential, i+1, err)
			}
			embedded[i].Credential = c
		case isCompactJWS(b):
			embedded[i].JWT = string(b)
			embedded[i].Credential = jwtPayload(string(b), credential.ParseOptions{})
		default:
			return nil, fmt.Errorf("%w: credential %d is neither JSON nor a VC-JWT", ErrCredential, i+1)
		}
	}
	learner := opts.Learner
	if learner.IsZero() {
		learner = LearnerOf(embedded[0].Subject())
	}
	id := opts.ID
	if id == "" {
		var err error
		if id, err = credential.NewID(nil); err != nil {
			return nil, err
		}
	}
	name := opts.Name
	if name == "" {
		name = "Comprehensive Learner Record"
	}
	from := opts.ValidFrom
	if from.IsZero() {
		from = now()
	}
	c := &ClrCredential{
		Envelope: credential.Envelope{
			Context:     credential.Contexts(credential.ContextV2, Context, credential.ContextOB),
			ID:          id,
			Type:        credential.TypeOf("VerifiableCredential", "ClrCredential"),
			Name:        name,
			Description: opts.Description,
			Issuer:      opts.Issuer,
			ValidFrom:   credential.DateTimeOf(from.UTC().Truncate(time.Second)),
		},
		CredentialSubject: ClrSubject{
			ID:                   learner.ID,
			Type:                 credential.One("ClrSubject"),
			VerifiableCredential: embedded,
			Association:          opts.Associations,
		},
	}
	if len(learner.Identifier) > 0 {
		c.CredentialSubject.Identifier = credential.Many(learner.Identifier...)
	}
	if len(opts.Achievements) > 0 {
		c.CredentialSubject.Achievement = credential.Many(opts.Achievements...)
	}
	if opts.Partial {
		t := true
		c.Partial = &t
	}
	return c, nil
}

func isCompactJWS(b []byte) bool {
	if bytes.Count(b, []byte(".")) != 2 {
		return false
	}
	for _, c := range b {
		if !(c == '.' || c == '-' || c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}
