package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"github.com/microcred/openbadges/jsonld"
)

// The flags shared by the commands that verify (verify, serve) and by those
// that may look something up over the network (verify, serve, did resolve):
// one family of names, so that what works on one command works on the
// others.

// networkFlags are the network opt-ins. Nothing is looked up over the
// network unless one is given.
type networkFlags struct {
	all    bool // --network: every look-up
	keys   bool // --network-keys: did:web DIDs and https keys
	status bool // --network-status: status lists
}

// addNetworkFlags registers --network and --network-keys on fs, and
// --network-status when withStatus (a command that checks status). The
// older names of the last two (--did-web; --status-network and
// --fetch-status) keep working on every command, hidden from the help.
func addNetworkFlags(fs *pflag.FlagSet, withStatus bool) *networkFlags {
	n := &networkFlags{}
	if withStatus {
		fs.BoolVar(&n.all, "network", false, "allow every network look-up: did:web DIDs and https keys, and status lists (HTTPS to public addresses only, bounded time and size)")
	} else {
		fs.BoolVar(&n.all, "network", false, "allow every network look-up (HTTPS to public addresses only, bounded time and size)")
	}
	fs.BoolVar(&n.keys, "network-keys", false, "allow look-ups of did:web DIDs and https keys only")
	hiddenAlias(fs, &n.keys, "did-web", "network-keys")
	if withStatus {
		fs.BoolVar(&n.status, "network-status", false, "allow fetching status lists only (cached for each list's ttl)")
		hiddenAlias(fs, &n.status, "status-network", "network-status")
		hiddenAlias(fs, &n.status, "fetch-status", "network-status")
	}
	return n
}

// hiddenAlias registers name as an old name of the boolean flag of, bound
// to p, that keeps working but is not shown in the help.
func hiddenAlias(fs *pflag.FlagSet, p *bool, name, of string) {
	fs.BoolVar(p, name, false, "old name of --"+of)
	_ = fs.MarkHidden(name)
}

// allowKeys reports whether did:web DIDs and https keys may be fetched.
func (n *networkFlags) allowKeys() bool { return n.all || n.keys }

// allowStatus reports whether status lists may be fetched.
func (n *networkFlags) allowStatus() bool { return n.all || n.status }

// contextFlags collects --context URL=FILE.
type contextFlags []string

func (c *contextFlags) String() string { return strings.Join(*c, ",") }
func (c *contextFlags) Type() string   { return "URL=FILE" }
func (c *contextFlags) Set(s string) error {
	u, file, ok := strings.Cut(s, "=")
	if !ok || u == "" || file == "" {
		return errors.New("--context wants URL=FILE")
	}
	*c = append(*c, s)
	return nil
}

// files returns the contexts given, URL → path (relative paths taken from
// e's directory).
func (c contextFlags) files(e *env) map[string]string {
	if len(c) == 0 {
		return nil
	}
	m := make(map[string]string, len(c))
	for _, s := range c {
		u, file, _ := strings.Cut(s, "=")
		m[u] = e.path(file)
	}
	return m
}

// contextLoader returns the JSON-LD loader of a command that verifies: the
// pinned contexts first, so that a file given for one of their URLs cannot
// replace it, then the VC 2.0 examples context when examples is set
// (jsonld.ExamplesContext), then the documents of files (URL → path). It
// returns nil when there is nothing to add: the verifier's default loader,
// the pinned contexts only.
func contextLoader(files map[string]string, examples bool) (jsonld.DocumentLoader, error) {
	if len(files) == 0 && !examples {
		return nil, nil
	}
	loaders := []jsonld.DocumentLoader{jsonld.Embedded()}
	if examples {
		loaders = append(loaders, jsonld.ExamplesContext())
	}
	if len(files) > 0 {
		docs := make(map[string][]byte, len(files))
		for u, file := range files {
			b, err := os.ReadFile(file)
			if err != nil {
				return nil, fmt.Errorf("context %s: %w", u, err)
			}
			docs[u] = b
		}
		static, err := jsonld.NewStaticLoader(docs)
		if err != nil {
			return nil, fmt.Errorf("contexts: %w", err)
		}
		loaders = append(loaders, static)
	}
	return jsonld.Chain(loaders...), nil
}
