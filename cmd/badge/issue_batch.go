package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/internal/strictjson"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/status"
)

// runIssueBatch is badge issue --batch: one credential per row of the
// roster, issued on all cores (issuer.IssueBatch) a chunk at a time, so
// that the progress bar moves and output starts before the end.
func runIssueBatch(ctx context.Context, e *env, s *issueSetup, f *issueFlags) int {
	tmplData, err := readInput(e, []string{f.template})
	if err != nil {
		fmt.Fprintf(e.stderr, "badge issue: --template: %v\n", err)
		return exitUsage
	}
	v, err := strictjson.Decode(tmplData, strictjson.Options{})
	tmpl, ok := v.(map[string]any)
	if err != nil || !ok {
		if err == nil {
			err = errors.New("not a JSON object")
		}
		fmt.Fprintf(e.stderr, "badge issue: --template %s: %v\n", f.template, err)
		return exitUsage
	}
	if _, has := tmpl["credentialStatus"]; has && s.status != nil {
		fmt.Fprintf(e.stderr, "badge issue: --template %s: %v\n", f.template, errHasStatus)
		return exitUsage
	}
	roster, err := readInput(e, []string{f.batch})
	if err != nil {
		fmt.Fprintf(e.stderr, "badge issue: --batch: %v\n", err)
		return exitUsage
	}
	var rows []rosterRow
	switch strings.ToLower(filepath.Ext(f.batch)) {
	case ".jsonl", ".ndjson":
		rows, err = readRosterJSONL(bytes.NewReader(roster), tmpl)
	case ".csv":
		rows, err = readRosterCSV(bytes.NewReader(roster), tmpl)
	default:
		fmt.Fprintf(e.stderr, "badge issue: --batch %s: a roster is .jsonl (JSON Lines) or .csv\n", f.batch)
		return exitUsage
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "badge issue: %s: %v\n", f.batch, err)
		return exitUsage
	}
	if f.outDir != "" {
		if err := os.MkdirAll(e.path(f.outDir), 0o755); err != nil {
			fmt.Fprintf(e.stderr, "badge issue: %v\n", err)
			return exitUsage
		}
	}

	start := time.Now()
	bar := newProgress(e.stderr, len(rows))
	out := &batchOutput{e: e, s: s, dir: f.outDir, roster: f.batch, names: map[string]bool{}}
	// A chunk is large enough to keep every core busy and small enough for
	// the bar to move.
	chunk := 64 * runtime.GOMAXPROCS(0)
	for lo := 0; lo < len(rows); lo += chunk {
		part := rows[lo:min(lo+chunk, len(rows))]
		creds := make([]*credential.Credential, 0, len(part))
		idx := make([]int, 0, len(part))
		entries := make([][]status.Entry, len(part))
		for i := range part {
			r := &part[i]
			if r.err == nil {
				entries[i], r.err = out.prepare(ctx, r)
			}
			if r.err != nil {
				out.fail(r, r.err)
				out.unused += len(entries[i])
				continue
			}
			creds = append(creds, r.cred)
			idx = append(idx, i)
		}
		for j, o := range s.is.IssueBatch(ctx, creds) {
			r := &part[idx[j]]
			if o.Err != nil {
				out.fail(r, o.Err)
				out.unused += len(entries[idx[j]])
				continue
			}
			if err := out.write(ctx, r, o.Signed, entries[idx[j]]); err != nil {
				fmt.Fprintf(e.stderr, "badge issue: %v\n", err)
				bar.done()
				return exitUsage
			}
		}
		bar.set(lo + len(part))
	}
	bar.done()
	fmt.Fprintf(e.stderr, "badge issue: issued %d of %d credentials", out.issued, len(rows))
	if n := len(rows) - out.issued; n > 0 {
		fmt.Fprintf(e.stderr, " (%d refused", n)
		switch out.unused {
		case 0:
		case 1:
			fmt.Fprintf(e.stderr, "; 1 status entry allocated to a refused row stays unused, never reused")
		default:
			fmt.Fprintf(e.stderr, "; %d status entries allocated to refused rows stay unused, never reused", out.unused)
		}
		fmt.Fprintf(e.stderr, ")")
	}
	if f.outDir != "" {
		fmt.Fprintf(e.stderr, " to %s", f.outDir)
	}
	fmt.Fprintf(e.stderr, " in %s\n", time.Since(start).Round(time.Millisecond))
	if out.issued < len(rows) {
		return exitRejected
	}
	return exitOK
}

