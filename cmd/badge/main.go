// Command badge issues, verifies and inspects Open Badges 3.0 credentials.
//
// Run "badge help" for the list of commands, "badge help COMMAND" (or
// "badge COMMAND --help") for one. Exit status: 0 for success (or a
// verified credential), 1 when the input is rejected or does not verify, 2
// for usage errors and unreadable or malformed input.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
)

// Exit codes shared by every command.
const (
	exitOK       = 0
	exitRejected = 1
	exitUsage    = 2
)

// env is what a command may touch: its arguments, standard streams and
// working directory. Tests run commands in-process with their own env.
type env struct {
	args   []string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	dir    string // working directory for relative paths; "" means the process's
}

// The commands are built on github.com/spf13/cobra, the framework of
// kubectl, gh and hugo: flags go anywhere on the line, every command has
// --help and -h, "badge help COMMAND" and shell completion come with it.
//
// To add a command, write one file, cmd_NAME.go, with a constructor
// func(e *env) *cobra.Command and register it from that file's init:
//
//	func init() { register("", newNameCmd) }        // badge NAME
//	func init() { register("did", newDIDWebCmd) }   // badge did web
//
// Give the command a Short, a Long and the annotationExit annotation (what
// its exit statuses mean): the help shows them and TestEveryCommandHasHelp
// requires them; README.md's command section lists it
// (TestReadmeListsEveryCommand). The constructor is called for every run
// (tests run many in one process), so flag values live in variables it
// declares. Its RunE returns
// exitCode(n) after printing its own messages, usageError(cmd, …) for a
// usage error (one line, exit 2), or any other error, printed as
// "badge NAME: error" with exit status 1. Nothing else needs to change:
// the help, completion and the README test find the command.

// commandBuilder is a registered command: its parent's path below "badge"
// ("" for a top-level command, "did" for "badge did resolve") and its
// constructor.
type commandBuilder struct {
	parent string
	build  func(e *env) *cobra.Command
}

var builders []commandBuilder

// register adds a command under the command whose path below "badge" is
// parent ("" for a top-level command). Call it from init.
func register(parent string, build func(e *env) *cobra.Command) {
	builders = append(builders, commandBuilder{parent: parent, build: build})
}

// exitCode is the error a command returns when it has printed what it had
// to say and only the exit status remains.
type exitCode int

func (c exitCode) Error() string { return fmt.Sprintf("exit status %d", int(c)) }

// code turns a command's exit status into its RunE error: nil for exitOK.
func code(n int) error {
	if n == exitOK {
		return nil
	}
	return exitCode(n)
}

// usageErr is a usage error: printed on one line, with where to read the
// usage, exit status 2.
type usageErr struct {
	cmd *cobra.Command
	msg string
}

func (u *usageErr) Error() string { return u.msg }

// usageError returns the usage error of cmd with the message format.
func usageError(cmd *cobra.Command, format string, a ...any) error {
	return &usageErr{cmd: cmd, msg: fmt.Sprintf(format, a...)}
}

// printUsageError prints a usage error of cmd: "badge X: msg; see "badge
// X --help"", and returns exitUsage.
func printUsageError(w io.Writer, cmd *cobra.Command, msg string) int {
	fmt.Fprintf(w, "%s: %s; see \"%s --help\"\n", cmd.CommandPath(), msg, cmd.CommandPath())
	return exitUsage
}

func main() {
	e := &env{args: os.Args[1:], stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}
	os.Exit(run(context.Background(), e))
}

// run builds the command tree for e and runs the command its arguments
// name, returning the exit status.
func run(ctx context.Context, e *env) int {
	root := newRootCmd(e)
	root.SetArgs(e.args)
	cmd, err := root.ExecuteContextC(ctx)
	var (
		ec exitCode
		ue *usageErr
	)
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ec):
		return int(ec)
	case errors.As(err, &ue):
		return printUsageError(e.stderr, ue.cmd, ue.msg)
	case cmd == nil:
		cmd = root
	}
	if isCobraUsageError(err) {
		return printUsageError(e.stderr, cmd, err.Error())
	}
	fmt.Fprintf(e.stderr, "%s: %v\n", cmd.CommandPath(), err)
	return exitRejected
}

// isCobraUsageError reports whether err is one of the errors cobra
// returns for a command line it cannot parse (flags go through
// SetFlagErrorFunc, which makes them usageErr).
func isCobraUsageError(err error) bool {
	msg := err.Error()
	return strings.HasPrefix(msg, "unknown command ") ||
		strings.HasPrefix(msg, "unknown flag") ||
		strings.HasPrefix(msg, "unknown shorthand flag") ||
		strings.Contains(msg, " arg(s), received ") ||
		strings.HasPrefix(msg, "invalid argument ")
}

