package stack

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/microcred/openbadges/bake"
	"github.com/microcred/openbadges/clr"
	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/verifier"
)

// MaxComponents bounds the credentials one Evaluate call verifies.
const MaxComponents = 10000

// Errors of Evaluate and Issue.
var (
	ErrTooManyComponents = errors.New("stack: too many components")
	ErrNoVerifier        = errors.New("stack: a verifier is required")
)

// Status says whether a component counts, and if not, why.
type Status string

// Statuses of a component.
const (
	// Counted: the component meets a requirement.
	Counted Status = "counted"
	// NotVerified: the credential does not verify (forged, tampered,
	// expired, not yet valid, revoked, suspended, its key unknown, …).
	NotVerified Status = "not-verified"
	// OtherLearner: the credential is for someone else than the learner.
	OtherLearner Status = "other-learner"
	// IssuerNotAllowed: the pathway lists its allowed issuers, and the
	// credential's is not one of them.
	IssuerNotAllowed Status = "issuer-not-allowed"
	// Duplicate: the same credential was given before, or another
	// credential for the same achievement counts already.
	Duplicate Status = "duplicate"
	// Unusable: the credential has no id or names no achievement, so it
	// cannot be counted or named as evidence.
	Unusable Status = "unusable"
	// NotRequired: the credential's achievement is not part of the
	// pathway.
	NotRequired Status = "not-required"
	// OutsideWindow: a valid component of the pathway, left out because
	// it is issued outside the span of time (within) of those counted.
	OutsideWindow Status = "outside-window"
)

// Rejected reports whether the status is a failure of the component
// itself (not verified, another learner, an issuer not allowed, counted
// twice, unusable), rather than a component that is valid but not needed.
func (s Status) Rejected() bool {
	switch s {
	case NotVerified, OtherLearner, IssuerNotAllowed, Duplicate, Unusable:
		return true
	}
	return false
}

// Component is one credential given to Evaluate and what became of it.
type Component struct {
	// Index is the credential's position in the list given, from 0.
	Index int `json:"index"`
	// ID, Issuer, Achievement (its id), AchievementName and ValidFrom are
	// read from the credential (empty when it could not be read).
	ID              string    `json:"id,omitempty"`
	Issuer          string    `json:"issuer,omitempty"`
	Achievement     string    `json:"achievement,omitempty"`
	AchievementName string    `json:"achievementName,omitempty"`
	ValidFrom       time.Time `json:"validFrom,omitzero"`
	// Credits are the credits the component brings: the subject's
	// creditsEarned, or else the achievement's creditsAvailable.
	Credits *float64 `json:"credits,omitempty"`
	Status  Status   `json:"status"`
	// Reason explains a status other than Counted.
	Reason string `json:"reason,omitempty"`
	// DigestMultibase is the SHA-256 multihash of the credential's bytes
	// (for a baked image, of the credential baked into it), base64url
	// multibase: what the certificate's relatedResource binds.
	DigestMultibase string `json:"digestMultibase"`
	// MediaType is application/vc+ld+json or application/vc+jwt.
	MediaType string `json:"mediaType"`
	// Result is the verifier's result.
	Result *verifier.Result `json:"-"`

	data []byte // the credential (un-baked)
	cred *credential.Credential
}

// Data returns the credential's bytes (for a baked image, the credential
// baked into it).
func (c *Component) Data() []byte { return c.data }

// RequirementReport is the outcome of one requirement.
type RequirementReport struct {
	// Path locates the requirement in the pathway, e.g.
	// $.requires.achievements[1], $.requires.groups[0], $.requires.within.
	Path string `json:"path"`
	// Requirement says what it asks, in words.
	Requirement string `json:"requirement"`
	Met         bool   `json:"met"`
	// Optional marks a requirement not met that is not needed: an
	// achievement or group of a list whose minimum the others meet.
	Optional bool `json:"optional,omitempty"`
	// Detail says what meets it, or what is missing.
	Detail string `json:"detail"`
}

// Progress is what Evaluate found: the learner's standing against the
// pathway, requirement by requirement, and what became of each component.
type Progress struct {
	// Pathway is the pathway evaluated.
	Pathway *Pathway `json:"-"`
	// Certificate is the id of the pathway's achievement.
	Certificate string `json:"certificate"`
	// Learner is whom the components were judged for.
	Learner clr.Learner `json:"learner"`
	// Met says the pathway is complete: every requirement is met.
	Met          bool                `json:"met"`
	Requirements []RequirementReport `json:"requirements"`
	Components   []Component         `json:"components"`
}

