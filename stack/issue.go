package stack

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/microcred/openbadges/clr"
	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/internal/related"
	"github.com/microcred/openbadges/issuer"
)

// Errors of Issue and CheckComponents.
var (
	// ErrNotMet: the pathway is not complete; the error lists what is
	// missing.
	ErrNotMet = errors.New("stack: pathway requirements not met")
	// ErrComponentMismatch: a certificate's relatedResource has no
	// component among those given, or a component is not bound by it.
	ErrComponentMismatch = errors.New("stack: components do not match the certificate")
)

// IssueOptions adjusts the certificate Issue makes. The zero value gives a
// certificate with a random urn:uuid id, named after the pathway's
// achievement, valid from now, whose issuer is the issuer.Issuer's.
type IssueOptions struct {
	ID   string // empty means a new urn:uuid
	Name string // empty means the achievement's name
	// Now is the clock for validFrom; nil means time.Now.
	Now func() time.Time
	// Issuer is the certificate's issuer (a profile with a name, …); zero
	// lets the issuer.Issuer fill in its own id.
	Issuer credential.ProfileRef
	// CLR also wraps the certificate and its components in a CLR 2.0
	// credential, signed by the same issuer, with an isPartOf association
	// from each component's achievement to the certificate's.
	CLR bool
	// CLRName names the CLR; empty means the certificate's name and
	// " (with its components)".
	CLRName string
}

// Issued is what Issue signed.
type Issued struct {
	// Certificate is the signed certificate (JSON, or a VC-JWT when the
	// issuer makes those).
	Certificate []byte
	// CLR is the signed CLR holding the certificate and the components,
	// when IssueOptions.CLR is set.
	CLR []byte
}

