package web

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/microcred/openbadges/verifier"
	"github.com/microcred/openbadges/web/check"
)

// TranscriptInput is one credential of a transcript: an Open Badges 3.0
// credential or a CLR (ClrCredential), in any form check.Verify reads.
type TranscriptInput struct {
	// Name names the input in messages (a file name).
	Name string
	Data []byte
}

// Transcript is a printable record of achievements: what WriteTranscript
// renders, built by BuildTranscript.
type Transcript struct {
	Title        string
	Learners     []string
	Institutions []Institution
	Groups       []Group
	// Verdict is the worst verdict of the inputs (check.Verdict…).
	Verdict  string
	Created  string
	Verified int
	Total    int
}

// Institution is an issuer named in the transcript.
type Institution struct{ Name, ID, URL string }

// Group is a heading (a CLR association's target, or "Achievements") and
// the achievements under it.
type Group struct {
	Heading string
	// Relation says how the items relate to the heading's achievement
	// ("Each is child of …"), for a CLR's association.
	Relation string
	// Lead is the credential of the heading's achievement itself, when
	// the CLR holds it.
	Lead  []Item
	Items []Item
}

// Item is one achievement of a transcript.
type Item struct {
	Name, Description, AchievementType, ID string
	Issuer, IssuerID                       string
	ValidFrom, ValidUntil, Credits         string
	Results                                []string
	Alignments                             []string
	Verdict, VerdictText, Reason           string
	Source                                 string
}

// BuildTranscript verifies each input with check.Verify (strict) and
// gathers what a transcript shows. An input that is not a credential at all
// is an error; one that does not verify is listed, marked so.
func BuildTranscript(ctx context.Context, inputs []TranscriptInput, opt check.Options, now time.Time) (*Transcript, error) {
	t := &Transcript{Title: "Transcript of achievements", Verdict: check.VerdictVerified, Created: now.UTC().Format("2 January 2006")}
	main := Group{Heading: "Achievements"}
	var groups []Group
	learners := map[string]bool{}
	issuers := map[string]bool{}
	for _, in := range inputs {
		rep, err := check.Verify(ctx, in.Data, opt)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", in.Name, err)
		}
		doc, _ := decode(rep.Credential)
		if doc == nil {
			return nil, fmt.Errorf("%s: not a credential: %s", in.Name, rep.Reason)
		}
		t.worst(rep.Verdict)
		subj := first(doc["credentialSubject"])
		if l := learnerOf(subj); l != "" && !learners[l] {
			learners[l] = true
			t.Learners = append(t.Learners, l)
		}
		if !hasType(doc, "ClrCredential") {
			it := item(doc, rep.Verdict, rep.Reason, in.Name)
			t.addIssuer(doc, issuers)
			main.Items = append(main.Items, it)
			continue
		}
		// A CLR: its embedded credentials, grouped by its associations
		// (CLR 2.0 ClrSubject.association: sourceId, targetId and
		// associationType, between achievement ids).
		var items []Item
		var achIDs []string
		for i, e := range list(subj["verifiableCredential"]) {
			path := "$.credentialSubject.verifiableCredential[" + strconv.Itoa(i) + "]"
			ed := embeddedDoc(e)
			if ed == nil {
				continue
			}
			verdict, reason := check.VerdictNotVerified, "It was not checked."
			if sub := rep.Result.Credentials[path]; sub != nil {
				verdict, reason = verdictOf(sub)
			}
			// The CLR's own failure (its signature, its dates) is every
			// achievement's; one embedded credential that fails fails the
			// CLR too, but not the others beside it.
			if rep.Verdict == check.VerdictNotVerified && !rep.Result.Authentic {
				verdict, reason = check.VerdictNotVerified, "The CLR that holds it is not verified: "+rep.Reason
			}
			t.worst(verdict)
			t.addIssuer(ed, issuers)
			items = append(items, item(ed, verdict, reason, in.Name))
			achIDs = append(achIDs, text(asMap(first(ed["credentialSubject"])["achievement"])["id"]))
		}
		t.addIssuer(doc, issuers)
		names := map[string]string{}
		for i, it := range items {
			names[achIDs[i]] = it.Name
		}
		for _, a := range list(subj["achievement"]) {
			if m := asMap(a); m != nil && names[text(m["id"])] == "" {
				names[text(m["id"])] = text(m["name"])
			}
		}
		byTarget := map[string]int{}
		var loose []int // the items of no association
		for i, it := range items {
			var target, kind string
			for _, a := range list(subj["association"]) {
				m := asMap(a)
				if m != nil && text(m["sourceId"]) == achIDs[i] && achIDs[i] != "" {
					target, kind = text(m["targetId"]), text(m["associationType"])
					break
				}
			}
			if target == "" {
				loose = append(loose, i)
				continue
			}
			g, ok := byTarget[target]
			if !ok {
				name := names[target]
				if name == "" {
					name = target
				}
				g = len(groups)
				byTarget[target] = g
				groups = append(groups, Group{Heading: name, Relation: "Each " + words(kind) + " " + name + " (" + kind + ")"})
			}
			groups[g].Items = append(groups[g].Items, it)
		}
		// An achievement that others are associated with heads their
		// group, when the CLR holds its credential.
		for _, i := range loose {
			if g, ok := byTarget[achIDs[i]]; ok && achIDs[i] != "" {
				groups[g].Lead = append(groups[g].Lead, items[i])
				continue
			}
			main.Items = append(main.Items, items[i])
		}
	}
	if len(main.Items) > 0 {
		t.Groups = append(t.Groups, main)
	}
	t.Groups = append(t.Groups, groups...)
	for _, g := range t.Groups {
		for _, it := range slices.Concat(g.Lead, g.Items) {
			t.Total++
			if it.Verdict == check.VerdictVerified {
				t.Verified++
			}
		}
	}
	return t, nil
}

