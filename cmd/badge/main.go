// Command badge issues, verifies and inspects Open Badges 3.0 credentials.
//
// Run "badge help" for the list of commands. Exit status: 0 for success (or a
// verified credential), 1 when the input is rejected or does not verify, 2 for
// usage errors and unreadable input.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
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

// command is one subcommand. Each lives in its own file and registers itself
// from init, so that commands can be added without touching this file.
type command struct {
	name    string // e.g. "canon", or "did resolve" for a nested command
	summary string // one line for "badge help"
	usage   string // full usage text, printed by "badge help NAME" and on usage errors
	run     func(ctx context.Context, e *env) int
}

var commands = map[string]*command{}

func register(c *command) {
	if _, dup := commands[c.name]; dup {
		panic("badge: command registered twice: " + c.name)
	}
	commands[c.name] = c
}

// errUsage marks an error that should exit with status 2.
var errUsage = errors.New("usage error")

func main() {
	e := &env{args: os.Args[1:], stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}
	os.Exit(run(context.Background(), e))
}

// run dispatches to a command. Nested commands ("did resolve") are matched on
// the longest prefix of the arguments.
func run(ctx context.Context, e *env) int {
	if len(e.args) == 0 {
		printHelp(e.stderr)
		return exitUsage
	}
	for n := min(2, len(e.args)); n >= 1; n-- {
		name := strings.Join(e.args[:n], " ")
		if c, ok := commands[name]; ok {
			sub := *e
			sub.args = e.args[n:]
			return c.run(ctx, &sub)
		}
	}
	fmt.Fprintf(e.stderr, "badge: unknown command %q; run \"badge help\"\n", strings.Join(e.args, " "))
	return exitUsage
}

func init() {
	register(&command{
		name:    "help",
		summary: "show the commands, or the usage of one",
		usage:   "badge help [COMMAND]",
		run: func(_ context.Context, e *env) int {
			if len(e.args) == 0 {
				printHelp(e.stdout)
				return exitOK
			}
			c, ok := commands[strings.Join(e.args, " ")]
			if !ok {
				fmt.Fprintf(e.stderr, "badge help: unknown command %q\n", strings.Join(e.args, " "))
				return exitUsage
			}
			fmt.Fprintf(e.stdout, "usage: %s\n\n%s.\n", c.usage, c.summary)
			return exitOK
		},
	})
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "badge: issue, verify and inspect Open Badges 3.0 credentials")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "commands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	width := 0
	for _, n := range names {
		width = max(width, len(n))
	}
	for _, n := range names {
		fmt.Fprintf(w, "  %-*s  %s\n", width, n, commands[n].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "exit status: 0 success, 1 rejected or not verified, 2 usage or unreadable input")
}

// readInput reads the named file, or standard input for "-" or no name. A
// relative path is taken from e.dir when set.
func readInput(e *env, args []string) ([]byte, error) {
	if len(args) > 1 {
		return nil, fmt.Errorf("%w: at most one input file", errUsage)
	}
	if len(args) == 0 || args[0] == "-" {
		b, err := io.ReadAll(io.LimitReader(e.stdin, maxInput+1))
		if err == nil && len(b) > maxInput {
			return nil, fmt.Errorf("standard input: larger than %d bytes", maxInput)
		}
		return b, err
	}
	f, err := os.Open(e.path(args[0]))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxInput+1))
	if err == nil && len(b) > maxInput {
		return nil, fmt.Errorf("%s: larger than %d bytes", args[0], maxInput)
	}
	return b, err
}

// maxInput bounds what any command reads from a file or stdin.
const maxInput = 16 << 20

func (e *env) path(p string) string {
	if e.dir == "" || strings.HasPrefix(p, "/") {
		return p
	}
	return e.dir + "/" + p
}