// Missing returns the requirements not met that are needed (not
// Optional).
func (p *Progress) Missing() []RequirementReport {
	var out []RequirementReport
	for _, r := range p.Requirements {
		if !r.Met && !r.Optional {
			out = append(out, r)
		}
	}
	return out
}

// Counted returns the components that count, in the order given.
func (p *Progress) Counted() []Component { return p.with(func(s Status) bool { return s == Counted }) }

// Rejected returns the components that failed (see Status.Rejected).
func (p *Progress) Rejected() []Component { return p.with(Status.Rejected) }

func (p *Progress) with(f func(Status) bool) []Component {
	var out []Component
	for _, c := range p.Components {
		if f(c.Status) {
			out = append(out, c)
		}
	}
	return out
}

// EvaluateOptions adjusts Evaluate. The zero value judges the components
// for the learner of the first one that verifies.
type EvaluateOptions struct {
	// Learner is whom the components must be for; zero means the learner
	// of the first component that verifies.
	Learner clr.Learner
}

// Evaluate verifies each credential (JSON, VC-JWT or a baked PNG or SVG)
// with v, decides which count towards the pathway, and reports each
// requirement. See EvaluateWith.
func Evaluate(ctx context.Context, p *Pathway, credentials [][]byte, v *verifier.Verifier) (*Progress, error) {
	return EvaluateWith(ctx, p, credentials, v, EvaluateOptions{})
}

// EvaluateWith is Evaluate with options. A component counts when it
// verifies with v (so v's configuration decides what is trusted: keys,
// status, clock, strictness), is for the learner (the same subject id, or
// the same plain or hashed identifier, see clr.Learner.Matches), comes from
// an allowed issuer, has not been given before (the same bytes, or the
// same id and issuer) and is the first given for its achievement, and its
// achievement is part of the pathway. When the pathway bounds the span of
// time (within), the components counted are those of the earliest window
// of that span whose components meet every requirement (or, if none does,
// all of them, and within is reported missing). The error is non-nil only
// for misuse (no verifier, an invalid pathway, more than MaxComponents) or
// when ctx ends; everything about the credentials is in the Progress.
func EvaluateWith(ctx context.Context, p *Pathway, credentials [][]byte, v *verifier.Verifier, opts EvaluateOptions) (*Progress, error) {
	if v == nil {
		return nil, ErrNoVerifier
	}
	if p == nil {
		return nil, &PathwayError{"$", "no pathway"}
	}
	if len(credentials) > MaxComponents {
		return nil, fmt.Errorf("%w: %d, more than %d", ErrTooManyComponents, len(credentials), MaxComponents)
	}
	comps := make([]Component, len(credentials))
	if err := verifyAll(ctx, v, credentials, comps); err != nil {
		return nil, err
	}

	required := map[string]bool{}
	p.Requires.each(func(id string) { required[id] = true })
	learner := opts.Learner
	byDigest := map[string]int{}
	byIdentity := map[[2]string]int{}
	byAchievement := map[string]int{}
	for i := range comps {
		c := &comps[i]
		if c.Status != "" {
			continue // not verified
		}
		if prev, ok := byDigest[c.DigestMultibase]; ok {
			c.reject(Duplicate, "the same credential as #%d", prev+1)
			continue
		}
		byDigest[c.DigestMultibase] = i
		// The same credential by the OB 3.0 equality rule (credential.Same):
		// the same id and issuer.
		key := [2]string{normalized(c.ID), normalized(c.Issuer)}
		if prev, ok := byIdentity[key]; ok && c.ID != "" && c.Issuer != "" {
			c.reject(Duplicate, "the same credential (id %s, issuer %s) as #%d", c.ID, c.Issuer, prev+1)
			continue
		}
		byIdentity[key] = i
		sub := c.cred.Subject()
		if learner.IsZero() {
			learner = clr.LearnerOf(sub)
		}
		if l := clr.LearnerOf(sub); !learner.Matches(l) {
			c.reject(OtherLearner, "for %s, not %s", l, learner)
			continue
		}
		if len(p.Requires.Issuers) > 0 && !slices.Contains(p.Requires.Issuers, c.Issuer) {
			c.reject(IssuerNotAllowed, "issued by %s, which the pathway does not allow", c.Issuer)
			continue
		}
		if c.ID == "" {
			c.reject(Unusable, "the credential has no id, so it cannot be named as evidence")
			continue
		}
		if c.Achievement == "" {
			c.reject(Unusable, "the credential names no achievement")
			continue
		}
		if !required[c.Achievement] {
			c.Status, c.Reason = NotRequired, "achievement "+c.Achievement+" is not part of the pathway"
			continue
		}
		if prev, ok := byAchievement[c.Achievement]; ok {
			c.reject(Duplicate, "a second credential for %s, which #%d counts for already", c.Achievement, prev+1)
			continue
		}
		byAchievement[c.Achievement] = i
		c.Status = Counted
	}

	prog := &Progress{Pathway: p, Certificate: p.Achievement.ID, Learner: learner, Components: comps}
	candidates := prog.countedIndexes()
	chosen := candidates
	if w := p.Requires.Within; !w.IsZero() && len(candidates) > 0 {
		chosen = nil
		sorted := slices.Clone(candidates)
		slices.SortStableFunc(sorted, func(a, b int) int { return comps[a].ValidFrom.Compare(comps[b].ValidFrom) })
		for start := range sorted {
			end := w.AddTo(comps[sorted[start]].ValidFrom)
			var window []int
			for _, k := range sorted[start:] {
				if !comps[k].ValidFrom.After(end) {
					window = append(window, k)
				}
			}
			if prog.evaluate(window, false) {
				chosen = window
				break
			}
		}
		if chosen == nil {
			chosen = candidates
		} else {
			for _, k := range candidates {
				if !slices.Contains(chosen, k) {
					comps[k].Status = OutsideWindow
					comps[k].Reason = fmt.Sprintf("issued %s, outside the %s of the components counted", comps[k].ValidFrom.Format(time.DateOnly), w)
				}
			}
		}
	}
	prog.Met = prog.evaluate(chosen, true)
	return prog, nil
}

