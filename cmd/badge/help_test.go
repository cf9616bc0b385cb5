package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
)

// TestEveryCommandHasHelp: every command answers --help and -h on standard
// output with exit status 0, its usage line first, and says what it is
// (Short) and what its exit statuses mean.
func TestEveryCommandHasHelp(t *testing.T) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if !sub.IsAvailableCommand() {
				continue
			}
			path := strings.Fields(sub.CommandPath())[1:]
			name := strings.Join(path, " ")
			if strings.HasPrefix(name, "completion ") {
				continue // cobra's own
			}
			assert.NotEmpty(t, sub.Short, "badge %s has no Short", name)
			if !sub.HasAvailableSubCommands() {
				assert.NotEmpty(t, sub.Annotations[annotationExit], "badge %s does not say what its exit statuses mean", name)
			}
			for _, h := range []string{"--help", "-h"} {
				var stdout, stderr bytes.Buffer
				e := &env{args: append(append([]string{}, path...), h), stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, dir: t.TempDir()}
				code := run(context.Background(), e)
				assert.Equal(t, exitOK, code, "badge %s %s: stderr %s", name, h, stderr.String())
				assert.True(t, strings.HasPrefix(stdout.String(), "usage: badge "+name), "badge %s %s:\n%s", name, h, stdout.String())
				assert.Empty(t, stderr.String(), "badge %s %s", name, h)
			}
			walk(sub)
		}
	}
	walk(newRootCmd(&env{}))
}
