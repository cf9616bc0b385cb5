package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/microcred/openbadges/verifier"
	"github.com/microcred/openbadges/web"
	"github.com/microcred/openbadges/web/check"
)

func init() {
	register("", newPageCmd)
	register("", newTranscriptCmd)
}

func newPageCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use: `page --site DIR [--wasm DIR]
       badge page CREDENTIAL -o DIR [--wasm DIR]`,
		Short: "write the verifier web page, or a self-verifying page for one badge",
		Long: `Writes web pages that verify badges in the viewer's browser, with the
verifier compiled to WebAssembly: nothing is uploaded, nothing is loaded
from a third party, and any static web server can serve them.

With --site DIR, writes the verifier page (the page "badge serve" serves at
/): index.html, app.js, style.css, verifier.wasm and wasm_exec.js. Visitors
drop or paste a credential, or open DIR's URL followed by #credential= and a
credential's URL.

With CREDENTIAL -o DIR, writes a page for one badge (a JSON credential, a
VC-JWT, or a baked PNG or SVG): the same files, the credential beside them
(credential.json, .jwt, .png or .svg, unchanged), and an index.html that
verifies it on load. What a learner puts in an e-portfolio.

The pages judge in strict mode and offline (did:key and did:jwk keys); the
viewer can ask for did:web and https keys to be looked up. Writing a page
for a credential that does not verify here (with the input flags of badge
verify) is allowed, with a warning: the page will say it is not verified.`,
		Annotations: map[string]string{annotationExit: `0 written, 1 the input is not a credential, 2 usage error or
unwritable directory`},
	}
	fs := cmd.Flags()
	site := fs.String("site", "", "write the verifier page to `DIR`")
	out := fs.StringP("output", "o", "", "write the page of CREDENTIAL to `DIR`")
	wasm := fs.String("wasm", "", "take verifier.wasm and wasm_exec.js from `DIR` instead of those built into this binary by \"go generate ./web\"")
	in := addVerifyInputs(fs)
	cmd.RunE = runInt(func(cmd *cobra.Command, args []string) int {
		return runPage(cmd, e, *site, *out, *wasm, in, args)
	})
	return cmd
}

func newTranscriptCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "transcript -o FILE [--now TIME] CREDENTIAL...",
		Short: "write a printable HTML transcript of badges or a CLR, each verified",
		Long: `Verifies each credential (Open Badges 3.0 credentials or CLRs, as JSON,
VC-JWTs or baked images) and writes a printable transcript to FILE, one
self-contained HTML document: the learner, the issuing institutions, and
each achievement with its dates, credits, results and alignments, grouped
by a CLR's associations where it has any, each marked with its verification
outcome. Print it from a browser ("Print to PDF") for a clean document.
The <body> element's data-verdict is "verified" when every achievement
verified, "not-conformant" or "not-verified" otherwise (the worst).

Verification is strict; what it may look up is what badge verify may
(the same input flags).

` + verifyInputsDoc,
		Annotations: map[string]string{annotationExit: `0 written (whatever the outcomes: they are in the
transcript), 1 an input is not a credential, 2 usage error or unreadable
input`},
	}
	fs := cmd.Flags()
	out := fs.StringP("output", "o", "", "the HTML `FILE` to write (required)")
	nowFlag := fs.String("now", "", "judge validity at `TIME` (RFC 3339) instead of now")
	in := addVerifyInputs(fs)
	cmd.RunE = runInt(func(cmd *cobra.Command, args []string) int {
		return runTranscript(cmd, e, *out, *nowFlag, in, args)
	})
	return cmd
}

// pageRuntime is the WebAssembly runtime of the pages: from --wasm DIR, or
// the one built into the binary.
func pageRuntime(e *env, dir string) (web.Runtime, error) {
	if dir == "" {
		return web.EmbeddedRuntime()
	}
	rt := os.DirFS(e.path(dir))
	return rt, web.CheckRuntime(rt)
}

