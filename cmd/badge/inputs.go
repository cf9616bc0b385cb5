package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

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
// --network-status when withStatus (a command that checks status).
func addNetworkFlags(fs *flag.FlagSet, withStatus bool) *networkFlags {
	n := &networkFlags{}
	fs.BoolVar(&n.all, "network", false, "allow every network look-up")
	fs.BoolVar(&n.keys, "network-keys", false, "allow did:web and https key look-ups")
	if withStatus {
		fs.BoolVar(&n.status, "network-status", false, "allow fetching status lists")
	}
	return n
}

// keysAlias registers name as another name of --network-keys (an older
// name that keeps working).
func (n *networkFlags) keysAlias(fs *flag.FlagSet, name string) {
	fs.BoolVar(&n.keys, name, false, "the same as --network-keys")
}

// statusAlias registers name as another name of --network-status.
func (n *networkFlags) statusAlias(fs *flag.FlagSet, name string) {
	fs.BoolVar(&n.status, name, false, "the same as --network-status")
}

// allowKeys reports whether did:web DIDs and https keys may be fetched.
func (n *networkFlags) allowKeys() bool { return n.all || n.keys }

// allowStatus reports whether status lists may be fetched.
func (n *networkFlags) allowStatus() bool { return n.all || n.status }

// contextFlags collects --context URL=FILE.
type contextFlags []string

func (c *contextFlags) String() string { return strings.Join(*c, ",") }
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
