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
	cmd := &cobra.Command{
		Use:   "resolve [--network | --network-keys] DID[#fragment]",
		Short: "resolve a DID (did:key, did:jwk; did:web with --network-keys) and print its document",
		Long: `Resolves a DID and prints its DID document as indented JSON; for a DID URL
with a fragment, prints that verification method. did:key and did:jwk are
resolved offline. did:web DIDs (and https key URLs) are fetched only with
--network-keys or --network, over HTTPS, from public addresses, with a
timeout and a size limit.`,
		Annotations: map[string]string{annotationExit: `0 printed, 1 not resolvable (invalid, unsupported, not found,
bad key), 2 usage error`},
	}
	network := addNetworkFlags(cmd.Flags(), false)
	cmd.RunE = runInt(func(cmd *cobra.Command, args []string) int {
		if len(args) != 1 {
			return usageErrFunc(e, cmd)("want exactly one DID")
		}
		return runDIDResolve(cmd.Context(), e, network, args[0])
	})
	return cmd
}

func runDIDResolve(ctx context.Context, e *env, network *networkFlags, id string) int {
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
			fmt.Fprintf(e.stderr, "badge did resolve: %s: its document is only to be had over the network: look-ups need --network-keys or --network\n", base)
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
