package main

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/jsonld"
	"github.com/microcred/openbadges/presentation"
	"github.com/microcred/openbadges/status"
	"github.com/microcred/openbadges/verifier"
)

// The human output of badge verify: the verdict on a line of its own, then
// what the credential says (badge, issuer, recipient, validity,
// endorsements), then one line per failed check and per warning, wrapped so
// that no line runs far past reportWidth columns.

// reportWidth is the column at which lines of the human output wrap.
const reportWidth = 100

// maxProblemRunes bounds the text printed for one problem: the reasons of
// a failed endorsement can nest the reasons of its own endorsements, and
// --json has them all.
const maxProblemRunes = 1200

// maxFieldRunes bounds a value copied from a credential (a name, an id).
const maxFieldRunes = 200

// maxWordRunes is the longest word printed uncut on a line of its own (a
// DID or URL, which a person may copy).
const maxWordRunes = maxFieldRunes

// verdictLine returns the verdict for a person: "verified", "authentic,
// but it does not follow Open Badges 3.0" (or the other specifications a
// conformance error names), or "not verified"; " (lenient)" is added when
// the verifier was lenient and relaxed something.
func verdictLine(res *verifier.Result, lenient bool) string {
	var s string
	switch res.Verdict() {
	case verifier.VerdictVerified:
		s = "verified"
	case verifier.VerdictNotConformant:
		s = "authentic, but it does not follow " + standardsOf(res.Errors)
	default:
		s = "not verified"
	}
	if lenient && hasRelaxed(res.Warnings) {
		s += " (lenient)"
	}
	return s
}

// standardsOf names the specifications the conformance problems of ps
// apply (verifier.Standards), cleaned for the terminal.
func standardsOf(ps []verifier.ProblemDetail) string {
	return clean(verifier.Standards(ps), maxProblemRunes)
}

func hasRelaxed(ps []verifier.ProblemDetail) bool {
	for _, p := range ps {
		if p.Relaxed {
			return true
		}
	}
	return false
}

// writeResult writes the human form of a credential's result: the verdict,
// then its details and problems at indent.
func writeResult(w io.Writer, res *verifier.Result, lenient bool) {
	fmt.Fprintln(w, verdictLine(res, lenient))
	writeDetails(w, "  ", res)
}

// writeDetails writes what res's credential says and its problems, each
// line starting with indent. What a credential whose signature did not
// verify says is printed under a heading saying so: it is a claim, not the
// issuer's word. (An expired or revoked credential's signature may verify:
// what it says is then the issuer's, and the failures say why it is not
// verified.)
func writeDetails(w io.Writer, indent string, res *verifier.Result) {
	if c := res.Credential; c != nil {
		fieldIndent := indent
		if !res.Signed() {
			fmt.Fprintf(w, "%swhat it claims (not verified):\n", indent)
			fieldIndent += "  "
		}
		writeCredential(w, fieldIndent, c)
	}
	writeEmbedded(w, indent, "endorsements", res.Endorsements, res.Errors, res.Warnings)
	writeEmbedded(w, indent, "embedded", res.Credentials, res.Errors, res.Warnings)
	writeProblems(w, indent, res.Errors, res.Warnings)
}

// writeCredential writes the badge, issuer, recipient and validity of c.
func writeCredential(w io.Writer, indent string, c *credential.Credential) {
	field := func(label, value string) {
		writeWrapped(w, indent, fmt.Sprintf("%-13s", label+":"), value, 14)
	}
	var achievement string
	subjects := c.CredentialSubject.Items
	if len(subjects) > 0 {
		if a := subjects[0].Achievement; a.Achievement != nil && a.Achievement.Name != "" {
			achievement = a.Achievement.Name
		} else if a.URI != "" {
			achievement = a.URI
		}
	}
	switch {
	case achievement != "":
		field("badge", clean(achievement, maxFieldRunes))
		if c.Name != "" && c.Name != achievement {
			field("credential", clean(c.Name, maxFieldRunes))
		}
	case c.Name != "":
		field("credential", clean(c.Name, maxFieldRunes))
	default:
		field("credential", "(no name) "+clean(strings.Join(c.Type.Items, ", "), maxFieldRunes))
	}
	field("issuer", profileText(c.Issuer))
	if len(subjects) > 0 {
		r := recipientText(&subjects[0])
		if len(subjects) > 1 {
			r += fmt.Sprintf(" (and %d more subjects)", len(subjects)-1)
		}
		field("recipient", r)
	}
	field("valid", validityText(c))
}

