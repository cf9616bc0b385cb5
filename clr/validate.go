package clr

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/microcred/openbadges/credential"
)

// The CLR rules Validate and Rules report (Problem.Rule), besides the rule
// names of the credential package (required, type, enum, shape, closed,
// uri, context.order, context.version).
const (
	// RuleCredential: an item of verifiableCredential is not an Open
	// Badges 3.0 credential (or cannot be read as one).
	RuleCredential = "clr.credential"
	// RuleLearner: an embedded credential is not shown to be about the
	// CLR's learner (see Learner.Matches).
	RuleLearner = "clr.learner"
	// RuleAssociation: an association names an achievement the CLR does
	// not hold (neither among its achievements nor as the achievement of
	// an embedded credential).
	RuleAssociation = "clr.association"
	// RuleAssociationCycle: associations of type isChildOf, isParentOf
	// and isPartOf make an achievement a part of itself.
	RuleAssociationCycle = "clr.association.cycle"
)

// Validate checks the CLR and returns every problem, errors and warnings,
// each with its JSON path: the VC Data Model rules of the envelope (as
// credential.Credential.Validate applies them to any credential), the CLR
// rules (see Rules), and, under their paths in the CLR, the problems of
// each embedded credential (its own Validate) and each achievement.
func (c *ClrCredential) Validate() credential.Problems {
	raw := c.Raw()
	if raw == nil {
		b, err := c.MarshalJSON()
		if err != nil {
			return credential.Problems{problem(credential.StandardVCDM, "$", credential.RuleShape, "the CLR cannot be written as JSON: %v", err)}
		}
		raw = b
	}
	env, err := credential.Parse(raw)
	if err != nil {
		return credential.Problems{parseProblem(err)}
	}
	ps := env.Validate()
	ps = append(ps, c.rules()...)
	for i, e := range c.CredentialSubject.VerifiableCredential {
		if e.Credential == nil || e.JWT != "" {
			continue // a VC-JWT is judged when verified
		}
		ps = append(ps, under(e.Credential.Validate(), c.CredentialSubject.vcPath(i))...)
	}
	return ps
}

// Rules returns the problems of the CLR rules of a credential typed
// ClrCredential, and nothing for any other credential. They are what
// credential.Credential.Validate leaves out: the CLR's context, id, name
// and validFrom, its ClrSubject (type, learner), that every embedded
// credential is an OB 3.0 credential for the CLR's learner, that every
// association is well formed and joins achievements the CLR holds, and
// that associations of isChildOf, isParentOf and isPartOf make no cycle.
// The embedded credentials' own problems are not included: the verifier
// verifies each. Every problem is of credential.StandardOB3, which a
// lenient verifier reports as a warning.
//
// The verifier and the issuer call Rules on every credential they check.
func Rules(c *credential.Credential) credential.Problems {
	if c == nil || !credential.HasType(c.Type, "ClrCredential") {
		return nil
	}
	raw := c.Raw()
	if raw == nil {
		b, err := c.MarshalJSON()
		if err != nil {
			return credential.Problems{problem(credential.StandardVCDM, "$", credential.RuleShape, "the CLR cannot be written as JSON: %v", err)}
		}
		raw = b
	}
	x, err := Parse(raw)
	if err != nil {
		return credential.Problems{parseProblem(err)}
	}
	return x.rules()
}

func parseProblem(err error) credential.Problem {
	path := "$"
	if pe, ok := err.(*credential.ParseError); ok {
		path = pe.Path
	}
	return problem(credential.StandardVCDM, path, credential.RuleShape, "%v", err)
}

func problem(std credential.Standard, path, rule, format string, args ...any) credential.Problem {
	return credential.Problem{Path: path, Rule: rule, Message: fmt.Sprintf(format, args...), Severity: credential.SeverityError, Standard: std}
}

// under moves problems found in an embedded document under path.
func under(ps credential.Problems, path string) credential.Problems {
	for i := range ps {
		ps[i].Path = path + strings.TrimPrefix(ps[i].Path, "$")
	}
	return ps
}

func (s *ClrSubject) vcPath(i int) string {
	if s.singleVC && len(s.VerifiableCredential) == 1 {
		return subjectPath + ".verifiableCredential"
	}
	return subjectPath + ".verifiableCredential[" + strconv.Itoa(i) + "]"
}

type rules struct{ ps credential.Problems }

func (r *rules) err(path, rule, format string, args ...any) {
	r.ps = append(r.ps, problem(credential.StandardOB3, path, rule, format, args...))
}

