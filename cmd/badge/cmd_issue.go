package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/internal/keys"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/status"
)

func init() { register("", newIssueCmd) }

const issueLong = `Signs a credential and prints it. The credential (FILE, or standard input
for "-" or no FILE) is checked first: an invalid badge is refused with its
problems and never signed. Without an issuer, the key's controller becomes
the issuer; a credential naming another issuer is refused.

With --status DIR or --db DB, each credential gets a status entry: an index
of a status list "badge status create" made there (--status-list URL when
there are several; repeat it for an entry in each of several lists) is
allocated and put in its credentialStatus before it is signed. With --db the
issuance is recorded too ("badge records" lists it).

With --batch ROSTER --template FILE, issues one credential per learner of a
roster on all cores: a JSON Lines roster (.jsonl) has one JSON object a
line, merged over the template (objects member by member, null removes a
member: {"credentialSubject": {"id": "did:example:123"}}); a CSV roster
(.csv) has a header row of JSON paths (credentialSubject.id,
credentialSubject.identifier.0.identityHash, validFrom; a path ending in
:json takes JSON values, e.g. credentialSubject.identifier.0.hashed:json)
and one learner a row, an empty cell leaving the template's value. Each
credential gets a fresh urn:uuid: id unless its row gives one. The
credentials go to standard output, one a line, or with -o DIR one file per
learner (named after credentialSubject.id, or the row's line). A row that
fails is reported with its line number and the others are still issued; a
progress bar on standard error (when it is a terminal) and a summary at the
end say how it went. With --status or --db, a row refused after its status
entry was allocated (one that does not validate) leaves that index
allocated and unused, and the summary counts them: a status list hands an
index out once, and an index no credential names is harmless (its bit is
never set), where giving it back could give it to two credentials.`

func newIssueCmd(e *env) *cobra.Command {
	var f issueFlags
	cmd := &cobra.Command{
		Use: `issue --key FILE [--suite SUITE] [--format di|jwt] [--created RFC3339]
             [--status DIR | --db DB] [--status-list URL]... [FILE|-]
       badge issue --key FILE --batch ROSTER --template FILE [-o DIR] [flags]`,
		Short:       "sign a credential (Data Integrity proof or VC-JWT), or one per learner of a roster",
		Long:        issueLong,
		Annotations: map[string]string{annotationExit: `0 signed (every credential of a batch), 1 refused (a row of a batch), 2 usage error or unreadable input or key`},
		Args:        maxArgs(1, "input file"),
		RunE: runInt(func(cmd *cobra.Command, args []string) int {
			return runIssue(cmd, e, &f, args)
		}),
	}
	fs := cmd.Flags()
	fs.StringVar(&f.keyFile, "key", "", "the signing key `FILE`: a private JWK as written by \"badge keygen\", or a Multikey JSON {publicKeyMultibase, secretKeyMultibase}")
	fs.StringVar(&f.suite, "suite", "", "the cryptosuite: eddsa-rdfc-2022 (default), eddsa-jcs-2022 or Ed25519Signature2020 (Ed25519 keys)")
	fs.StringVar(&f.format, "format", "di", "the output `FORMAT`: di, a Data Integrity proof, or jwt, a VC-JWT (compact JWS) instead, with any key badge keygen makes")
	fs.BoolVar(&f.asJWT, "jwt", false, "the same as --format jwt")
	fs.StringVar(&f.created, "created", "", "the proof's created `TIME` (RFC 3339); default now")
	fs.StringVar(&f.statusDir, "status", "", "allocate a status entry from the lists in `DIR` (as \"badge status --store DIR\")")
	fs.StringVar(&f.db, "db", "", "allocate a status entry from the lists of the database `DB` and record the issuance: sqlite:PATH or postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE")
	fs.StringArrayVar(&f.lists, "status-list", nil, "the status list, by its `URL`, when the store has several; repeatable (an entry in each)")
	fs.StringVar(&f.batch, "batch", "", "issue one credential per learner of the `ROSTER` (.jsonl or .csv)")
	fs.StringVar(&f.template, "template", "", "with --batch: the credential `FILE` the rows fill in")
	fs.StringVarP(&f.outDir, "output", "o", "", "with --batch: write one file per learner to `DIR` (created if needed) instead of standard output")
	return cmd
}

// issueFlags are the flags of badge issue.
type issueFlags struct {
	keyFile, suite, format, created string
	asJWT                           bool
	statusDir, db                   string
	lists                           []string
	batch, template, outDir         string
}

// issueSetup is what a single issue and a batch share: the issuer, its
// clock, and the status entries' source (nil without --status or --db).
type issueSetup struct {
	is     *issuer.Issuer
	now    func() time.Time
	status *issueStatus
	jwt    bool
}