// profileText is "Name (id)", or whichever of the two there is.
func profileText(p credential.ProfileRef) string {
	id := clean(p.ID(), maxFieldRunes)
	name := ""
	if p.Profile != nil {
		name = clean(p.Profile.Name, maxFieldRunes)
	}
	switch {
	case name != "" && id != "":
		return name + " (" + id + ")"
	case name != "":
		return name + " (no id)"
	case id != "":
		return id
	}
	return "(none)"
}

// recipientText names the subject: its id, or else its identifiers, each
// with its type ("hashed emailAddress: sha256$…" for an identity hash).
func recipientText(s *credential.AchievementSubject) string {
	if s.ID != "" {
		return clean(s.ID, maxFieldRunes)
	}
	var parts []string
	for _, o := range s.Identifier.Items {
		typ := string(o.IdentityType)
		if typ == "" {
			typ = "identity"
		}
		if o.Hashed != nil && *o.Hashed {
			typ = "hashed " + typ
		}
		parts = append(parts, clean(typ, 40)+": "+clean(o.IdentityHash, maxFieldRunes))
	}
	if len(parts) == 0 {
		return "(not named: no id or identifier)"
	}
	return strings.Join(parts, "; ")
}

// validityText is the validity period as written: validFrom and
// validUntil, or issuanceDate and expirationDate in a VC 1.1 credential.
func validityText(c *credential.Credential) string {
	from, until := c.ValidFrom, c.ValidUntil
	if from == "" {
		from = c.IssuanceDate
	}
	if until == "" {
		until = c.ExpirationDate
	}
	f, u := clean(string(from), 60), clean(string(until), 60)
	switch {
	case f != "" && u != "":
		return "from " + f + " until " + u
	case f != "":
		return "from " + f + ", no end date"
	case u != "":
		return "until " + u
	}
	return "no validity dates"
}

// writeEmbedded writes how many of the embedded endorsements (what is
// "endorsements") or CLR credentials ("embedded") verified and which did
// not. Those not checked at all (past the count or depth limits) are only
// counted in the problems, which say how many.
func writeEmbedded(w io.Writer, indent, what string, results map[string]*verifier.Result, errs, warns []verifier.ProblemDetail) {
	check := "endorsement"
	if what == "embedded" {
		check = "credential"
	}
	var failed []string
	verified := 0
	for path, r := range results {
		if r != nil && r.Verified {
			verified++
		} else {
			failed = append(failed, path)
		}
	}
	unchecked := false
	for _, ps := range [][]verifier.ProblemDetail{errs, warns} {
		for _, p := range ps {
			unchecked = unchecked || (p.Check == check && errors.Is(p.Err, verifier.ErrNotChecked))
		}
	}
	if len(results) == 0 && !unchecked {
		return
	}
	text := fmt.Sprintf("%d verified", verified)
	if len(failed) > 0 {
		slices.Sort(failed)
		text += fmt.Sprintf("; %d not verified: %s", len(failed), strings.Join(failed, ", "))
	}
	if unchecked {
		text += "; some not checked (see below)"
	}
	writeWrapped(w, indent, fmt.Sprintf("%-13s", what+":"), text, 14)
}

// writeProblems writes one line (wrapped) per error and per warning.
// Warnings that lenient mode turned from failures are labelled relaxed.
func writeProblems(w io.Writer, indent string, errs, warns []verifier.ProblemDetail) {
	for _, p := range errs {
		writeWrapped(w, indent, "failed:", problemText(p), 4)
	}
	for _, p := range warns {
		label := "warning:"
		if p.Relaxed {
			label = "relaxed:"
		}
		writeWrapped(w, indent, label, problemText(p), 4)
	}
}

// problemText is "check path: detail", as in the verifier's summary.
func problemText(p verifier.ProblemDetail) string {
	s := p.Check
	if p.Path != "" {
		if s != "" {
			s += " "
		}
		s += p.Path
	}
	if s != "" {
		s += ": "
	}
	return clean(s+p.Detail, maxProblemRunes)
}