func (r *rules) warn(path, rule, format string, args ...any) {
	p := problem(credential.StandardOB3, path, rule, format, args...)
	p.Severity = credential.SeverityWarning
	r.ps = append(r.ps, p)
}

func itemPath(path string, single bool, i int) string {
	if single {
		return path
	}
	return path + "[" + strconv.Itoa(i) + "]"
}

func (c *ClrCredential) rules() credential.Problems {
	r := &rules{}
	if !credential.HasType(c.Type, "ClrCredential") {
		r.err("$.type", credential.RuleType, "type must include ClrCredential")
	}
	vcdm11 := len(c.Context.Items) > 0 && c.Context.Items[0].URL == credential.ContextV1
	switch {
	case len(c.Context.Items) < 2:
		r.err("$.@context", credential.RuleContextOrder, "the second @context must be the CLR 2.0 context %s", Context)
	case c.Context.Items[1].URL == Context:
	case c.Context.Items[1].URL == ContextLegacy:
		if !vcdm11 {
			r.warn("$.@context[1]", credential.RuleContextVersion, "%s is the first CLR 2.0 context; CLRs of the VC Data Model 2.0 use %s", ContextLegacy, Context)
		}
	default:
		r.err("$.@context[1]", credential.RuleContextOrder, "the second @context must be the CLR 2.0 context %s", Context)
	}
	if c.ID == "" {
		r.err("$.id", credential.RuleRequired, "a CLR must have an id")
	}
	if c.Name == "" {
		r.err("$.name", credential.RuleRequired, "a CLR must have a name")
	}
	if !vcdm11 && c.ValidFrom == "" {
		r.err("$.validFrom", credential.RuleRequired, "a CLR must have validFrom")
	}
	if _, ok := c.Extra["partial"]; ok {
		r.err("$.partial", credential.RuleShape, "partial must be true or false")
	}
	if raw, ok := c.Extra["credentialSubject"]; ok {
		r.err(subjectPath, credential.RuleShape, "the credentialSubject of a CLR is one ClrSubject object, not %s", kindOf(raw))
		return r.ps
	}
	c.CredentialSubject.rules(r)
	return r.ps
}

func (s *ClrSubject) rules(r *rules) {
	if !slices.Contains(s.Type.Items, "ClrSubject") {
		r.err(subjectPath+".type", credential.RuleType, "the credentialSubject's type must include ClrSubject")
	}
	for _, k := range subjectTerms {
		if raw, ok := s.Extra[k]; ok {
			r.err(subjectPath+"."+k, credential.RuleShape, "%s has a form a ClrSubject cannot hold (%s)", k, kindOf(raw))
		}
	}
	for k, raw := range s.Extra {
		if isNull(raw) && !slices.Contains(subjectTerms, k) {
			r.err(subjectPath+"."+k, credential.RuleShape, "%s is null", k)
		}
	}
	learner := s.Learner()
	if learner.IsZero() {
		r.err(subjectPath, credential.RuleRequired, "a ClrSubject needs an id or an identifier")
	}
	for i, o := range s.Identifier.Items {
		p := itemPath(subjectPath+".identifier", s.Identifier.Single, i)
		if o.IdentityHash == "" {
			r.err(p+".identityHash", credential.RuleRequired, "an identifier needs an identityHash")
		}
		if o.IdentityType == "" {
			r.err(p+".identityType", credential.RuleRequired, "an identifier needs an identityType")
		} else if !o.IdentityType.IsValid() {
			r.err(p+".identityType", credential.RuleEnum, "%q is not an identity type", o.IdentityType)
		}
		if o.Hashed == nil {
			r.err(p+".hashed", credential.RuleRequired, "an identifier needs hashed")
		}
	}
	// The achievements the CLR holds: its own, and those of its credentials.
	held := map[string]bool{}
	for i := range s.Achievement.Items {
		a := &s.Achievement.Items[i]
		p := itemPath(subjectPath+".achievement", s.Achievement.Single, i)
		r.ps = append(r.ps, under(a.Validate(), p)...)
		if a.ID != "" {
			held[a.ID] = true
		}
	}
	if _, bad := s.Extra["verifiableCredential"]; !bad && len(s.VerifiableCredential) == 0 {
		r.err(subjectPath+".verifiableCredential", credential.RuleRequired, "a CLR holds at least one credential")
	}
	for i := range s.VerifiableCredential {
		e := &s.VerifiableCredential[i]
		p := s.vcPath(i)
		if e.Credential == nil {
			r.err(p, RuleCredential, "not a VC-JWT whose payload is a credential that can be read")
			continue
		}
		if !e.Credential.IsBadge() || credential.HasType(e.Credential.Type, "EndorsementCredential") {
			r.err(p+".type", RuleCredential, "an embedded credential must be an Open Badges 3.0 AchievementCredential or OpenBadgeCredential")
		}
		sub := e.Credential.Subject()
		if sub == nil {
			continue // its own Validate reports it
		}
		if id := sub.Achievement.ID(); id != "" {
			held[id] = true
		}
		if l := LearnerOf(sub); !learner.IsZero() && !learner.Matches(l) {
			r.err(p+".credentialSubject", RuleLearner, "the credential is for %s, not the CLR's learner %s", l, learner)
		}
	}
	s.associationRules(r, held)
}