// Issue signs the certificate a complete Progress earns: an Open Badges
// 3.0 credential for the learner (its id, or its identifiers), with the
// pathway's achievement (and creditsEarned when the pathway counts
// credits), one evidence entry per counted component (its id and name),
// and a relatedResource per counted component binding it by the
// digestMultibase of its bytes (see CheckComponents). It refuses a
// Progress that is not Met with ErrNotMet, listing what is missing.
// Components that are rejected do not stop it: they do not count.
func Issue(ctx context.Context, p *Progress, is *issuer.Issuer, opts IssueOptions) (*Issued, error) {
	if p == nil || p.Pathway == nil {
		return nil, errors.New("stack: Issue needs the Progress of Evaluate")
	}
	if !p.Met {
		var missing []string
		for _, r := range p.Missing() {
			missing = append(missing, r.Path+" ("+r.Requirement+": "+r.Detail+")")
		}
		return nil, fmt.Errorf("%w: %s", ErrNotMet, strings.Join(missing, "; "))
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	id := opts.ID
	if id == "" {
		var err error
		if id, err = credential.NewID(nil); err != nil {
			return nil, err
		}
	}
	ach := p.Pathway.Achievement
	name := opts.Name
	if name == "" {
		name = ach.Name
	}
	subject := credential.AchievementSubject{
		ID:          p.Learner.ID,
		Type:        credential.TypeOf("AchievementSubject"),
		Achievement: credential.AchievementRef{Achievement: &ach},
	}
	if len(p.Learner.Identifier) > 0 {
		subject.Identifier = credential.Many(p.Learner.Identifier...)
	}
	counted := p.Counted()
	if p.Pathway.Requires.MinimumCredits != nil {
		sum := 0.0
		for _, c := range counted {
			if c.Credits != nil {
				sum += *c.Credits
			}
		}
		subject.CreditsEarned = &sum
	}
	cert := &credential.Credential{
		Envelope: credential.Envelope{
			Context:   credential.Contexts(credential.ContextV2, credential.ContextOB),
			ID:        id,
			Type:      credential.TypeOf("VerifiableCredential", "OpenBadgeCredential"),
			Name:      name,
			Issuer:    opts.Issuer,
			ValidFrom: credential.DateTimeOf(now().UTC().Truncate(time.Second)),
		},
		CredentialSubject: credential.One(subject),
	}
	evidence := make([]credential.Evidence, len(counted))
	resources := make([]credential.RelatedResource, len(counted))
	for i, c := range counted {
		evName := c.AchievementName
		if evName == "" {
			evName = c.Achievement
		}
		evidence[i] = credential.Evidence{ID: c.ID, Type: credential.TypeOf("Evidence"), Name: evName}
		resources[i] = credential.RelatedResource{ID: c.ID, DigestMultibase: c.DigestMultibase, MediaType: c.MediaType}
	}
	cert.Evidence = credential.Many(evidence...)
	cert.RelatedResource = credential.Many(resources...)
	signed, err := is.Issue(ctx, cert)
	if err != nil {
		return nil, fmt.Errorf("stack: signing the certificate: %w", err)
	}
	out := &Issued{Certificate: signed}
	if !opts.CLR {
		return out, nil
	}
	creds := [][]byte{signed}
	var assoc []clr.Association
	for _, c := range counted {
		creds = append(creds, c.data)
		assoc = append(assoc, clr.NewAssociation(c.Achievement, clr.IsPartOf, ach.ID))
	}
	clrName := opts.CLRName
	if clrName == "" {
		clrName = name + " (with its components)"
	}
	record, err := clr.Assemble(creds, clr.AssembleOptions{Name: clrName, Issuer: opts.Issuer, Now: now, Learner: p.Learner, Associations: assoc})
	if err != nil {
		return nil, fmt.Errorf("stack: assembling the CLR: %w", err)
	}
	b, err := json.Marshal(record)
	if err != nil {
		return nil, err
	}
	if out.CLR, err = is.IssueJSON(ctx, b); err != nil {
		return nil, fmt.Errorf("stack: signing the CLR: %w", err)
	}
	return out, nil
}

// CheckComponents checks that components are the ones a certificate
// counted: that every relatedResource of the certificate with a digest
// matches the bytes of one component (for a baked image, of the credential
// baked into it), and that every component matches one. The certificate
// is JSON or a VC-JWT; its signature is the verifier's business. It
// returns nil, or an error wrapping ErrComponentMismatch that says which
// resource or component does not match.
func CheckComponents(certificate []byte, components [][]byte) error {
	c, err := readCertificate(certificate)
	if err != nil {
		return err
	}
	data := make([][]byte, len(components))
	digests := map[string]int{}
	for i, b := range components {
		data[i] = unbaked(b)
		digests[Digest(data[i])] = i
	}
	used := make([]bool, len(components))
	var problems []string
	for i, rr := range c.RelatedResource.Items {
		if rr.DigestMultibase == "" && rr.DigestSRI == "" {
			continue
		}
		if k, ok := digests[rr.DigestMultibase]; ok {
			used[k] = true
			continue
		}
		// Another encoding of the digest: compare with each component.
		found := false
		for k := range data {
			if related.Check(rr, data[k]) == nil {
				used[k], found = true, true
				break
			}
		}
		if !found {
			problems = append(problems, fmt.Sprintf("relatedResource[%d] (%s) matches no component given", i, rr.ID))
		}
	}
	for k, u := range used {
		if !u {
			problems = append(problems, fmt.Sprintf("component #%d is not one the certificate counted", k+1))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrComponentMismatch, strings.Join(problems, "; "))
	}
	return nil
}

// readCertificate reads a certificate's JSON, or a VC-JWT's payload
// (without checking its signature).
func readCertificate(b []byte) (*credential.Credential, error) {
	b = unbaked(b)
	if parts := strings.Split(strings.TrimSpace(string(b)), "."); len(parts) == 3 && !strings.HasPrefix(parts[0], "{") {
		payload, err := base64.RawURLEncoding.DecodeString(parts[1])
		if err != nil {
			return nil, fmt.Errorf("stack: certificate: %w", err)
		}
		var claims map[string]json.RawMessage
		if err := json.Unmarshal(payload, &claims); err == nil && claims["vc"] != nil {
			payload = claims["vc"]
		}
		b = payload
	}
	c, err := credential.Parse(b)
	if err != nil {
		return nil, fmt.Errorf("stack: certificate: %w", err)
	}
	return c, nil
}
