package stack

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/internal/strictjson"
)

// ErrPathway is wrapped by every *PathwayError.
var ErrPathway = errors.New("stack: invalid pathway")

// PathwayError says which field of a pathway is wrong and why.
type PathwayError struct {
	Path   string // e.g. $.requires.minimum
	Reason string
}

func (e *PathwayError) Error() string { return ErrPathway.Error() + ": " + e.Path + ": " + e.Reason }

// Unwrap returns ErrPathway.
func (e *PathwayError) Unwrap() error { return ErrPathway }

// Limits of a pathway document: it is small and written by hand, so
// anything larger is refused rather than worked on.
const (
	MaxPathwayBytes  = 1 << 20
	MaxPathwayDepth  = 16    // nesting of JSON values, groups included
	MaxRequirements  = 10000 // component achievements and groups, in all
	maxCreditsAmount = 1e9
)

// Pathway is what earns a certificate.
type Pathway struct {
	// Achievement is the certificate's achievement, which Issue awards.
	Achievement credential.Achievement
	// Requires is what the components must show.
	Requires Requirement
}

// Requirement is a set of component achievements, of which Minimum must be
// met (all by default), each an achievement id or a nested group. Issuers,
// MinimumCredits and Within apply to the pathway as a whole and are only
// allowed at its top level.
type Requirement struct {
	// Achievements are the ids of component achievements.
	Achievements []string
	// Groups are nested requirements, each met or not as a whole (an
	// any-of group has Minimum 1, an all-of group none).
	Groups []Requirement
	// Minimum is how many of Achievements and Groups must be met; 0 means
	// all of them.
	Minimum int
	// Issuers, when not empty, allows only components issued by these ids.
	Issuers []string
	// MinimumCredits, when not nil, is the sum of credits the counted
	// components must reach (each component's creditsEarned, or else its
	// achievement's creditsAvailable).
	MinimumCredits *float64
	// Within, when not zero, bounds the span between the earliest and the
	// latest validFrom of the counted components.
	Within Duration
}

// needed is how many items must be met.
func (r *Requirement) needed() int {
	if r.Minimum > 0 {
		return r.Minimum
	}
	return len(r.Achievements) + len(r.Groups)
}

// Duration is an ISO 8601 duration (PnYnMnWnDTnHnMnS, whole numbers), kept
// in its parts so that years and months are calendar years and months.
type Duration struct {
	Years, Months, Weeks, Days, Hours, Minutes, Seconds int
	text                                                string
}

// IsZero reports whether the duration is absent.
func (d Duration) IsZero() bool { return d.text == "" }

// String returns the duration as written.
func (d Duration) String() string { return d.text }

// AddTo returns t plus the duration.
func (d Duration) AddTo(t time.Time) time.Time {
	t = t.AddDate(d.Years, d.Months, 7*d.Weeks+d.Days)
	return t.Add(time.Duration(d.Hours)*time.Hour + time.Duration(d.Minutes)*time.Minute + time.Duration(d.Seconds)*time.Second)
}

// ParseDuration reads an ISO 8601 duration such as P2Y, P18M, P1Y6M,
// P90D, P2W or PT36H. Every part is a whole number (fractions are
// refused), at least one part is given, and nothing is negative.
func ParseDuration(s string) (Duration, error) {
	d := Duration{text: s}
	rest, ok := strings.CutPrefix(s, "P")
	if !ok {
		return Duration{}, errors.New("an ISO 8601 duration starts with P")
	}
	inTime, parts, order := false, 0, 0
	for rest != "" {
		if rest[0] == 'T' {
			if inTime {
				return Duration{}, errors.New("the time designator T is given twice")
			}
			inTime, rest = true, rest[1:]
			if rest == "" {
				return Duration{}, errors.New("nothing after T")
			}
			continue
		}
		i := 0
		for i < len(rest) && '0' <= rest[i] && rest[i] <= '9' {
			i++
		}
		if i == 0 || i == len(rest) {
			return Duration{}, fmt.Errorf("expected a whole number and a designator at %q", rest)
		}
		if i > 6 {
			return Duration{}, fmt.Errorf("%s is too large", rest[:i])
		}
		n, _ := strconv.Atoi(rest[:i])
		unit := rest[i]
		rest = rest[i+1:]
		designators := "YMWD"
		if inTime {
			designators = "HMS"
		}
		pos := strings.IndexByte(designators, unit)
		if pos < 0 {
			return Duration{}, fmt.Errorf("unknown designator %q", unit)
		}
		rank := pos + 1
		if inTime {
			rank += 4
		}
		if rank <= order {
			return Duration{}, fmt.Errorf("designator %q out of order", unit)
		}
		order = rank
		parts++
		switch {
		case !inTime && unit == 'Y':
			d.Years = n
		case !inTime && unit == 'M':
			d.Months = n
		case unit == 'W':
			d.Weeks = n
		case unit == 'D':
			d.Days = n
		case unit == 'H':
			d.Hours = n
		case unit == 'M':
			d.Minutes = n
		case unit == 'S':
			d.Seconds = n
		}
	}
	if parts == 0 {
		return Duration{}, errors.New("no amount")
	}
	return d, nil
}