// The associations that make the source a part of the target (the
// hierarchy, where a cycle is a contradiction) and in which direction.
func partOf(a *Association) (child, parent string, ok bool) {
	switch a.AssociationType {
	case IsChildOf, IsPartOf:
		return a.SourceID, a.TargetID, true
	case IsParentOf:
		return a.TargetID, a.SourceID, true
	}
	return "", "", false
}

func (s *ClrSubject) associationRules(r *rules, held map[string]bool) {
	type edge struct {
		to  string
		idx int
	}
	graph := map[string][]edge{}
	for i := range s.Association {
		a := &s.Association[i]
		p := itemPath(subjectPath+".association", s.singleAssociation, i)
		if !slices.Contains(a.Type.Items, "Association") {
			r.err(p+".type", credential.RuleType, "an association's type must be Association")
		}
		switch {
		case a.AssociationType == "":
			r.err(p+".associationType", credential.RuleRequired, "an association needs an associationType")
		case !a.AssociationType.IsValid():
			r.err(p+".associationType", credential.RuleEnum, "%q is not an association type", a.AssociationType)
		}
		for _, end := range []struct{ name, id string }{{"sourceId", a.SourceID}, {"targetId", a.TargetID}} {
			switch {
			case end.id == "":
				if _, bad := a.Extra[end.name]; !bad {
					r.err(p+"."+end.name, credential.RuleRequired, "an association needs a %s", end.name)
				}
			case !strings.Contains(end.id, ":"):
				r.err(p+"."+end.name, credential.RuleURI, "%s %q is not a URI", end.name, end.id)
			case !held[end.id]:
				r.err(p+"."+end.name, RuleAssociation, "%s %s names no achievement of the CLR", end.name, end.id)
			}
		}
		for _, k := range sortedKeys(a.Extra) {
			if slices.Contains(associationTerms, k) {
				r.err(p+"."+k, credential.RuleShape, "%s has a form an Association cannot hold (%s)", k, kindOf(a.Extra[k]))
			} else {
				r.err(p+"."+k, credential.RuleClosed, "an Association has no member %s", k)
			}
		}
		if child, parent, ok := partOf(a); ok && child != "" && parent != "" {
			graph[child] = append(graph[child], edge{parent, i})
		}
	}
	// Depth-first search for back edges, without recursion (a hostile
	// chain may be long); nodes in name order so that the report is the
	// same every time.
	const (
		white = iota
		grey
		black
	)
	color := make(map[string]int, len(graph))
	nodes := make([]string, 0, len(graph))
	for n := range graph {
		nodes = append(nodes, n)
	}
	slices.Sort(nodes)
	type frame struct {
		node string
		next int
	}
	for _, start := range nodes {
		if color[start] != white {
			continue
		}
		stack := []frame{{node: start}}
		color[start] = grey
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			if f.next == len(graph[f.node]) {
				color[f.node] = black
				stack = stack[:len(stack)-1]
				continue
			}
			e := graph[f.node][f.next]
			f.next++
			switch color[e.to] {
			case white:
				color[e.to] = grey
				stack = append(stack, frame{node: e.to})
			case grey:
				// The path from e.to down the stack to f.node, then e.to.
				var cycle []string
				for j := range stack {
					if stack[j].node == e.to || len(cycle) > 0 {
						cycle = append(cycle, stack[j].node)
					}
				}
				cycle = append(cycle, e.to)
				if len(cycle) > 6 { // a hostile chain: the ends say enough
					cycle = append(append(cycle[:3:3], "…"), cycle[len(cycle)-2:]...)
				}
				a := &s.Association[e.idx]
				r.err(itemPath(subjectPath+".association", s.singleAssociation, e.idx), RuleAssociationCycle,
					"%s %s %s makes an achievement part of itself: %s", a.SourceID, a.AssociationType, a.TargetID, strings.Join(cycle, " → "))
			}
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
