package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/microcred/openbadges/credential"
)

const validateUsage = `badge validate [--json] [FILE|-]

Checks a credential against the VC Data Model (1.1 or 2.0) and, for Open
Badges, the OB 3.0 data model rules, and lists every problem with its JSON
path. It does not check proofs or status (see "badge verify"). The input is
FILE, or standard input for "-" or no FILE; it is parsed strictly (duplicate
keys, keys differing from a known term only by case, invalid UTF-8 and
oversized input are rejected).

  --json  print {"valid": bool, "problems": [{path, rule, message, severity}]}

Exit status: 0 valid (warnings are printed), 1 invalid, 2 usage error or
unreadable input`

func init() {
	register(&command{
		name:    "validate",
		summary: "check a credential against the VC and OB 3.0 data models",
		usage:   validateUsage,
		run:     runValidate,
	})
}

// validateReport is the --json output.
type validateReport struct {
	Valid    bool                `json:"valid"`
	Problems credential.Problems `json:"problems"`
}

func runValidate(_ context.Context, e *env) int {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", false, "print the result as JSON")
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(e.stderr, "badge validate: "+format+"\nusage: %s\n", append(a, validateUsage)...)
		return exitUsage
	}
	if err := fs.Parse(e.args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(e.stdout, "usage: %s\n", validateUsage)
			return exitOK
		}
		return usageErr("%v", err)
	}
	if fs.NArg() > 1 {
		return usageErr("at most one input file")
	}
	data, err := readInput(e, fs.Args())
	if err != nil {
		fmt.Fprintf(e.stderr, "badge validate: %v\n", err)
		return exitUsage
	}

	var problems credential.Problems
	c, err := credential.Parse(data)
	if err != nil {
		// Malformed input is an invalid credential, reported like any other
		// problem.
		p := credential.Problem{Path: "$", Rule: "parse", Message: err.Error(), Severity: credential.SeverityError}
		var pe *credential.ParseError
		if errors.As(err, &pe) {
			p.Path, p.Message = pe.Path, pe.Err.Error()
		}
		problems = credential.Problems{p}
	} else {
		problems = c.Validate()
	}
	valid := !problems.HasErrors()

	if *asJSON {
		if problems == nil {
			problems = credential.Problems{}
		}
		out, err := json.MarshalIndent(validateReport{Valid: valid, Problems: problems}, "", "  ")
		if err != nil {
			fmt.Fprintf(e.stderr, "badge validate: %v\n", err)
			return exitUsage
		}
		fmt.Fprintf(e.stdout, "%s\n", out)
	} else {
		for _, p := range problems {
			fmt.Fprintln(e.stdout, p)
		}
		nerr, nwarn := len(problems.Errors()), len(problems.Warnings())
		if valid {
			fmt.Fprintf(e.stdout, "valid (%d warning%s)\n", nwarn, plural(nwarn))
		} else {
			fmt.Fprintf(e.stdout, "invalid: %d error%s, %d warning%s\n", nerr, plural(nerr), nwarn, plural(nwarn))
		}
	}
	if !valid {
		return exitRejected
	}
	return exitOK
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
