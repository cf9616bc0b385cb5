package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/verifier"
)

func init() { register("", newDemoCmd) }

func newDemoCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "issue a sample badge, verify it, tamper with it, verify again",
		Long: `Shows the library's main job in four steps, offline: makes an ephemeral
did:key issuer key, issues a built-in sample Open Badge (an achievement with
criteria, an alignment and a result) with an eddsa-rdfc-2022 proof, verifies
it, then changes one result value and shows that verification fails.`,
		Annotations: map[string]string{annotationExit: "0 when the demo behaves as expected, 1 otherwise"},
		Args:        maxArgs(0, ""),
	}
	cmd.RunE = runInt(func(cmd *cobra.Command, args []string) int {
		return runDemo(cmd.Context(), e)
	})
	return cmd
}

func runDemo(ctx context.Context, e *env) int {
	fail := func(format string, a ...any) int {
		fmt.Fprintf(e.stderr, "badge demo: "+format+"\n", a...)
		return exitRejected
	}

	// 1. An issuer key.
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return fail("%v", err)
	}
	issuerDID, vm, err := did.NewKeyDID(priv.Public())
	if err != nil {
		return fail("%v", err)
	}
	fmt.Fprintf(e.stdout, "== 1. An issuer key (ephemeral, Ed25519)\n%s\n\n", issuerDID)

	// 2. Issue the sample badge.
	now := demoNow()
	is, err := issuer.New(issuer.Config{Signer: priv, VerificationMethod: vm, Now: func() time.Time { return now }})
	if err != nil {
		return fail("%v", err)
	}
	signed, err := is.Issue(ctx, demoBadge(now))
	if err != nil {
		return fail("issuing the sample badge: %v", err)
	}
	fmt.Fprintf(e.stdout, "== 2. The signed badge (eddsa-rdfc-2022)\n%s\n\n", indentJSON(signed))

	// 3. Verify it.
	v, err := verifier.New(verifier.Config{Suites: []dataintegrity.SuiteName{dataintegrity.SuiteEdDSARDFC2022}})
	if err != nil {
		return fail("%v", err)
	}
	r1, err := v.Verify(ctx, signed)
	if err != nil {
		return fail("%v", err)
	}
	fmt.Fprintf(e.stdout, "== 3. Verification\n")
	printReport(e.stdout, r1)

	// 4. Change one result value and verify again.
	tampered, err := changeResult(signed, "59")
	if err != nil {
		return fail("%v", err)
	}
	r2, err := v.Verify(ctx, tampered)
	if err != nil {
		return fail("%v", err)
	}
	fmt.Fprintf(e.stdout, "\n== 4. The same badge with its result value changed from 91 to 59\n")
	printReport(e.stdout, r2)

	if !r1.Verified || r2.Verified {
		return fail("unexpected outcome: the signed badge verified=%v, the tampered one verified=%v", r1.Verified, r2.Verified)
	}
	fmt.Fprintf(e.stdout, "\nThe signature covers every value of the badge: the change was caught.\n")
	return exitOK
}

// demoNow is the issue time of the demo badge: now, to the second.
func demoNow() time.Time { return time.Now().UTC().Truncate(time.Second) }

// demoBadge is the built-in sample: an OB 3.0 credential with an
// achievement (criteria, an alignment, a result description) and a result.
// The issuer is left out: the issuer fills it in from its key.
func demoBadge(now time.Time) *credential.Credential {
	const rd = "urn:uuid:0c8f7a7e-6f35-4b8c-9d49-3b0d3f5d1a11"
	id, _ := credential.NewID(nil)
	return &credential.Credential{
		Envelope: credential.Envelope{
			Context:   credential.Contexts(credential.ContextV2, credential.ContextOB),
			ID:        id,
			Type:      credential.Many("VerifiableCredential", "OpenBadgeCredential"),
			Name:      "Welding Safety Level 1",
			ValidFrom: credential.DateTimeOf(now),
		},
		CredentialSubject: credential.One(credential.AchievementSubject{
			ID:   "did:example:learner-42",
			Type: credential.Many("AchievementSubject"),
			Achievement: credential.AchievementRef{Achievement: &credential.Achievement{
				ID:              "https://example.edu/achievements/welding-safety-1",
				Type:            credential.Many("Achievement"),
				AchievementType: "Competency",
				Name:            "Welding Safety Level 1",
				Description:     "Safe set-up and operation of MIG welding equipment.",
				Criteria:        &credential.Criteria{Narrative: "Pass the practical assessment with a score of at least 80%."},
				Alignment: credential.Many(credential.Alignment{
					Type:       credential.Many("Alignment"),
					TargetName: "Operate welding equipment safely",
					TargetURL:  "https://example.org/frameworks/welding/safety",
					TargetType: "CFItem",
				}),
				ResultDescription: credential.Many(credential.ResultDescription{
					ID:            rd,
					Type:          credential.Many("ResultDescription"),
					Name:          "Practical assessment score",
					ResultType:    "Percent",
					ValueMin:      "0",
					ValueMax:      "100",
					RequiredValue: "80",
				}),
			}},
			Result: credential.Many(credential.Result{
				Type:              credential.Many("Result"),
				ResultDescription: rd,
				Value:             "91",
			}),
		}),
	}
}

// changeResult returns the signed badge with its first result value set to
// value, the rest untouched.
func changeResult(signed []byte, value string) ([]byte, error) {
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(signed))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	subj, _ := m["credentialSubject"].(map[string]any)
	results, _ := subj["result"].([]any)
	if len(results) == 0 {
		return nil, errors.New("the sample has no result")
	}
	results[0].(map[string]any)["value"] = value
	return json.Marshal(m)
}

func printReport(w io.Writer, r *verifier.Result) {
	fmt.Fprintln(w, r.Summary())
	for _, c := range r.Checks {
		name := c.Name
		if c.Path != "" {
			name += " " + c.Path
		}
		line := fmt.Sprintf("  %-16s %s", name, c.Outcome)
		if c.Detail != "" && c.Outcome != verifier.Passed {
			line += ": " + c.Detail
		}
		fmt.Fprintln(w, line)
	}
}
