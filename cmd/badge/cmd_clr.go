package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/microcred/openbadges/bake"
	"github.com/microcred/openbadges/clr"
	"github.com/microcred/openbadges/issuer"
)

const clrLong = `Assembles the credentials (JSON, VC-JWT or baked PNG or SVG badges; "-" for
standard input) into a Comprehensive Learner Record (CLR 2.0) and signs it.
Each credential is embedded exactly as it is, so its own proof still
verifies. The CLR is checked before it is signed, and refused with its
problems when it breaks a rule: every credential must be an Open Badges 3.0
credential for the same learner, every association must join two
achievements of the credentials, and associations of isChildOf, isParentOf
and isPartOf must not make a cycle. The credentials themselves are not
verified here: badge verify verifies the CLR and each of them.`

func init() { register("", newCLRCmd) }

// associationFlags collects --association SRC,TYPE,TGT.
type associationFlags []string

func (a *associationFlags) String() string     { return strings.Join(*a, " ") }
func (a *associationFlags) Set(s string) error { *a = append(*a, s); return nil }
func (a *associationFlags) Type() string       { return "SRC,TYPE,TGT" }

// clrOptions are the flags of badge clr.
type clrOptions struct {
	key, name, id, learner, now string
	jwt                         bool
	associations                associationFlags
}

func newCLRCmd(e *env) *cobra.Command {
	var o clrOptions
	cmd := &cobra.Command{
		Use:   "clr --key FILE [--association SRC,TYPE,TGT]... [flags] CREDENTIAL...",
		Short: "assemble credentials into a signed CLR 2.0 (Comprehensive Learner Record)",
		Long:  clrLong,
		Annotations: map[string]string{annotationExit: `0 signed, 1 refused (the CLR breaks a rule), 2 usage error or
unreadable input or key`},
		RunE: runInt(func(cmd *cobra.Command, args []string) int { return runCLR(cmd, e, &o, args) }),
	}
	fs := cmd.Flags()
	fs.StringVar(&o.key, "key", "", "the signing key `FILE` (as for badge issue)")
	fs.Var(&o.associations, "association", "an association between two achievements, by their ids: source, type (exactMatchOf, isChildOf, isParentOf, isPartOf, isPeerOf, isRelatedTo, precedes, replacedBy), target; repeatable")
	fs.StringVar(&o.name, "name", "", "the CLR's `NAME` (default \"Comprehensive Learner Record\")")
	fs.StringVar(&o.id, "id", "", "the CLR's `ID` (default a new urn:uuid)")
	fs.StringVar(&o.learner, "learner", "", "the learner's `ID` (default the subject of the first credential)")
	fs.StringVar(&o.now, "now", "", "the CLR's validFrom and the proof's created `TIME` (RFC 3339); default now")
	fs.BoolVar(&o.jwt, "jwt", false, "sign the CLR as a VC-JWT")
	return cmd
}

func runCLR(cmd *cobra.Command, e *env, o *clrOptions, args []string) int {
	ctx := cmd.Context()
	usageErr := usageErrFunc(e, cmd)
	if o.key == "" {
		return usageErr("--key is required")
	}
	if len(args) == 0 {
		return usageErr("no credentials")
	}
	var assoc []clr.Association
	for _, a := range o.associations {
		parts := strings.Split(a, ",")
		if len(parts) != 3 || parts[0] == "" || parts[2] == "" {
			return usageErr("--association %q: want SOURCE,TYPE,TARGET", a)
		}
		t := clr.AssociationType(parts[1])
		if !t.IsValid() {
			return usageErr("--association %q: %q is not an association type", a, parts[1])
		}
		assoc = append(assoc, clr.NewAssociation(parts[0], t, parts[2]))
	}
	now := time.Now
	if o.now != "" {
		t, err := time.Parse(time.RFC3339, o.now)
		if err != nil {
			return usageErr("--now: %v", err)
		}
		now = func() time.Time { return t }
	}
	fail := func(err error) int {
		if errors.Is(err, errUsage) {
			return usageErr("%v", strings.TrimPrefix(err.Error(), errUsage.Error()+": "))
		}
		fmt.Fprintf(e.stderr, "badge clr: %v\n", err)
		return exitUsage
	}
	creds, err := readCredentialFiles(e, args)
	if err != nil {
		return fail(err)
	}
	for i, b := range creds {
		if bake.IsImage(b) {
			baked, err := bake.Unbake(b)
			if err != nil {
				return fail(fmt.Errorf("%s: %w", args[i], err))
			}
			creds[i] = []byte(baked.Credential)
		}
	}
	key, err := readKeyFile(e, o.key)
	if err != nil {
		return fail(err)
	}
	icfg := issuer.Config{Signer: key.Signer, VerificationMethod: key.VerificationMethod, Controller: key.DID, Now: now}
	if o.jwt {
		icfg.Format = issuer.FormatJWT
	}
	is, err := issuer.New(icfg)
	if err != nil {
		return fail(err)
	}
	record, err := clr.Assemble(creds, clr.AssembleOptions{ID: o.id, Name: o.name, Now: now, Learner: clr.Learner{ID: o.learner}, Associations: assoc})
	if err != nil {
		return fail(err)
	}
	unsigned, err := json.Marshal(record)
	if err != nil {
		return fail(err)
	}
	out, err := is.IssueJSON(ctx, unsigned)
	if err != nil {
		var ve *issuer.ValidationError
		if errors.As(err, &ve) {
			fmt.Fprintf(e.stderr, "badge clr: refused: the CLR is invalid\n")
			for _, p := range ve.Problems.Errors() {
				fmt.Fprintf(e.stderr, "  %s\n", p)
			}
		} else {
			fmt.Fprintf(e.stderr, "badge clr: refused: %v\n", err)
		}
		return exitRejected
	}
	if !o.jwt {
		out = indentJSON(out)
	}
	fmt.Fprintf(e.stdout, "%s\n", out)
	return exitOK
}
