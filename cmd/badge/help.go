package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// annotationExit is the cobra.Command annotation holding what its exit
// statuses mean; the help prints it last.
const annotationExit = "exit"

// helpWidth is the width the help wraps flag descriptions to.
const helpWidth = 80

// writeHelp writes the help of cmd: the usage line, the description, the
// subcommands, the flags and the exit statuses.
func writeHelp(w io.Writer, cmd *cobra.Command) {
	switch {
	case cmd.HasAvailableSubCommands() && cmd.Use == cmd.Name():
		// A group: its commands are what it does.
		fmt.Fprintf(w, "usage: %s COMMAND [flags]\n", cmd.CommandPath())
	case cmd.HasAvailableSubCommands():
		// A command that has commands of its own (badge serve token).
		fmt.Fprintf(w, "usage: %s\n       %s COMMAND [flags]\n", useLine(cmd), cmd.CommandPath())
	default:
		fmt.Fprintf(w, "usage: %s\n", useLine(cmd))
	}
	desc := cmd.Long
	if desc == "" {
		desc = cmd.Short
	}
	if desc != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimRight(desc, "\n"))
	}
	if cmd.HasAvailableSubCommands() {
		fmt.Fprintln(w, "\ncommands:")
		width := 0
		for _, c := range cmd.Commands() {
			if c.IsAvailableCommand() || c.Name() == "help" {
				width = max(width, len(c.Name()))
			}
		}
		for _, c := range cmd.Commands() {
			if c.IsAvailableCommand() || c.Name() == "help" {
				fmt.Fprintf(w, "  %-*s  %s\n", width, c.Name(), c.Short)
			}
		}
	}
	if fl := cmd.LocalFlags(); fl.HasAvailableFlags() {
		fmt.Fprintf(w, "\nflags:\n%s", fl.FlagUsagesWrapped(helpWidth))
	}
	if ex := cmd.Annotations[annotationExit]; ex != "" {
		fmt.Fprintf(w, "\nexit status: %s\n", ex)
	}
	if cmd.HasAvailableSubCommands() {
		fmt.Fprintf(w, "\nRun \"%s COMMAND --help\" for a command's usage.\n", cmd.CommandPath())
	}
}

// useLine is cmd's usage line: its parent's path and its Use, which
// names its flags as it sees fit (cobra's UseLine would add "[flags]").
func useLine(cmd *cobra.Command) string {
	if cmd.HasParent() {
		return cmd.Parent().CommandPath() + " " + cmd.Use
	}
	return cmd.Use
}

func init() { register("", newVersionCmd) }

func newVersionCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:         "version",
		Short:       "print the version of badge and the source revision it was built from",
		Long:        "Prints the module version of badge, the version control revision it was built\nfrom (with \"modified\" when the tree had uncommitted changes) and the Go\nversion, from the build information in the binary.",
		Annotations: map[string]string{annotationExit: "0"},
		Args:        maxArgs(0, ""),
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintln(e.stdout, versionLine())
			return nil
		},
	}
}

// versionLine is "badge VERSION (REVISION[, modified], TIME) GOVERSION",
// from the binary's build information; what it lacks (a binary built with
// -buildvcs=false has no revision) is left out.
func versionLine() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "badge (unknown version)"
	}
	version := bi.Main.Version
	if version == "" {
		version = "(devel)"
	}
	var rev, when string
	modified := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	var vcs []string
	if rev != "" {
		vcs = append(vcs, rev)
		if modified {
			vcs = append(vcs, "modified")
		}
		if when != "" {
			vcs = append(vcs, when)
		}
	} else {
		vcs = append(vcs, "revision unknown")
	}
	return fmt.Sprintf("badge %s (%s) %s", version, strings.Join(vcs, ", "), bi.GoVersion)
}
