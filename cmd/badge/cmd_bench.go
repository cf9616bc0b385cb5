package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"
	"runtime"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/verifier"
)

// benchBadge is the sample the command measures (the library's own, not the
// shared benchmark file, which it resembles). ISSUER is replaced by the
// signing key's DID.
const benchBadge = `{
  "@context": [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
  ],
  "id": "urn:uuid:0d6b2c53-4c7e-4a0b-9a55-3f1c2b8e7d10",
  "type": ["VerifiableCredential", "OpenBadgeCredential"],
  "name": "Introduction to Statistics",
  "issuer": {
    "id": "ISSUER",
    "type": ["Profile"],
    "name": "Example Community College",
    "url": "https://www.example.org",
    "email": "credentials@example.org"
  },
  "validFrom": "2026-01-15T09:00:00Z",
  "credentialSubject": {
    "id": "did:example:learner-4f1d2c",
    "type": ["AchievementSubject"],
    "achievement": {
      "id": "https://example.org/achievements/stat-101",
      "type": ["Achievement"],
      "achievementType": "Course",
      "name": "Introduction to Statistics",
      "description": "Descriptive statistics, probability, sampling and simple inference.",
      "criteria": {
        "narrative": "Pass the three unit quizzes and the final examination with at least 65%."
      },
      "image": {
        "id": "https://example.org/achievements/stat-101/badge.png",
        "type": "Image"
      },
      "alignment": [
        {
          "type": ["Alignment"],
          "targetName": "Interpret statistical results",
          "targetUrl": "https://example.org/frameworks/skills/interpret-statistics",
          "targetFramework": "Example Skills Framework",
          "targetType": "CFItem"
        }
      ],
      "resultDescription": [
        {
          "id": "urn:uuid:8a0e3e61-2f55-4b7a-bb3c-61d4f0c9a2e7",
          "type": ["ResultDescription"],
          "name": "Final examination",
          "resultType": "Percent",
          "valueMin": "0",
          "valueMax": "100",
          "requiredValue": "65"
        }
      ],
      "tag": ["statistics", "probability", "micro-credential"]
    },
    "result": [
      {
        "type": ["Result"],
        "resultDescription": "urn:uuid:8a0e3e61-2f55-4b7a-bb3c-61d4f0c9a2e7",
        "value": "81"
      }
    ]
  }
}`

func init() { register("", newBenchCmd) }

func newBenchCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bench [--n N]",
		Short: "measure issue and verify speed of an OB 3.0 badge on this machine",
		Long: `Measures, on this machine, how long it takes to issue and to verify an
Open Badges 3.0 credential: a built-in sample badge (VC 2.0, OB 3.0.3
context, an achievement with an alignment, a result description and a
result), signed with eddsa-rdfc-2022 by a did:key, the embedded contexts
only, on one goroutine. Each figure is the mean over N operations after a
short warm-up; nothing touches the network or the disk.`,
		Annotations: map[string]string{annotationExit: `0 measured, 1 a credential failed to issue or verify,
2 usage error`},
		Args: maxArgs(0, ""),
	}
	n := cmd.Flags().Int("n", 2000, "operations per measurement")
	cmd.RunE = runInt(func(cmd *cobra.Command, args []string) int {
		if *n < 1 || *n > 10_000_000 {
			return usageErrFunc(e, cmd)("--n must be between 1 and 10000000, not %d", *n)
		}
		return runBench(cmd.Context(), e, *n)
	})
	return cmd
}

func runBench(ctx context.Context, e *env, n int) int {
	res, err := benchmark(ctx, n)
	if err != nil {
		if ctx.Err() != nil {
			fmt.Fprintf(e.stderr, "badge bench: %v\n", ctx.Err())
			return exitRejected
		}
		fmt.Fprintf(e.stderr, "badge bench: %v\n", err)
		return exitRejected
	}
	fmt.Fprintf(e.stdout, "badge bench: OB 3.0 badge (%d bytes), eddsa-rdfc-2022, did:key, embedded contexts, one goroutine, n=%d\n", res.size, n)
	fmt.Fprintf(e.stdout, "%s %s/%s, %d CPUs\n", runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
	for _, m := range []struct {
		name string
		d    time.Duration
	}{{"issue", res.issue}, {"verify", res.verify}} {
		per := float64(m.d.Nanoseconds()) / float64(n) / 1e3
		fmt.Fprintf(e.stdout, "%-7s %9.1f µs/op %10s ops/s\n", m.name, per, groupDigits(int64(1e6/per)))
	}
	return exitOK
}

type benchResult struct {
	size          int
	issue, verify time.Duration
}

// benchmark issues the sample n times, then verifies it n times, each after
// a warm-up of min(n, 50) operations.
func benchmark(ctx context.Context, n int) (*benchResult, error) {
	// A fixed key: the figures must not depend on randomness, and this key
	// signs nothing but the sample.
	seed := sha256.Sum256([]byte("badge bench"))
	priv := ed25519.NewKeyFromSeed(seed[:])
	d, vm, err := did.NewKeyDID(priv.Public())
	if err != nil {
		return nil, err
	}
	now := time.Date(2026, 2, 1, 12, 0, 0, 0, time.UTC)
	is, err := issuer.New(issuer.Config{Signer: priv, VerificationMethod: vm, Now: func() time.Time { return now }})
	if err != nil {
		return nil, err
	}
	v, err := verifier.New(verifier.Config{Suites: []dataintegrity.SuiteName{dataintegrity.SuiteEdDSARDFC2022}, Now: func() time.Time { return now }})
	if err != nil {
		return nil, err
	}
	data := bytes.ReplaceAll([]byte(benchBadge), []byte(`"ISSUER"`), []byte(strconv.Quote(d)))
	var signed []byte
	issueOnce := func() error {
		var err error
		signed, err = is.IssueJSON(ctx, data)
		return err
	}
	verifyOnce := func() error {
		r, err := v.Verify(ctx, signed)
		if err != nil {
			return err
		}
		if !r.Verified {
			return fmt.Errorf("the sample did not verify: %s", r.Summary())
		}
		return nil
	}
	timeIt := func(f func() error) (time.Duration, error) {
		for range min(n, 50) {
			if err := f(); err != nil {
				return 0, err
			}
		}
		runtime.GC()
		start := time.Now()
		for range n {
			if err := f(); err != nil {
				return 0, err
			}
		}
		return time.Since(start), nil
	}
	res := &benchResult{size: len(data)}
	if res.issue, err = timeIt(issueOnce); err != nil {
		return nil, fmt.Errorf("issue: %w", err)
	}
	if res.verify, err = timeIt(verifyOnce); err != nil {
		return nil, fmt.Errorf("verify: %w", err)
	}
	return res, nil
}

// groupDigits writes n with thousands separators: 12,345.
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, s[i])
	}
	return string(b)
}