// writePresentation writes the human form of a presentation's result: the
// verdict, the presentation's own problems, then each credential's verdict
// and details.
func writePresentation(w io.Writer, res *presentation.Result, lenient bool) {
	fmt.Fprintln(w, presentationVerdict(res, lenient))
	line := fmt.Sprintf("%d credential%s", len(res.CredentialResults), plural(len(res.CredentialResults)))
	switch {
	case res.Holder != "":
		line += ", holder " + clean(res.Holder, maxFieldRunes)
	case len(res.Signers) > 0:
		signers := make([]string, len(res.Signers))
		for i, s := range res.Signers {
			signers[i] = clean(s, maxFieldRunes)
		}
		line += ", no holder claimed, signed by " + strings.Join(signers, ", ")
	}
	writeWrapped(w, "  ", "presentation:", line, 4)
	writeProblems(w, "  ", res.PresentationResult.Errors, res.PresentationResult.Warnings)
	for _, c := range res.CredentialResults {
		name := clean(c.ID, maxFieldRunes)
		if name == "" {
			name = "(no id)"
		}
		fmt.Fprintf(w, "  credential %d %s: %s\n", c.Index, name, verdictLine(c.Result, lenient))
		writeDetails(w, "    ", c.Result)
	}
}

// presentationVerdict is verdictLine for a presentation: authentic but not
// conformant when the presentation's own checks passed and every credential
// is authentic, some not conformant.
func presentationVerdict(res *presentation.Result, lenient bool) string {
	relaxed := false
	for _, c := range res.CredentialResults {
		relaxed = relaxed || hasRelaxed(c.Warnings)
	}
	suffix := ""
	if lenient && relaxed {
		suffix = " (lenient)"
	}
	if res.Verified {
		return "verified" + suffix
	}
	if !res.PresentationResult.Verified || len(res.CredentialResults) == 0 {
		return "not verified" + suffix
	}
	var conf []verifier.ProblemDetail
	for _, c := range res.CredentialResults {
		switch c.Verdict() {
		case verifier.VerdictVerified:
		case verifier.VerdictNotConformant:
			conf = append(conf, c.Errors...)
		default:
			return "not verified" + suffix
		}
	}
	return "authentic, but a credential does not follow " + standardsOf(conf) + suffix
}

// writeWrapped writes label and text at indent, wrapped at reportWidth:
// continuation lines are indented by hang more columns than indent. A word
// too long for a line (a DID, a URL) gets a line of its own, uncut so that
// it can be copied, unless it is longer than maxWordRunes: such a word is
// cut, so that no line is much longer than reportWidth whatever the input.
func writeWrapped(w io.Writer, indent, label, text string, hang int) {
	var b strings.Builder
	b.WriteString(indent)
	b.WriteString(label)
	col := utf8.RuneCountInString(indent) + utf8.RuneCountInString(label)
	cont := strings.Repeat(" ", utf8.RuneCountInString(indent)+hang)
	fresh := false // at the start of a continuation line: no space needed
	empty := true  // no word on this line yet
	for _, word := range strings.Fields(text) {
		for word != "" {
			n := utf8.RuneCountInString(word)
			sep := 1
			if fresh {
				sep = 0
			}
			room := reportWidth - col - sep
			if n > room && !empty {
				b.WriteString("\n")
				b.WriteString(cont)
				col, fresh, empty = len(cont), true, true
				continue
			}
			part := word
			if n > room && n > maxWordRunes {
				part = runePrefix(word, max(room, 20))
			}
			if sep == 1 {
				b.WriteByte(' ')
			}
			b.WriteString(part)
			col += sep + utf8.RuneCountInString(part)
			fresh, empty = false, false
			word = word[len(part):]
		}
	}
	b.WriteByte('\n')
	io.WriteString(w, b.String())
}

// runePrefix returns the first n runes of s.
func runePrefix(s string, n int) string {
	i := 0
	for n > 0 && i < len(s) {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n--
	}
	return s[:i]
}