// ParsePathway reads a pathway from untrusted JSON: strictly (duplicate
// members, invalid UTF-8, members that differ from a field only by case,
// unknown members, beyond MaxPathwayBytes or MaxPathwayDepth), and checks
// it: an achievement the OB 3.0 rules accept, a requires with at least one
// achievement or group, ids that are URIs and given once, a minimum between
// 1 and the number of items, credits that are a number of zero or more, a
// valid duration. Every refusal is a *PathwayError naming the field.
func ParsePathway(data []byte) (*Pathway, error) {
	if len(data) > MaxPathwayBytes {
		return nil, &PathwayError{"$", fmt.Sprintf("more than %d bytes", MaxPathwayBytes)}
	}
	if _, err := strictjson.Decode(data, strictjson.Options{MaxBytes: MaxPathwayBytes, MaxDepth: MaxPathwayDepth}); err != nil {
		var je *strictjson.Error
		if errors.As(err, &je) {
			return nil, &PathwayError{je.Path, je.Err.Error()}
		}
		return nil, &PathwayError{"$", err.Error()}
	}
	top, err := members(data, "$", "achievement", "requires")
	if err != nil {
		return nil, err
	}
	p := &Pathway{}
	raw, ok := top["achievement"]
	if !ok {
		return nil, &PathwayError{"$.achievement", "required"}
	}
	if err := p.Achievement.UnmarshalJSON(raw); err != nil {
		return nil, &PathwayError{"$.achievement", err.Error()}
	}
	if errs := p.Achievement.Validate().Errors(); len(errs) > 0 {
		e := errs[0]
		return nil, &PathwayError{"$.achievement" + strings.TrimPrefix(e.Path, "$"), e.Message}
	}
	if p.Achievement.ID == "" {
		return nil, &PathwayError{"$.achievement.id", "required: the certificate's achievement is named by its id"}
	}
	raw, ok = top["requires"]
	if !ok {
		return nil, &PathwayError{"$.requires", "required"}
	}
	count := 0
	if err := p.Requires.parse(raw, "$.requires", true, &count); err != nil {
		return nil, err
	}
	// A component achievement counts once in the whole pathway.
	seen := map[string]string{}
	var walk func(r *Requirement, path string) error
	walk = func(r *Requirement, path string) error {
		for i, id := range r.Achievements {
			at := path + ".achievements[" + strconv.Itoa(i) + "]"
			if prev, dup := seen[id]; dup {
				return &PathwayError{at, fmt.Sprintf("%s is listed already, at %s", id, prev)}
			}
			if id == p.Achievement.ID {
				return &PathwayError{at, "the certificate's own achievement cannot be one of its components"}
			}
			seen[id] = at
		}
		for i := range r.Groups {
			if err := walk(&r.Groups[i], path+".groups["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(&p.Requires, "$.requires"); err != nil {
		return nil, err
	}
	return p, nil
}

// members reads a JSON object's members, refusing any not in known (and
// naming it, with a hint when it differs from a field only by case).
func members(data []byte, path string, known ...string) (map[string]json.RawMessage, error) {
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		return nil, &PathwayError{path, "must be a JSON object"}
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, &PathwayError{path, err.Error()}
	}
	for _, k := range sortedKeys(m) {
		if slices.Contains(known, k) {
			continue
		}
		for _, f := range known {
			if strings.EqualFold(k, f) {
				return nil, &PathwayError{path + "." + k, fmt.Sprintf("unknown field (did you mean %s? names are case-sensitive)", f)}
			}
		}
		return nil, &PathwayError{path + "." + k, "unknown field (known: " + strings.Join(known, ", ") + ")"}
	}
	return m, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func (r *Requirement) parse(data []byte, path string, top bool, count *int) error {
	known := []string{"achievements", "groups", "minimum"}
	if top {
		known = append(known, "issuers", "minimumCredits", "within")
	}
	m, err := members(data, path, known...)
	if err != nil {
		if pe := (*PathwayError)(nil); errors.As(err, &pe) && !top && strings.HasPrefix(pe.Reason, "unknown field") {
			for _, k := range []string{"issuers", "minimumCredits", "within"} {
				if pe.Path == path+"."+k {
					pe.Reason = "allowed only at the top of requires: it applies to the whole pathway"
				}
			}
		}
		return err
	}
	if raw, ok := m["achievements"]; ok {
		if r.Achievements, err = stringList(raw, path+".achievements", true); err != nil {
			return err
		}
		*count += len(r.Achievements)
	}
	if raw, ok := m["groups"]; ok {
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil || isNull(raw) {
			return &PathwayError{path + ".groups", "must be an array of requirements"}
		}
		if len(items) == 0 {
			return &PathwayError{path + ".groups", "empty: leave it out"}
		}
		r.Groups = make([]Requirement, len(items))
		for i, item := range items {
			if err := r.Groups[i].parse(item, path+".groups["+strconv.Itoa(i)+"]", false, count); err != nil {
				return err
			}
		}
		*count += len(items)
	}
	if *count > MaxRequirements {
		return &PathwayError{path, fmt.Sprintf("more than %d requirements", MaxRequirements)}
	}
	items := len(r.Achievements) + len(r.Groups)
	if items == 0 {
		return &PathwayError{path, "empty: it needs at least one achievement or group"}
	}
	if raw, ok := m["minimum"]; ok {
		n, err := strconv.Atoi(string(bytes.TrimSpace(raw)))
		if err != nil {
			return &PathwayError{path + ".minimum", "must be a whole number"}
		}
		if n < 1 {
			return &PathwayError{path + ".minimum", "must be at least 1"}
		}
		if n > items {
			return &PathwayError{path + ".minimum", fmt.Sprintf("%d is more than the %d achievements and groups listed", n, items)}
		}
		r.Minimum = n
	}
	if raw, ok := m["issuers"]; ok {
		if r.Issuers, err = stringList(raw, path+".issuers", true); err != nil {
			return err
		}
	}
	if raw, ok := m["minimumCredits"]; ok {
		var f float64
		if err := json.Unmarshal(raw, &f); err != nil || isNull(raw) {
			return &PathwayError{path + ".minimumCredits", "must be a number"}
		}
		if f < 0 || math.IsNaN(f) || f > maxCreditsAmount {
			return &PathwayError{path + ".minimumCredits", "must be zero or more (and sensible)"}
		}
		r.MinimumCredits = &f
	}
	if raw, ok := m["within"]; ok {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil || isNull(raw) {
			return &PathwayError{path + ".within", "must be an ISO 8601 duration string, such as P2Y"}
		}
		d, err := ParseDuration(s)
		if err != nil {
			return &PathwayError{path + ".within", fmt.Sprintf("%q is not an ISO 8601 duration: %v", s, err)}
		}
		r.Within = d
	}
	return nil
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

// stringList reads a non-empty array of distinct URIs.
func stringList(raw json.RawMessage, path string, uris bool) ([]string, error) {
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil || isNull(raw) {
		return nil, &PathwayError{path, "must be an array of strings"}
	}
	if len(list) == 0 {
		return nil, &PathwayError{path, "empty: leave it out"}
	}
	seen := make(map[string]bool, len(list))
	for i, s := range list {
		at := path + "[" + strconv.Itoa(i) + "]"
		if uris && (!strings.Contains(s, ":") || strings.ContainsAny(s, " \t\r\n")) {
			return nil, &PathwayError{at, fmt.Sprintf("%q is not a URI", s)}
		}
		if seen[s] {
			return nil, &PathwayError{at, fmt.Sprintf("%s is listed twice", s)}
		}
		seen[s] = true
	}
	return list, nil
}

// MarshalJSON writes the pathway in the form ParsePathway reads.
func (p Pathway) MarshalJSON() ([]byte, error) {
	type req struct {
		Achievements   []string          `json:"achievements,omitempty"`
		Groups         []json.RawMessage `json:"groups,omitempty"`
		Minimum        int               `json:"minimum,omitempty"`
		Issuers        []string          `json:"issuers,omitempty"`
		MinimumCredits *float64          `json:"minimumCredits,omitempty"`
		Within         string            `json:"within,omitempty"`
	}
	var conv func(r *Requirement) (json.RawMessage, error)
	conv = func(r *Requirement) (json.RawMessage, error) {
		x := req{Achievements: r.Achievements, Minimum: r.Minimum, Issuers: r.Issuers, MinimumCredits: r.MinimumCredits, Within: r.Within.text}
		for i := range r.Groups {
			g, err := conv(&r.Groups[i])
			if err != nil {
				return nil, err
			}
			x.Groups = append(x.Groups, g)
		}
		return json.Marshal(x)
	}
	r, err := conv(&p.Requires)
	if err != nil {
		return nil, err
	}
	a, err := p.Achievement.MarshalJSON()
	if err != nil {
		return nil, err
	}
	return json.Marshal(struct {
		Achievement json.RawMessage `json:"achievement"`
		Requires    json.RawMessage `json:"requires"`
	}{a, r})
}