func runPage(cmd *cobra.Command, e *env, site, out, wasm string, in *verifyInputs, args []string) int {
	ctx := cmd.Context()
	usageErr := usageErrFunc(e, cmd)
	switch {
	case site != "" && (out != "" || len(args) > 0):
		return usageErr("--site writes the verifier page; a page for one badge is CREDENTIAL -o DIR")
	case site == "" && (len(args) != 1 || out == ""):
		return usageErr("give --site DIR, or one CREDENTIAL and -o DIR")
	}
	rt, err := pageRuntime(e, wasm)
	if err != nil {
		fmt.Fprintf(e.stderr, "badge page: %v\n", err)
		return exitUsage
	}
	if site != "" {
		if err := web.WriteSite(e.path(site), rt); err != nil {
			fmt.Fprintf(e.stderr, "badge page: %v\n", err)
			return exitUsage
		}
		fmt.Fprintf(e.stderr, "badge page: wrote the verifier page to %s\n", site)
		return exitOK
	}
	data, err := readInput(e, args)
	if err != nil {
		fmt.Fprintf(e.stderr, "badge page: %v\n", err)
		return exitUsage
	}
	format := check.FormatOf(data)
	if format == "" {
		fmt.Fprintf(e.stderr, "badge page: %s is not a credential: not JSON, a VC-JWT, or a PNG or SVG image\n", args[0])
		return exitRejected
	}
	v, err := in.verifier(e, verifier.Config{Suites: verifySuites, Algorithms: verifyAlgorithms})
	if err != nil {
		fmt.Fprintf(e.stderr, "badge page: %v\n", err)
		return exitUsage
	}
	rep, err := check.Verify(ctx, data, check.Options{Verifier: v})
	if err != nil {
		fmt.Fprintf(e.stderr, "badge page: %s: %v\n", args[0], err)
		return exitRejected
	}
	if bytes.Equal(rep.Credential, []byte("null")) {
		fmt.Fprintf(e.stderr, "badge page: %s is not a credential: %s\n", args[0], rep.Reason)
		return exitRejected
	}
	if rep.Verdict != check.VerdictVerified {
		fmt.Fprintf(e.stderr, "badge page: warning: %s does not verify here (%s); the page will say so\n", args[0], rep.Reason)
	}
	if err := web.WritePage(e.path(out), rt, data, format, badgeName(rep.Credential)); err != nil {
		fmt.Fprintf(e.stderr, "badge page: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(e.stderr, "badge page: wrote %s (serve the directory with any web server)\n", filepath.Join(out, "index.html"))
	return exitOK
}

// badgeName is the name a credential gives its achievement (or itself).
func badgeName(doc json.RawMessage) string {
	var c struct {
		Name              string          `json:"name"`
		CredentialSubject json.RawMessage `json:"credentialSubject"`
	}
	if json.Unmarshal(doc, &c) != nil {
		return ""
	}
	var s struct {
		Achievement struct {
			Name string `json:"name"`
		} `json:"achievement"`
	}
	if json.Unmarshal(c.CredentialSubject, &s) == nil && s.Achievement.Name != "" {
		return clean(s.Achievement.Name, maxFieldRunes)
	}
	return clean(c.Name, maxFieldRunes)
}

func runTranscript(cmd *cobra.Command, e *env, out, nowFlag string, in *verifyInputs, args []string) int {
	ctx := cmd.Context()
	usageErr := usageErrFunc(e, cmd)
	if out == "" || len(args) == 0 {
		return usageErr("give -o FILE and at least one CREDENTIAL")
	}
	now := time.Now()
	cfg := verifier.Config{Suites: verifySuites, Algorithms: verifyAlgorithms}
	if nowFlag != "" {
		t, err := time.Parse(time.RFC3339, nowFlag)
		if err != nil {
			return usageErr("--now: %v", err)
		}
		now, cfg.Now = t, func() time.Time { return t }
	}
	v, err := in.verifier(e, cfg)
	if err != nil {
		fmt.Fprintf(e.stderr, "badge transcript: %v\n", err)
		return exitUsage
	}
	opt := check.Options{Verifier: v}
	var inputs []web.TranscriptInput
	for _, a := range args {
		b, err := readInput(e, []string{a})
		if err != nil {
			fmt.Fprintf(e.stderr, "badge transcript: %v\n", err)
			return exitUsage
		}
		inputs = append(inputs, web.TranscriptInput{Name: filepath.Base(a), Data: b})
	}
	t, err := web.BuildTranscript(ctx, inputs, opt, now)
	if err != nil {
		fmt.Fprintf(e.stderr, "badge transcript: %v\n", err)
		return exitRejected
	}
	var b bytes.Buffer
	if err := web.WriteTranscript(&b, t); err != nil {
		fmt.Fprintf(e.stderr, "badge transcript: %v\n", err)
		return exitUsage
	}
	if err := os.WriteFile(e.path(out), b.Bytes(), 0o644); err != nil {
		fmt.Fprintf(e.stderr, "badge transcript: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(e.stderr, "badge transcript: wrote %s: %d of %d achievements verified\n", out, t.Verified, t.Total)
	return exitOK
}

// servePage is the verifier page that badge serve serves at / beside the
// VC-API (vcapi.Config.Page). Without a runtime (a binary built before "go
// generate ./web", and no --wasm) the server runs without the page, and
// says so: servePage returns nil.
func servePage(e *env, wasm string) http.Handler {
	rt, err := pageRuntime(e, wasm)
	if err == nil {
		var h http.Handler
		if h, err = web.Handler(rt, nil); err == nil {
			return h
		}
	}
	fmt.Fprintf(e.stderr, "badge serve: no verifier page at /: %v\n", err)
	return nil
}
