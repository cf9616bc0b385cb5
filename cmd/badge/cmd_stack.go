package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/microcred/openbadges/clr"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/stack"
	"github.com/microcred/openbadges/verifier"
)

const stackLong = `Stacks credentials into a certificate. A pathway (--pathway FILE, JSON)
names the certificate's achievement and what earns it: component
achievements (all, or a minimum of them, in nested groups if need be),
allowed issuers, a minimum of credits and a span of time. Each CREDENTIAL
(JSON, VC-JWT or a baked PNG or SVG; "-" for standard input) is verified as
badge verify would, and counts when it is for the learner (the same subject
id, or the same plain or hashed identifier), from an allowed issuer, given
once, the first for its achievement, and part of the pathway.

When every requirement is met and no credential fails, it prints the signed
certificate: an Open Badges 3.0 credential for the learner with the
pathway's achievement, one evidence entry per credential counted and each
bound by the digest of its bytes (relatedResource); with --clr, a CLR 2.0
credential holding the certificate and the credentials, each associated
with the certificate as isPartOf. Otherwise it prints the report, what is
missing and which credential failed and why, on standard error.

--progress prints the report, requirement by requirement, on standard
output, without signing: no key is needed.

` + verifyInputsDoc

func init() { register("", newStackCmd) }

// stackOptions are the flags of badge stack.
type stackOptions struct {
	pathway, key, now, learner string
	progress, clr, json        bool
	lenient, jwt               bool
	in                         *verifyInputs
}

func newStackCmd(e *env) *cobra.Command {
	var o stackOptions
	cmd := &cobra.Command{
		Use:   "stack --pathway FILE (--key FILE [--clr] | --progress) [flags] CREDENTIAL...",
		Short: "stack credentials into a certificate, or show the progress towards it",
		Long:  stackLong,
		Annotations: map[string]string{annotationExit: `0 signed (or, with --progress, the pathway is complete),
1 a requirement is not met or a credential failed, 2 usage error or
unreadable or malformed input or pathway`},
		RunE: runInt(func(cmd *cobra.Command, args []string) int { return runStack(cmd, e, &o, args) }),
	}
	fs := cmd.Flags()
	fs.StringVar(&o.pathway, "pathway", "", "the pathway `FILE` (JSON): the certificate's achievement and its requirements")
	fs.StringVar(&o.key, "key", "", "the signing key `FILE` of the certificate (as for badge issue)")
	fs.BoolVar(&o.progress, "progress", false, "print the progress report instead of signing")
	fs.BoolVar(&o.clr, "clr", false, "print a signed CLR holding the certificate and the credentials counted instead of the certificate alone")
	fs.BoolVar(&o.json, "json", false, "with --progress, print the report as JSON")
	fs.BoolVar(&o.jwt, "jwt", false, "sign the certificate (and the CLR) as VC-JWTs")
	fs.StringVar(&o.learner, "learner", "", "the learner's `ID`: credentials for anyone else do not count (default: the subject of the first credential that verifies)")
	fs.StringVar(&o.now, "now", "", "judge dates, and date the certificate, at `TIME` (RFC 3339) instead of now")
	fs.BoolVar(&o.lenient, "lenient", false, "verify the credentials leniently (see badge verify)")
	o.in = addVerifyInputs(fs)
	return cmd
}

