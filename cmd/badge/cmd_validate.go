package main

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/microcred/openbadges/credential"
)

func init() { register("", newValidateCmd) }

func newValidateCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "validate [--json] [FILE|-]",
		Short: "check a credential against the VC and OB 3.0 data models",
		Long: `Checks a credential against the VC Data Model (1.1 or 2.0) and, for Open
Badges, the OB 3.0 data model rules, and lists every problem with its JSON
path. It does not check proofs or status (see "badge verify"). The input is
what badge verify accepts: a JSON credential, a VC-JWT (compact JWS; the
credential it carries is checked) or a baked PNG or SVG badge, in FILE or
on standard input for "-" or no FILE. It is parsed strictly (duplicate
keys, keys differing from a known term only by case, invalid UTF-8 and
oversized input are rejected: malformed input, exit status 2).`,
		Annotations: map[string]string{annotationExit: `0 valid (warnings are printed), 1 invalid, 2 usage error or
unreadable or malformed input (the problem is printed too)`},
		Args: maxArgs(1, "input file"),
	}
	asJSON := cmd.Flags().Bool("json", false, `print {"valid": bool, "problems": [{path, rule, message, severity}]}`)
	cmd.RunE = runInt(func(cmd *cobra.Command, args []string) int {
		return runValidate(e, *asJSON, args)
	})
	return cmd
}

// validateReport is the --json output.
type validateReport struct {
	Valid    bool                `json:"valid"`
	Problems credential.Problems `json:"problems"`
}

func runValidate(e *env, asJSON bool, args []string) int {
	data, err := readInput(e, args)
	if err != nil {
		fmt.Fprintf(e.stderr, "badge validate: %v\n", err)
		return exitUsage
	}

	var problems credential.Problems
	malformed := false
	data, err = credentialJSON(data)
	var c *credential.Credential
	if err == nil {
		c, err = credential.Parse(data)
	}
	if err != nil {
		// Malformed input is reported like any other problem, and exits
		// 2: it is not a credential at all.
		p := credential.Problem{Path: "$", Rule: "parse", Message: err.Error(), Severity: credential.SeverityError}
		var pe *credential.ParseError
		if errors.As(err, &pe) {
			p.Path, p.Message = pe.Path, pe.Err.Error()
		}
		problems, malformed = credential.Problems{p}, true
	} else {
		problems = c.Validate()
	}
	valid := !problems.HasErrors()

	if asJSON {
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
	switch {
	case malformed:
		return exitUsage
	case !valid:
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