func (c *Component) reject(s Status, format string, args ...any) {
	c.Status, c.Reason = s, fmt.Sprintf(format, args...)
}

func (p *Progress) countedIndexes() []int {
	var out []int
	for i, c := range p.Components {
		if c.Status == Counted {
			out = append(out, i)
		}
	}
	return out
}

// each calls f with every achievement id of the requirement and its groups.
func (r *Requirement) each(f func(id string)) {
	for _, id := range r.Achievements {
		f(id)
	}
	for i := range r.Groups {
		r.Groups[i].each(f)
	}
}

// evaluate judges the pathway on the components at indexes, and records
// the reports when report is set.
func (p *Progress) evaluate(indexes []int, report bool) bool {
	have := make(map[string]int, len(indexes))
	for _, k := range indexes {
		have[p.Components[k].Achievement] = k
	}
	var out *[]RequirementReport
	if report {
		p.Requirements = p.Requirements[:0]
		out = &p.Requirements
	}
	met := p.Pathway.Requires.eval(p, have, "$.requires", out)
	r := &p.Pathway.Requires
	if r.MinimumCredits != nil {
		sum := 0.0
		for _, k := range indexes {
			if c := p.Components[k].Credits; c != nil {
				sum += *c
			}
		}
		ok := sum >= *r.MinimumCredits
		met = met && ok
		if out != nil {
			*out = append(*out, RequirementReport{Path: "$.requires.minimumCredits", Requirement: fmt.Sprintf("at least %s credits", num(*r.MinimumCredits)),
				Met: ok, Detail: fmt.Sprintf("%s credits earned", num(sum))})
		}
	}
	if !r.Within.IsZero() {
		ok, detail := true, "no components"
		if len(indexes) > 0 {
			first, last := p.Components[indexes[0]].ValidFrom, p.Components[indexes[0]].ValidFrom
			for _, k := range indexes {
				t := p.Components[k].ValidFrom
				if t.Before(first) {
					first = t
				}
				if t.After(last) {
					last = t
				}
			}
			ok = !last.After(r.Within.AddTo(first))
			detail = fmt.Sprintf("issued from %s to %s", first.Format(time.DateOnly), last.Format(time.DateOnly))
		}
		met = met && ok
		if out != nil {
			*out = append(*out, RequirementReport{Path: "$.requires.within", Requirement: "components issued within " + r.Within.String(), Met: ok, Detail: detail})
		}
	}
	return met
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// eval judges a requirement (recording its reports in out when not nil).
func (r *Requirement) eval(p *Progress, have map[string]int, path string, out *[]RequirementReport) bool {
	start := 0
	if out != nil {
		start = len(*out)
	}
	n := 0
	var missing []string
	for i, id := range r.Achievements {
		k, ok := have[id]
		if ok {
			n++
		} else {
			missing = append(missing, id)
		}
		if out != nil {
			rep := RequirementReport{Path: path + ".achievements[" + strconv.Itoa(i) + "]", Requirement: "achievement " + id, Met: ok, Detail: "missing"}
			if ok {
				c := &p.Components[k]
				rep.Detail = fmt.Sprintf("credential #%d (%s)", c.Index+1, c.AchievementName)
			}
			*out = append(*out, rep)
		}
	}
	for i := range r.Groups {
		at := path + ".groups[" + strconv.Itoa(i) + "]"
		if r.Groups[i].eval(p, have, at, out) {
			n++
		} else {
			missing = append(missing, at)
		}
	}
	need := r.needed()
	ok := n >= need
	if out != nil {
		total := len(r.Achievements) + len(r.Groups)
		noun := "achievements and groups"
		switch {
		case len(r.Groups) == 0:
			noun = "achievements"
		case len(r.Achievements) == 0:
			noun = "groups"
		}
		what := fmt.Sprintf("all %d %s", total, noun)
		if need < total {
			what = fmt.Sprintf("%d of the %d %s", need, total, noun)
		}
		detail := fmt.Sprintf("%d met", n)
		if !ok {
			detail += fmt.Sprintf(", %d more needed, from: %s", need-n, strings.Join(missing, ", "))
		} else {
			// What is not met below a list that is met is not needed.
			for i := start; i < len(*out); i++ {
				if !(*out)[i].Met {
					(*out)[i].Optional = true
				}
			}
		}
		*out = append(*out, RequirementReport{Path: path, Requirement: what, Met: ok, Detail: detail})
	}
	return ok
}

// verifyAll verifies the credentials on every core and fills in what each
// says; a credential that does not verify gets the status NotVerified.
func verifyAll(ctx context.Context, v *verifier.Verifier, credentials [][]byte, comps []Component) error {
	workers := min(runtime.GOMAXPROCS(0), len(credentials))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				comps[i] = inspect(ctx, v, i, credentials[i])
			}
		}()
	}
	for i := range credentials {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	return ctx.Err()
}

