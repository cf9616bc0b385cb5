package clr

import (
	"strings"

	"github.com/microcred/openbadges/credential"
)

// Learner identifies the person a credential is about: the subject's id
// and its identity objects (plain or hashed).
type Learner struct {
	ID         string                      `json:"id,omitempty"`
	Identifier []credential.IdentityObject `json:"identifier,omitempty"`
}

// LearnerOf returns the learner an achievement subject names.
func LearnerOf(s *credential.AchievementSubject) Learner {
	if s == nil {
		return Learner{}
	}
	return Learner{ID: s.ID, Identifier: s.Identifier.Items}
}

// Learner returns the learner the CLR is about.
func (s *ClrSubject) Learner() Learner {
	return Learner{ID: s.ID, Identifier: s.Identifier.Items}
}

// IsZero reports whether the learner has neither id nor identifier.
func (l Learner) IsZero() bool { return l.ID == "" && len(l.Identifier) == 0 }

// String returns the id, or the first identifier's type and value (a hash
// when hashed), for messages.
func (l Learner) String() string {
	if l.ID != "" {
		return l.ID
	}
	if len(l.Identifier) > 0 {
		o := l.Identifier[0]
		return string(o.IdentityType) + " " + o.IdentityHash
	}
	return "(no learner)"
}

// Matches reports whether l and o are shown to be the same person: the
// same id (compared after trimming white space), or an identity object of
// each with the same identityType and the same value, where the values
// compare as the OB 3.0 recipient check does (two hashes are equal only
// when their hashes are, so with the same salt; a plain value matches a
// hashed one when it hashes to it). Learners with nothing in common are
// not shown to be the same, even if they are one person.
func (l Learner) Matches(o Learner) bool {
	if l.ID != "" && strings.TrimSpace(l.ID) == strings.TrimSpace(o.ID) {
		return true
	}
	for _, a := range l.Identifier {
		for _, b := range o.Identifier {
			if a.IdentityType == b.IdentityType && a.IdentityType != "" && sameIdentity(a, b) {
				return true
			}
		}
	}
	return false
}

func hashed(o credential.IdentityObject) bool { return o.Hashed != nil && *o.Hashed }

func sameIdentity(a, b credential.IdentityObject) bool {
	if a.IdentityHash == "" || b.IdentityHash == "" {
		return false
	}
	switch {
	case hashed(a) && hashed(b):
		return a.Salt == b.Salt && strings.EqualFold(a.IdentityHash, b.IdentityHash)
	case hashed(a):
		return credential.MatchIdentity(a, b.IdentityHash)
	case hashed(b):
		return credential.MatchIdentity(b, a.IdentityHash)
	}
	return a.IdentityHash == b.IdentityHash
}
