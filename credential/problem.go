package credential

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Severity says whether a problem makes a credential invalid.
type Severity uint8

// Severities.
const (
	// SeverityError makes the credential invalid.
	SeverityError Severity = iota
	// SeverityWarning is worth fixing but allowed (an outdated context
	// version, a VCDM 1.1 badge).
	SeverityWarning
)

// String returns "error" or "warning".
func (s Severity) String() string {
	if s == SeverityWarning {
		return "warning"
	}
	return "error"
}

// MarshalText writes "error" or "warning".
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads "error" or "warning".
func (s *Severity) UnmarshalText(b []byte) error {
	switch string(b) {
	case "error":
		*s = SeverityError
	case "warning":
		*s = SeverityWarning
	default:
		return fmt.Errorf("credential: unknown severity %q", b)
	}
	return nil
}

// Standard names the specification a rule comes from, so that a verifier
// can relax the Open Badges rules (a lenient mode that accepts badges which
// do not quite conform) while still failing the VC Data Model ones, which
// decide what a credential says and who it is from.
type Standard uint8

// Standards.
const (
	// StandardVCDM: the VC Data Model (and JSON/JSON-LD integrity rules that decide what the
	// document means: contexts, types, issuer, credentialSubject, date formats, null/array/value-object
	// forms that canonicalize like others). A verifier fails these in every mode.
	StandardVCDM Standard = iota
	// StandardOB3: the Open Badges 3.0 (and CLR 2.0) data model and schema rules.
	StandardOB3
)

// String returns "vcdm" or "ob3" (or "Standard(n)" for a value that is
// neither).
func (s Standard) String() string {
	switch s {
	case StandardVCDM:
		return "vcdm"
	case StandardOB3:
		return "ob3"
	}
	return "Standard(" + strconv.Itoa(int(s)) + ")"
}

// MarshalText writes "vcdm" or "ob3"; any other value is an error.
func (s Standard) MarshalText() ([]byte, error) {
	if s != StandardVCDM && s != StandardOB3 {
		return nil, fmt.Errorf("credential: unknown standard %d", uint8(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalText reads "vcdm" or "ob3".
func (s *Standard) UnmarshalText(b []byte) error {
	switch string(b) {
	case "vcdm":
		*s = StandardVCDM
	case "ob3":
		*s = StandardOB3
	default:
		return fmt.Errorf("credential: unknown standard %q", b)
	}
	return nil
}

// Problem is one finding of Validate.
type Problem struct {
	// Path locates the value, e.g. $.credentialSubject.result[0].status.
	Path string `json:"path"`
	// Rule names the rule that failed, e.g. "required", "uri",
	// "datetime", "context.order"; see Validate for the list.
	Rule string `json:"rule"`
	// Message explains the problem in a sentence.
	Message string `json:"message"`
	// Severity is SeverityError or SeverityWarning.
	Severity Severity `json:"severity"`
	// Standard is the specification the rule comes from: StandardVCDM
	// (failed in every mode) or StandardOB3 (which a lenient verifier may
	// report as a warning). One rule name can come from either, such as
	// "required" for a credential's issuer (VCDM) and an achievement's
	// criteria (OB3).
	Standard Standard `json:"standard"`
}

// String formats the problem as "severity: path: message [rule]".
func (p Problem) String() string {
	return fmt.Sprintf("%s: %s: %s [%s]", p.Severity, p.Path, p.Message, p.Rule)
}

// Problems is everything Validate found, in document order.
type Problems []Problem

// HasErrors reports whether any problem is an error.
func (ps Problems) HasErrors() bool {
	for _, p := range ps {
		if p.Severity == SeverityError {
			return true
		}
	}
	return false
}

// Errors returns the problems of SeverityError.
func (ps Problems) Errors() Problems { return ps.filter(SeverityError) }

// Warnings returns the problems of SeverityWarning.
func (ps Problems) Warnings() Problems { return ps.filter(SeverityWarning) }

func (ps Problems) filter(s Severity) Problems {
	var out Problems
	for _, p := range ps {
		if p.Severity == s {
			out = append(out, p)
		}
	}
	return out
}

// ErrInvalid is wrapped by the error of Problems.Err.
var ErrInvalid = errors.New("credential: invalid")

// Err returns nil when there are no errors, and otherwise an error wrapping
// ErrInvalid that lists them.
func (ps Problems) Err() error {
	errs := ps.Errors()
	if len(errs) == 0 {
		return nil
	}
	var b strings.Builder
	for i, p := range errs {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.Path + ": " + p.Message)
	}
	return fmt.Errorf("%w: %s", ErrInvalid, b.String())
}

// The rules Validate reports (Problem.Rule); see Validate for their meaning.
const (
	RuleRequired          = "required"
	RuleShape             = "shape"
	RuleType              = "type"
	RuleURI               = "uri"
	RuleDateTime          = "datetime"
	RuleDate              = "date"
	RuleDatesOrder        = "dates.order"
	RuleContext           = "context"
	RuleContextOrder      = "context.order"
	RuleContextVersion    = "context.version"
	RuleVCDM              = "vcdm"
	RuleVCDMLegacy        = "vcdm.legacy"
	RuleEnum              = "enum"
	RuleSubject           = "subject"
	RuleResultDescription = "result.description"
	RuleResultLevel       = "result.level"
	RuleResultStatus      = "result.status"
	RuleResultValue       = "result.value"
	RuleRequiredLevel     = "resultDescription.requiredLevel"
	RuleCriteria          = "criteria"
	RuleRecommended       = "recommended"
	RuleIdentity          = "identity"
	RuleRelatedResource   = "related-resource"
	RuleProof             = "proof"
	RuleLanguage          = "language"
	RuleFormat            = "format"
	RuleClosed            = "closed"
	RuleImage             = "image"
	RuleImageString       = "image.string"
)
