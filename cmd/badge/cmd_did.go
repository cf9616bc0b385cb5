package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/microcred/openbadges/did"
)

func init() {
	register("", func(e *env) *cobra.Command {
		return groupCmd(e, "did", "work with DIDs: resolve one, or make a did:web document", "Commands for Decentralized Identifiers (DIDs).")
	})
	register("did", newDIDResolveCmd)
}

func newDIDResolveCmd(e *env) *cobra.Command {
	var pins resolveFlags
	var ctxs contextFlags
	cmd := &cobra.Command{
		Use:   "resolve [--network | --network-keys] [--resolve DID=FILE] DID[#fragment]",
		Short: "resolve a DID (did:key, did:jwk; did:web with --network-keys or --resolve) and print its document",
		Long: `Resolves a DID and prints its DID document as indented JSON; for a DID URL
with a fragment, prints that verification method. did:key and did:jwk are
resolved offline. did:web DIDs (and https key URLs) are fetched only with
--network-keys or --network, over HTTPS, from public addresses, with a
timeout and a size limit.

The input flags are those of the commands that verify, so that one set of
flags works on all of them: --resolve DID=FILE answers for DID with the
document in FILE (checked as a fetched one would be, and its id must be
DID), offline; --context URL=FILE is read and checked as verify reads it
(a DID document is printed as it is, not expanded, so no context is used
here).`,
		Annotations: map[string]string{annotationExit: `0 printed, 1 not resolvable (invalid, unsupported, not found,
bad key), 2 usage error or an unreadable or invalid --resolve or --context
file`},
	}
	network := addNetworkFlags(cmd.Flags(), false)
	cmd.Flags().Var(&pins, "resolve", "use the DID document (or controller document of an https key URL) in FILE for DID; repeatable. Resolves did:web DIDs offline against a known document")
	cmd.Flags().Var(&ctxs, "context", "load the JSON-LD context URL from FILE, as the commands that verify do; repeatable (read and checked only: a DID document is not expanded)")
	cmd.RunE = runInt(func(cmd *cobra.Command, args []string) int {
		if len(args) != 1 {
			return usageErrFunc(e, cmd)("want exactly one DID")
		}
		return runDIDResolve(cmd.Context(), e, network, pins, ctxs, args[0])
	})
	return cmd
}

func runDIDResolve(ctx context.Context, e *env, network *networkFlags, pins resolveFlags, ctxs contextFlags, id string) int {
	fail := func(err error) int {
		fmt.Fprintf(e.stderr, "badge did resolve: %v\n", err)
		return exitRejected
	}
	// Unusable input files are malformed input (2), as for verify.
	if _, err := contextLoader(ctxs.files(e), false); err != nil {
		fmt.Fprintf(e.stderr, "badge did resolve: %v\n", err)
		return exitUsage
	}
	r, err := cliResolver(e, pins, network.allowKeys())
	if err != nil {
		fmt.Fprintf(e.stderr, "badge did resolve: %v\n", err)
		return exitUsage
	}
	base, _, hasFragment := strings.Cut(id, "#")
	doc, err := r.Resolve(ctx, base)
	if err != nil {
		if errors.Is(err, did.ErrNetworkRequired) && !network.allowKeys() {
			fmt.Fprintf(e.stderr, "badge did resolve: %s: its document is only to be had over the network: look-ups need --network-keys or --network (or --resolve %s=FILE with a copy)\n", base, base)
			return exitRejected
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
