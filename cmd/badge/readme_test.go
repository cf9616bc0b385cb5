package main

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadmeListsEveryCommand: the README's command section names every
// command "badge help" lists, and no command that does not exist.
func TestReadmeListsEveryCommand(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	readme := string(b)
	start := strings.Index(readme, "## The command\n")
	require.GreaterOrEqual(t, start, 0, "README.md has no \"## The command\" section")
	section := readme[start:]
	if end := strings.Index(section[1:], "\n## "); end >= 0 {
		section = section[:end+1]
	}
	root := newRootCmd(&env{})
	for _, c := range root.Commands() {
		if !c.IsAvailableCommand() && c.Name() != "help" {
			continue
		}
		assert.Contains(t, section, "badge "+c.Name(), "README.md's command section does not list badge %s", c.Name())
		for _, sub := range c.Commands() {
			if sub.IsAvailableCommand() && c.Name() != "completion" {
				assert.Contains(t, section, sub.Name(), "README.md's command section does not list badge %s %s", c.Name(), sub.Name())
			}
		}
	}
	for _, line := range strings.Split(section, "\n") {
		f := strings.Fields(line)
		if strings.HasPrefix(line, "    badge ") && len(f) >= 2 {
			c, _, err := root.Find(f[1:2])
			assert.True(t, err == nil && c != root, "README.md lists badge %s, which is not a command", f[1])
		}
	}
}