func runStack(cmd *cobra.Command, e *env, o *stackOptions, args []string) int {
	ctx := cmd.Context()
	usageErr := usageErrFunc(e, cmd)
	fail := func(err error) int {
		if errors.Is(err, errUsage) {
			return usageErr("%v", strings.TrimPrefix(err.Error(), errUsage.Error()+": "))
		}
		fmt.Fprintf(e.stderr, "badge stack: %v\n", err)
		return exitUsage
	}
	switch {
	case o.pathway == "":
		return usageErr("--pathway is required")
	case len(args) == 0:
		return usageErr("no credentials")
	case o.progress && (o.key != "" || o.clr || o.jwt):
		return usageErr("--progress signs nothing: leave out --key, --clr and --jwt")
	case !o.progress && o.key == "":
		return usageErr("--key is required to sign the certificate (or --progress for the report alone)")
	case o.json && !o.progress:
		return usageErr("--json goes with --progress (the certificate is JSON already)")
	}
	now := time.Now
	if o.now != "" {
		t, err := time.Parse(time.RFC3339, o.now)
		if err != nil {
			return usageErr("--now: %v", err)
		}
		now = func() time.Time { return t }
	}
	pb, err := readInput(e, []string{o.pathway})
	if err != nil {
		return fail(err)
	}
	pathway, err := stack.ParsePathway(pb)
	if err != nil {
		return fail(fmt.Errorf("%s: %w", o.pathway, err))
	}
	creds, err := readCredentialFiles(e, args)
	if err != nil {
		return fail(err)
	}
	cfg := verifier.Config{Suites: verifySuites, Algorithms: verifyAlgorithms, Now: now, Lenient: o.lenient}
	if cfg, err = o.in.config(e, cfg); err != nil {
		return fail(err)
	}
	v, err := verifier.New(cfg)
	if err != nil {
		return fail(err)
	}
	var is *issuer.Issuer
	if !o.progress {
		key, err := readKeyFile(e, o.key)
		if err != nil {
			return fail(err)
		}
		icfg := issuer.Config{Signer: key.Signer, VerificationMethod: key.VerificationMethod, Controller: key.DID, Now: now}
		if o.jwt {
			icfg.Format = issuer.FormatJWT
		}
		if is, err = issuer.New(icfg); err != nil {
			return fail(err)
		}
	}
	progress, err := stack.EvaluateWith(ctx, pathway, creds, v, stack.EvaluateOptions{Learner: clr.Learner{ID: o.learner}})
	if err != nil {
		return fail(err)
	}
	complete := progress.Met && len(progress.Rejected()) == 0
	if o.progress {
		if o.json {
			b, _ := json.MarshalIndent(progress, "", "  ")
			fmt.Fprintf(e.stdout, "%s\n", b)
		} else {
			writeProgress(e.stdout, progress, args)
		}
		if !complete {
			return exitRejected
		}
		return exitOK
	}
	if !complete {
		writeProgress(e.stderr, progress, args)
		if !progress.Met {
			fmt.Fprintf(e.stderr, "badge stack: refused: the pathway is not complete\n")
		} else {
			fmt.Fprintf(e.stderr, "badge stack: refused: %d credentials failed\n", len(progress.Rejected()))
		}
		return exitRejected
	}
	issued, err := stack.Issue(ctx, progress, is, stack.IssueOptions{CLR: o.clr, Now: now})
	if err != nil {
		fmt.Fprintf(e.stderr, "badge stack: refused: %v\n", err)
		return exitRejected
	}
	out := issued.Certificate
	if o.clr {
		out = issued.CLR
	}
	if !o.jwt {
		out = indentJSON(out)
	}
	fmt.Fprintf(e.stdout, "%s\n", out)
	return exitOK
}

// writeProgress prints the report: the verdict, each requirement and each
// credential with what became of it.
func writeProgress(w io.Writer, p *stack.Progress, names []string) {
	verdict := "not complete"
	if p.Met {
		verdict = "complete"
	}
	if p.Met && len(p.Rejected()) > 0 {
		verdict = "complete, but some credentials failed"
	}
	fmt.Fprintf(w, "%s: %s (%s)\n", verdict, p.Pathway.Achievement.Name, p.Certificate)
	fmt.Fprintf(w, "learner: %s\n", p.Learner)
	fmt.Fprintf(w, "requirements:\n")
	for _, r := range p.Requirements {
		mark := "met"
		switch {
		case r.Optional:
			mark = "not needed"
		case !r.Met:
			mark = "MISSING"
		}
		fmt.Fprintf(w, "  %-10s %s: %s (%s)\n", mark, r.Path, r.Requirement, r.Detail)
	}
	fmt.Fprintf(w, "credentials:\n")
	for _, c := range p.Components {
		name := ""
		if c.Index < len(names) {
			name = names[c.Index]
		}
		what := c.Achievement
		if c.AchievementName != "" {
			what = c.AchievementName + " " + what
		}
		line := fmt.Sprintf("  #%d %s: %s", c.Index+1, name, c.Status)
		if what != "" {
			line += ", " + what
		}
		if c.Reason != "" {
			line += ": " + c.Reason
		}
		fmt.Fprintln(w, line)
	}
}