func runIssue(cmd *cobra.Command, e *env, f *issueFlags, args []string) int {
	ctx := cmd.Context()
	usageErr := usageErrFunc(e, cmd)
	switch {
	case f.keyFile == "":
		return usageErr("--key is required")
	case f.statusDir != "" && f.db != "":
		return usageErr("--status and --db exclude each other")
	case len(f.lists) > 0 && f.statusDir == "" && f.db == "":
		return usageErr("--status-list needs --status DIR or --db DB")
	case f.batch != "" && f.template == "":
		return usageErr("--batch needs --template FILE")
	case f.batch == "" && (f.template != "" || f.outDir != ""):
		return usageErr("--template and -o go with --batch")
	case f.batch != "" && len(args) > 0:
		return usageErr("--batch takes the template from --template, not %q", args[0])
	}
	cfg := issuer.Config{Suite: dataintegrity.SuiteName(f.suite)}
	switch dataintegrity.SuiteName(f.suite) {
	case "", dataintegrity.SuiteEdDSARDFC2022, dataintegrity.SuiteEdDSAJCS2022, dataintegrity.SuiteEd25519Signature2020:
	default:
		return usageErr("--suite must be eddsa-rdfc-2022, eddsa-jcs-2022 or Ed25519Signature2020")
	}
	switch f.format {
	case "di":
	case "jwt":
		f.asJWT = true
	default:
		return usageErr("--format must be di or jwt")
	}
	if f.asJWT {
		if f.suite != "" {
			return usageErr("--suite and a VC-JWT (--format jwt) exclude each other")
		}
		cfg.Format = issuer.FormatJWT
	}
	now := time.Now
	if f.created != "" {
		t, err := time.Parse(time.RFC3339, f.created)
		if err != nil {
			return usageErr("--created: %v", err)
		}
		now = func() time.Time { return t }
		cfg.Now = now
	}
	key, err := readKeyFile(e, f.keyFile)
	if err != nil {
		fmt.Fprintf(e.stderr, "badge issue: %v\n", err)
		return exitUsage
	}
	cfg.Signer, cfg.VerificationMethod, cfg.Controller = key.Signer, key.VerificationMethod, key.DID
	// Read the input before anything is allocated.
	var data []byte
	if f.batch == "" {
		if data, err = readInput(e, args); err != nil {
			fmt.Fprintf(e.stderr, "badge issue: %v\n", err)
			return exitUsage
		}
	}
	is, err := issuer.New(cfg)
	if err != nil {
		hint := ""
		if errors.Is(err, dataintegrity.ErrInvalidKey) {
			hint = " (the Data Integrity suites need an Ed25519 key; use --format jwt for other keys)"
		}
		fmt.Fprintf(e.stderr, "badge issue: %v%s\n", err, hint)
		return exitUsage
	}
	setup := &issueSetup{is: is, now: now, jwt: f.asJWT}
	if f.statusDir != "" || f.db != "" {
		st, err := openIssueStatus(ctx, e, f.statusDir, f.db, f.lists)
		if err != nil {
			if errors.Is(err, errUsage) {
				return usageErr("%s", strings.TrimPrefix(err.Error(), errUsage.Error()+": "))
			}
			fmt.Fprintf(e.stderr, "badge issue: %v\n", err)
			return exitUsage
		}
		defer st.closeDB()
		setup.status = st
	}
	if f.batch != "" {
		return runIssueBatch(ctx, e, setup, f)
	}
	var entries []status.Entry
	if setup.status != nil {
		// Check before allocating, so that no index is spent on it.
		if _, err := embedStatus(data, nil); err != nil {
			fmt.Fprintf(e.stderr, "badge issue: refused: %v\n", err)
			if errors.Is(err, errHasStatus) {
				return exitRejected
			}
			return exitUsage // malformed input
		}
		if entries, err = setup.status.allocate(ctx); err != nil {
			fmt.Fprintf(e.stderr, "badge issue: allocating a status entry: %v\n", err)
			return exitRejected
		}
		if data, err = embedStatus(data, entries); err != nil {
			fmt.Fprintf(e.stderr, "badge issue: refused: %v\n", err)
			return exitRejected
		}
	}
	out, warnings, err := is.IssueJSONReport(ctx, data)
	for _, w := range warnings {
		fmt.Fprintf(e.stderr, "badge issue: warning: %s: %s\n", w.Path, w.Detail)
	}
	if err != nil {
		var ve *issuer.ValidationError
		if errors.As(err, &ve) {
			fmt.Fprintf(e.stderr, "badge issue: refused: the credential is invalid\n")
			for _, p := range ve.Problems.Errors() {
				fmt.Fprintf(e.stderr, "  %s\n", p)
			}
		} else {
			fmt.Fprintf(e.stderr, "badge issue: refused: %v\n", err)
		}
		return exitRejected
	}
	if setup.status != nil {
		if err := setup.status.record(ctx, out, entries, now()); err != nil {
			fmt.Fprintf(e.stderr, "badge issue: recording the issuance: %v\n", err)
			return exitRejected
		}
		for _, en := range entries {
			fmt.Fprintf(e.stderr, "badge issue: status entry %s index %d (%s)\n", en.ListCredential, en.Index, en.Purpose)
		}
	}
	if !f.asJWT {
		out = indentJSON(out)
	}
	fmt.Fprintf(e.stdout, "%s\n", out)
	return exitOK
}

// readKeyFile reads a signing key file (see internal/keys).
func readKeyFile(e *env, name string) (*keys.Key, error) {
	b, err := readFileLimited(e.path(name), name, keys.MaxFileSize)
	if err != nil {
		return nil, err
	}
	k, err := keys.Parse(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return k, nil
}