// batchOutput writes what a batch issues and reports what it refuses.
type batchOutput struct {
	e      *env
	s      *issueSetup
	dir    string // -o DIR, or "" for standard output
	roster string
	names  map[string]bool // file names used in dir
	issued int
	// unused counts the status entries allocated to rows refused after
	// their allocation (a row that does not validate, say). They are not
	// given back: a status list hands an index out once (status.Lists),
	// and one allocated but never published is harmless, its bit never set
	// and no credential naming it; giving it back could give one index to
	// two credentials, should the refused one have left after all.
	unused int
}

// prepare gives the row its id (a fresh urn:uuid: unless the row has one)
// and status entries, and parses it for IssueBatch. On failure it returns
// the entries it had allocated all the same, for the summary.
func (o *batchOutput) prepare(ctx context.Context, r *rosterRow) ([]status.Entry, error) {
	if id, _ := r.doc["id"].(string); id == "" || !r.idGiven {
		id, err := credential.NewID(nil)
		if err != nil {
			return nil, err
		}
		r.doc["id"] = id
	}
	var entries []status.Entry
	if o.s.status != nil {
		if _, has := r.doc["credentialStatus"]; has {
			return nil, errHasStatus
		}
		var err error
		if entries, err = o.s.status.allocate(ctx); err != nil {
			return entries, fmt.Errorf("allocating a status entry: %w", err)
		}
		var cs any = entries
		if len(entries) == 1 {
			cs = entries[0]
		}
		r.doc["credentialStatus"] = cs
	}
	data, err := json.Marshal(r.doc)
	if err != nil {
		return entries, err
	}
	if r.cred, err = credential.Parse(data); err != nil {
		return entries, err
	}
	return entries, nil
}

// fail reports a refused row with its line.
func (o *batchOutput) fail(r *rosterRow, err error) {
	var ve *issuer.ValidationError
	if errors.As(err, &ve) {
		for _, p := range ve.Problems.Errors() {
			fmt.Fprintf(o.e.stderr, "badge issue: %s:%d: refused: %s\n", o.roster, r.line, p)
		}
		return
	}
	fmt.Fprintf(o.e.stderr, "badge issue: %s:%d: refused: %v\n", o.roster, r.line, err)
}

// write puts out one signed credential: a line on standard output, or a
// file in the output directory; with --db, the issuance is recorded.
func (o *batchOutput) write(ctx context.Context, r *rosterRow, signed []byte, entries []status.Entry) error {
	if o.s.status != nil {
		if err := o.s.status.record(ctx, signed, entries, o.s.now()); err != nil {
			return fmt.Errorf("recording the issuance of line %d: %w", r.line, err)
		}
	}
	o.issued++
	if o.dir == "" {
		_, err := fmt.Fprintf(o.e.stdout, "%s\n", signed)
		return err
	}
	name := o.fileName(r)
	return writeOutput(filepath.Join(o.e.path(o.dir), name), append(signed, '\n'), false)
}

// fileName names a learner's file: after credentialSubject.id, made safe
// for a file name, or the row's line; never twice.
func (o *batchOutput) fileName(r *rosterRow) string {
	ext := ".json"
	if o.s.jwt {
		ext = ".jwt"
	}
	base := fmt.Sprintf("line-%d", r.line)
	if subj, ok := r.doc["credentialSubject"].(map[string]any); ok {
		if id, _ := subj["id"].(string); id != "" {
			base = safeFileName(id)
		}
	}
	if o.names[base] {
		base = fmt.Sprintf("%s-line-%d", base, r.line)
	}
	o.names[base] = true
	return base + ext
}

// safeFileName keeps letters, digits, '.', '-' and '_' of s (others become
// '_'), at most 100 bytes, never "." or "..".
func safeFileName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			b[i] = '_'
		}
	}
	if len(b) > 100 {
		b = b[:100]
	}
	if s := strings.Trim(string(b), "."); s != "" {
		return s
	}
	return "_"
}

// progress is the bar a batch draws on standard error when it is a
// terminal; elsewhere (a file, a pipe, a test) it draws nothing.
type progress struct {
	w     io.Writer
	total int
	on    bool
}

func newProgress(w io.Writer, total int) *progress {
	return &progress{w: w, total: total, on: isTerminal(w) && total > 0}
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func (p *progress) set(n int) {
	if !p.on {
		return
	}
	const width = 30
	filled := width * n / p.total
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d", strings.Repeat("#", filled), strings.Repeat(" ", width-filled), n, p.total)
}

func (p *progress) done() {
	if p.on {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