func (t *Transcript) worst(v string) {
	rank := map[string]int{check.VerdictVerified: 0, check.VerdictNotConformant: 1, check.VerdictNotVerified: 2}
	if rank[v] > rank[t.Verdict] {
		t.Verdict = v
	}
}

func (t *Transcript) addIssuer(doc map[string]any, seen map[string]bool) {
	is := issuerOf(doc)
	if is.ID == "" || seen[is.ID] {
		return
	}
	seen[is.ID] = true
	t.Institutions = append(t.Institutions, is)
}

func verdictOf(r *verifier.Result) (string, string) {
	switch r.Verdict() {
	case verifier.VerdictVerified:
		return check.VerdictVerified, ""
	case verifier.VerdictNotConformant:
		return check.VerdictNotConformant, "It is authentic, but it does not follow the standards."
	}
	return check.VerdictNotVerified, check.Reason(r)
}

var verdictTexts = map[string]string{
	check.VerdictVerified:      "Verified",
	check.VerdictNotConformant: "Authentic, not conformant",
	check.VerdictNotVerified:   "Not verified",
}

func item(doc map[string]any, verdict, reason, source string) Item {
	subj := first(doc["credentialSubject"])
	ach := asMap(subj["achievement"])
	is := issuerOf(doc)
	it := Item{
		Name: text(ach["name"]), Description: text(ach["description"]), AchievementType: words(text(ach["achievementType"])),
		ID: text(doc["id"]), Issuer: is.Name, IssuerID: is.ID,
		ValidFrom: date(doc["validFrom"], doc["issuanceDate"]), ValidUntil: date(doc["validUntil"], doc["expirationDate"]),
		Verdict: verdict, VerdictText: verdictTexts[verdict], Reason: reason, Source: source,
	}
	if it.Name == "" {
		it.Name = text(doc["name"])
	}
	if c := text(subj["creditsEarned"]); c != "" {
		it.Credits = c
		if a := text(ach["creditsAvailable"]); a != "" {
			it.Credits += " of " + a
		}
	}
	descs := map[string]string{}
	for _, d := range list(ach["resultDescription"]) {
		if m := asMap(d); m != nil {
			descs[text(m["id"])] = text(m["name"])
		}
	}
	for _, r := range list(subj["result"]) {
		m := asMap(r)
		if m == nil {
			continue
		}
		label := descs[text(m["resultDescription"])]
		if label == "" {
			label = "Result"
		}
		v := text(m["value"])
		if v == "" {
			v = text(m["achievedLevel"])
		}
		if v == "" {
			v = text(m["status"])
		}
		it.Results = append(it.Results, label+": "+v)
	}
	for _, a := range list(ach["alignment"]) {
		m := asMap(a)
		if m == nil {
			continue
		}
		s := text(m["targetName"])
		if f := text(m["targetFramework"]); f != "" {
			s += " — " + f
		}
		if c := text(m["targetCode"]); c != "" {
			s += " (" + c + ")"
		}
		if u := text(m["targetUrl"]); u != "" {
			s += ", " + u
		}
		it.Alignments = append(it.Alignments, s)
	}
	return it
}