const rootLong = `badge issues, verifies and inspects Open Badges 3.0 credentials (W3C
Verifiable Credentials): JSON with a Data Integrity proof, VC-JWTs, baked
PNG and SVG badges, presentations, and Bitstring Status Lists.

Nothing is looked up over the network unless a network flag is given
(--network, or --network-keys and --network-status alone).`

const exitStatusDoc = `0 success (or verified), 1 rejected or not verified, 2 usage
error or unreadable or malformed input`

// newRootCmd builds the command tree: the root, every registered command
// attached under its parent, and version.
func newRootCmd(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:           "badge",
		Short:         "issue, verify and inspect Open Badges 3.0 credentials",
		Long:          rootLong,
		Annotations:   map[string]string{annotationExit: exitStatusDoc},
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.ArbitraryArgs,
		// "badge" alone is a usage error: the help goes to standard
		// error, exit status 2.
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageError(cmd, "unknown command %q", args[0])
			}
			writeHelp(e.stderr, cmd)
			return exitCode(exitUsage)
		},
	}
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	root.SetHelpFunc(func(cmd *cobra.Command, _ []string) { writeHelp(cmd.OutOrStdout(), cmd) })
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return usageError(cmd, "%v", err)
	})
	root.SetHelpCommand(newHelpCmd(e))
	byPath := map[string]*cobra.Command{"": root}
	// Parents before children: attach by the depth of the parent's path,
	// each depth in registration order.
	for depth := 0; ; depth++ {
		more := false
		for _, b := range builders {
			d := 0
			if b.parent != "" {
				d = strings.Count(b.parent, " ") + 1
			}
			if d > depth {
				more = true
			}
			if d != depth {
				continue
			}
			parent, ok := byPath[b.parent]
			if !ok {
				panic("badge: no command " + b.parent + " to add a subcommand to")
			}
			c := b.build(e)
			parent.AddCommand(c)
			path := strings.TrimPrefix(c.CommandPath(), "badge ")
			if _, dup := byPath[path]; dup {
				panic("badge: command registered twice: " + path)
			}
			byPath[path] = c
		}
		if !more {
			break
		}
	}
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			c.Short = "print the shell completion script (bash, zsh, fish or powershell)"
			c.Annotations = map[string]string{annotationExit: "0 printed, 2 usage error"}
		}
	}
	return root
}

// newHelpCmd is "badge help [COMMAND]": the help of badge or of a command
// on standard output; an unknown command is a usage error.
func newHelpCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:         "help [COMMAND]",
		Short:       "show the commands, or the usage of one",
		Annotations: map[string]string{annotationExit: "0 shown, 2 no such command"},
		ValidArgsFunction: func(cmd *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
			c, _, err := cmd.Root().Find(args)
			if err != nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []cobra.Completion
			for _, sub := range c.Commands() {
				if sub.IsAvailableCommand() {
					names = append(names, cobra.CompletionWithDesc(sub.Name(), sub.Short))
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			c, rest, err := cmd.Root().Find(args)
			if err != nil || len(rest) > 0 {
				return usageError(cmd, "unknown command %q", strings.Join(args, " "))
			}
			c.InitDefaultHelpFlag()
			writeHelp(e.stdout, c)
			return nil
		},
	}
}

// groupCmd returns a command that only holds subcommands ("badge did",
// "badge status"): alone, or with an unknown subcommand, it is a usage
// error that lists its subcommands.
func groupCmd(e *env, use, short, long string) *cobra.Command {
	return &cobra.Command{
		Use:   use,
		Short: short,
		Long:  long,
		Args:  cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageError(cmd, "unknown command %q", args[0])
			}
			writeHelp(e.stderr, cmd)
			return exitCode(exitUsage)
		},
	}
}

// maxArgs is a cobra.PositionalArgs that allows at most n arguments,
// naming what they are in the error.
func maxArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) > n {
			switch n {
			case 0:
				return usageError(cmd, "unexpected argument %q", args[0])
			case 1:
				return usageError(cmd, "at most one %s", what)
			}
			return usageError(cmd, "at most %d %s", n, what)
		}
		return nil
	}
}

// runInt adapts a command body that prints its own messages and returns
// an exit status to cobra's RunE.
func runInt(f func(cmd *cobra.Command, args []string) int) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error { return code(f(cmd, args)) }
}

// usageErrFunc returns the usage error printer of cmd: it prints the
// one-line usage error and returns exitUsage.
func usageErrFunc(e *env, cmd *cobra.Command) func(format string, a ...any) int {
	return func(format string, a ...any) int {
		return printUsageError(e.stderr, cmd, fmt.Sprintf(format, a...))
	}
}

// indentJSON returns the JSON document b indented for the terminal, or b
// itself when it is not JSON (a compact JWS).
func indentJSON(b []byte) []byte {
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		return b
	}
	return out.Bytes()
}
