package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/microcred/openbadges/did"
)

const didResolveUsage = `badge did resolve [--network | --network-keys] DID[#fragment]

Resolves a DID and prints its DID document as indented JSON; for a DID URL
with a fragment, prints that verification method. did:key and did:jwk are
resolved offline. did:web DIDs (and https key URLs) are fetched only with
--network-keys or --network, over HTTPS, from public addresses, with a
timeout and a size limit.

  --network       allow every network look-up (here, as with badge verify
                  and badge serve: did:web DIDs and https keys)
  --network-keys  allow look-ups of did:web DIDs and https keys

Exit status: 0 printed, 1 not resolvable (invalid, unsupported, not found,
bad key), 2 usage error`

func init() {
	register(&command{
		name:    "did resolve",
		summary: "resolve a DID (did:key, did:jwk; did:web with --network-keys) and print its document",
		usage:   didResolveUsage,
		run:     runDIDResolve,
	})
}

func runDIDResolve(ctx context.Context, e *env) int {
	fs := flag.NewFlagSet("did resolve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	network := addNetworkFlags(fs, false)
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(e.stderr, "badge did resolve: "+format+"\nusage: %s\n", append(a, didResolveUsage)...)
		return exitUsage
	}
	if err := fs.Parse(e.args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(e.stdout, "usage: %s\n", didResolveUsage)
			return exitOK
		}
		return usageErr("%v", err)
	}
	if fs.NArg() != 1 {
		return usageErr("want exactly one DID")
	}
	id := fs.Arg(0)
	fail := func(err error) int {
		fmt.Fprintf(e.stderr, "badge did resolve: %v\n", err)
		return exitRejected
	}
	r, err := cliResolver(e, nil, network.allowKeys())
	if err != nil {
		return fail(err)
	}
	base, _, hasFragment := strings.Cut(id, "#")
	doc, err := r.Resolve(ctx, base)
	if err != nil {
		if errors.Is(err, did.ErrNetworkRequired) && !network.allowKeys() {
			return fail(fmt.Errorf("%w (network look-ups need --network-keys or --network)", err))
		}
		return fail(err)
	}
	var v any = doc
	if hasFragment {
		vm, err := doc.Method(id)
		if err != nil {
			return fail(err)
		}
		v = vm
	}
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fail(err)
	}
	fmt.Fprintf(e.stdout, "%s\n", out)
	return exitOK
}