func issuerOf(doc map[string]any) Institution {
	switch is := doc["issuer"].(type) {
	case string:
		return Institution{ID: is}
	case map[string]any:
		return Institution{Name: text(is["name"]), ID: text(is["id"]), URL: text(is["url"])}
	}
	return Institution{}
}

func learnerOf(subj map[string]any) string {
	if id := text(subj["id"]); id != "" {
		return id
	}
	for _, x := range list(subj["identifier"]) {
		m := asMap(x)
		if m == nil {
			continue
		}
		if m["hashed"] == true {
			return "a hashed " + words(text(m["identityType"]))
		}
		return text(m["identityHash"])
	}
	return ""
}

// embeddedDoc returns an embedded credential's document: the object, or a
// VC-JWT's payload (its vc claim when it has one).
func embeddedDoc(e any) map[string]any {
	if m := asMap(e); m != nil {
		return m
	}
	s, ok := e.(string)
	if !ok {
		return nil
	}
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return nil
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return nil
	}
	m, _ := decode(b)
	if vc := asMap(m["vc"]); vc != nil {
		return vc
	}
	return m
}

func decode(b []byte) (map[string]any, error) {
	var m map[string]any
	err := json.Unmarshal(b, &m)
	return m, err
}

func asMap(v any) map[string]any { m, _ := v.(map[string]any); return m }

func list(v any) []any {
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		return x
	}
	return []any{v}
}

func first(v any) map[string]any {
	l := list(v)
	if len(l) == 0 {
		return map[string]any{}
	}
	if m := asMap(l[0]); m != nil {
		return m
	}
	return map[string]any{}
}

func hasType(doc map[string]any, t string) bool {
	return slices.ContainsFunc(list(doc["type"]), func(x any) bool { return x == t })
}

func text(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	}
	return ""
}

func date(vs ...any) string {
	for _, v := range vs {
		s := text(v)
		if s == "" {
			continue
		}
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return t.UTC().Format("2 January 2006")
		}
		return s
	}
	return ""
}

// words splits a camel-case term ("isChildOf", "BachelorDegree") into
// lower-case words.
func words(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && r >= 'A' && r <= 'Z' {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return strings.ToLower(b.String())
}

var transcriptTmpl = template.Must(template.ParseFS(assets, "assets/transcript.html"))

// WriteTranscript writes t as one self-contained HTML document (its style
// sheet inline, print-ready) to w. Every value from a credential is
// escaped by html/template: it is text, never markup.
func WriteTranscript(w io.Writer, t *Transcript) error {
	css, err := assets.ReadFile("assets/transcript.css")
	if err != nil {
		return err
	}
	return transcriptTmpl.Execute(w, struct {
		*Transcript
		CSS template.CSS
	}{t, template.CSS(css)})
}