// clean makes text taken from a credential safe to print on a terminal:
// control characters (escape sequences included) and the Unicode
// characters that reorder text become U+FFFD, so that a credential cannot
// rewrite or disguise the lines around it; text longer than limit runes is
// cut, with an ellipsis.
func clean(s string, limit int) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n == limit {
			b.WriteString("…")
			break
		}
		switch {
		case r == '\n' || r == '\t' || r == '\r':
			r = ' '
		case unicode.IsControl(r), unicode.Is(unicode.Bidi_Control, r):
			r = utf8.RuneError
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// inputHints returns advice for the failures that a network flag or a
// local file would fix: a key published at an https URL or under a
// did:web DID when key look-ups are off, a status list that could not be
// fetched when status look-ups are off, and a JSON-LD context that is not
// pinned (never fetched: --context is the only way). errs are the errors
// of the result (every problem's Err, nested ones included).
func inputHints(errs []error, keysAllowed, statusAllowed bool) []string {
	var hints []string
	seen := map[string]bool{}
	for _, err := range errs {
		if errors.Is(err, jsonld.ErrContextNotAllowed) && !seen["@context"] {
			seen["@context"] = true
			hints = append(hints, "a JSON-LD context of the credential is not one of the pinned contexts, and contexts are never fetched: if you trust it, give it with --context URL=FILE")
		}
		if !keysAllowed {
			if id := offlineKey(err); id != "" && !seen[id] {
				seen[id] = true
				hints = append(hints, fmt.Sprintf("the key of %s is looked up over the network, and network look-ups are off: allow them with --network-keys (or --network), or give its DID or controller document with --resolve %s=FILE", clean(id, maxFieldRunes), clean(id, maxFieldRunes)))
			}
		}
		if !statusAllowed {
			if u := unfetchedList(err); u != "" && !seen[u] {
				seen[u] = true
				hints = append(hints, fmt.Sprintf("the status list %s was not fetched, as network look-ups are off: allow them with --network-status (or --network), or give the list with --status-doc URL=FILE", clean(u, maxFieldRunes)))
			}
		}
	}
	return hints
}

// offlineKey returns the did:web DID or https URL whose document err
// reports could not be had offline (did.ErrNetworkRequired), or "".
func offlineKey(err error) string {
	var id string
	walkErrors(err, func(e error) bool {
		if de, ok := e.(*did.Error); ok && de.DID != "" && errors.Is(de, did.ErrNetworkRequired) {
			id = de.DID
			return true
		}
		return false
	})
	return id
}

// unfetchedList returns the URL of a status list that err reports could not
// be had because nothing could fetch it (no fetcher, or not among the
// --status-doc files).
func unfetchedList(err error) string {
	var u string
	walkErrors(err, func(e error) bool {
		fe, ok := e.(*status.FieldError)
		if !ok || !strings.HasPrefix(fe.Field, "https://") && !strings.HasPrefix(fe.Field, "http://") {
			return false
		}
		if errors.Is(fe, status.ErrUnknown) || errors.Is(fe, status.ErrNotFound) {
			u = fe.Field
			return true
		}
		return false
	})
	return u
}

// walkErrors calls f on err and every error it wraps, depth first, until f
// returns true.
func walkErrors(err error, f func(error) bool) bool {
	if err == nil {
		return false
	}
	if f(err) {
		return true
	}
	switch x := err.(type) {
	case interface{ Unwrap() error }:
		return walkErrors(x.Unwrap(), f)
	case interface{ Unwrap() []error }:
		for _, e := range x.Unwrap() {
			if walkErrors(e, f) {
				return true
			}
		}
	}
	return false
}

// resultErrors returns the errors of every problem of res and of the
// results nested in it (endorsements, CLR credentials), relaxed warnings
// included: what inputHints looks through.
func resultErrors(res *verifier.Result) []error {
	var out []error
	var walk func(r *verifier.Result, depth int)
	walk = func(r *verifier.Result, depth int) {
		if r == nil || depth > 8 {
			return
		}
		for _, p := range r.Errors {
			if p.Err != nil {
				out = append(out, p.Err)
			}
		}
		for _, p := range r.Warnings {
			if p.Err != nil && p.Relaxed {
				out = append(out, p.Err)
			}
		}
		for _, m := range []map[string]*verifier.Result{r.Endorsements, r.Credentials} {
			// In path order, so that the hints come in the same order.
			for _, path := range slices.Sorted(maps.Keys(m)) {
				walk(m[path], depth+1)
			}
		}
	}
	walk(res, 0)
	return out
}