// inspect verifies one credential and reads what counting it needs.
func inspect(ctx context.Context, v *verifier.Verifier, i int, data []byte) Component {
	c := Component{Index: i, data: unbaked(data), MediaType: "application/vc+ld+json"}
	if t := bytes.TrimSpace(c.data); len(t) > 0 && t[0] != '{' {
		c.MediaType = "application/vc+jwt"
	}
	c.DigestMultibase = Digest(c.data)
	r, err := v.Verify(ctx, data)
	if err != nil {
		c.reject(NotVerified, "%v", err)
		return c
	}
	c.Result = r
	if cr := r.Credential; cr != nil {
		c.cred = cr
		c.ID, c.Issuer = cr.ID, cr.Issuer.ID()
		c.ValidFrom, _, _ = cr.ValidityPeriod()
		if s := cr.Subject(); s != nil {
			c.Achievement = s.Achievement.ID()
			c.Credits = s.CreditsEarned
			if a := s.Achievement.Achievement; a != nil {
				c.AchievementName = a.Name
				if c.Credits == nil {
					c.Credits = a.CreditsAvailable
				}
			}
		}
	}
	if !r.Verified {
		_, why, _ := strings.Cut(r.Summary(), ": ")
		c.reject(NotVerified, "%s", why)
	}
	return c
}

// normalized is an identifier as credential.Same compares it.
func normalized(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		s = u
	}
	return strings.TrimSpace(s)
}

// unbaked returns the credential baked into an image, or data itself.
func unbaked(data []byte) []byte {
	if bake.IsImage(data) {
		if b, err := bake.Unbake(data); err == nil {
			return []byte(b.Credential)
		}
	}
	return data
}

// Digest returns the digestMultibase of data: the SHA-256 multihash
// (0x12 0x20 and the digest), base64url multibase ("u…"), the form the VC
// Data Model 2.0 examples use.
func Digest(data []byte) string {
	sum := sha256.Sum256(data)
	return "u" + base64.RawURLEncoding.EncodeToString(append([]byte{0x12, 0x20}, sum[:]...))
}
