package main

import (
	"encoding/json"
	"fmt"
	"net"
	"strings"

	"github.com/spf13/cobra"

	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/internal/keys"
)

func init() { register("did", newDIDWebCmd) }

const didWebLong = `Prints the DID document (did.json) that makes the web site at HOST the
did:web issuer whose key is in --key: its id is did:web:HOST (with the
--path segments, did:web:HOST:issuers:1), and the key is its one
verification method, #key-1, under assertionMethod (to issue credentials)
and authentication (to sign presentations). Ed25519, P-256 and P-384 keys
are Multikeys; RSA keys are JsonWebKeys. Only the public key is written.

Becoming a did:web issuer takes two steps:

  1. badge did web --host example.edu --key issuer.jwk -o did.json \
       --key-out web-issuer.jwk
     and publish did.json at the URL this command names on standard error
     (https://example.edu/.well-known/did.json; with --path issuers/1,
     https://example.edu/issuers/1/did.json).
  2. badge issue --key web-issuer.jwk badge.json
     issues as did:web:example.edu: --key-out wrote the same private key
     with the did:web verification method as its "kid".

Verifiers fetch did.json when they allow network look-ups (badge verify
--network-keys); badge verify --resolve did:web:example.edu=did.json checks
a credential against the file, offline.`

func newDIDWebCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:         "web --host HOST [--path PATH] --key FILE [-o FILE] [--key-out FILE]",
		Short:       "print the did.json that makes a web site a did:web issuer",
		Long:        didWebLong,
		Annotations: map[string]string{annotationExit: "0 written, 1 the output could not be written (FILE exists), 2 usage error or unreadable key"},
		Args:        maxArgs(0, ""),
	}
	fs := cmd.Flags()
	host := fs.String("host", "", "the web site's `HOST` name, with :PORT if it is not 443")
	path := fs.String("path", "", "the `PATH` below the host where did.json is published, e.g. issuers/1 (default: /.well-known)")
	keyFile := fs.String("key", "", "the issuer's key `FILE` (from \"badge keygen\"); only its public key is written")
	out := fs.StringP("output", "o", "", "write did.json to `FILE` (never overwritten) instead of standard output")
	keyOut := fs.String("key-out", "", "also write the private key, with the did:web verification method as its kid, to `FILE` (mode 0600, never overwritten), for badge issue")
	cmd.RunE = runInt(func(cmd *cobra.Command, _ []string) int {
		usageErr := usageErrFunc(e, cmd)
		if *host == "" || *keyFile == "" {
			return usageErr("--host and --key are required")
		}
		id, err := webDID(*host, *path)
		if err != nil {
			return usageErr("%v", err)
		}
		url, err := did.WebURL(id)
		if err != nil {
			return usageErr("%v", err)
		}
		k, err := readKeyFile(e, *keyFile)
		if err != nil {
			fmt.Fprintf(e.stderr, "badge did web: %v\n", err)
			return exitUsage
		}
		doc, err := webDocument(id, k)
		if err != nil {
			fmt.Fprintf(e.stderr, "badge did web: %v\n", err)
			return exitUsage
		}
		data, err := json.MarshalIndent(doc, "", "  ")
		if err != nil {
			fmt.Fprintf(e.stderr, "badge did web: %v\n", err)
			return exitUsage
		}
		data = append(data, '\n')
		if *keyOut != "" {
			wk := *k
			wk.DID, wk.VerificationMethod = id, doc.VerificationMethods[0].ID
			jwk, err := wk.MarshalJWK()
			if err != nil {
				fmt.Fprintf(e.stderr, "badge did web: %v\n", err)
				return exitRejected
			}
			if err := writeNewFile(e.path(*keyOut), jwk); err != nil {
				fmt.Fprintf(e.stderr, "badge did web: %v\n", err)
				return exitRejected
			}
		}
		if *out == "" || *out == "-" {
			e.stdout.Write(data)
		} else if err := writeOutput(e.path(*out), data, false); err != nil {
			fmt.Fprintf(e.stderr, "badge did web: %v\n", err)
			return exitRejected
		}
		fmt.Fprintf(e.stderr, "badge did web: %s: publish did.json at %s\n", id, url)
		return exitOK
	})
	return cmd
}

// webDID is the did:web DID of a site's host (with an optional :port) and
// path below it ("issuers/1"), checked as resolvers check it.
func webDID(host, path string) (string, error) {
	if strings.Contains(host, "/") || strings.Contains(host, "://") {
		return "", fmt.Errorf("--host %q: give the host name alone, e.g. example.edu", host)
	}
	id := "did:web:"
	if h, port, err := net.SplitHostPort(host); err == nil {
		id += strings.ToLower(h) + "%3A" + port
	} else {
		id += strings.ToLower(host)
	}
	if p := strings.Trim(path, "/"); p != "" {
		if p == ".well-known" {
			return "", fmt.Errorf("--path: leave it out for /.well-known/did.json")
		}
		id += ":" + strings.ReplaceAll(p, "/", ":")
	}
	if _, err := did.WebURL(id); err != nil {
		return "", fmt.Errorf("--host %q --path %q: %w", host, path, err)
	}
	return id, nil
}

// webDocument is the DID document of id with k's public key as its one
// verification method, #key-1, for assertions and authentication.
func webDocument(id string, k *keys.Key) (*did.Document, error) {
	vm := did.VerificationMethod{ID: id + "#key-1", Controller: id}
	ctx := []string{did.ContextDIDv1, did.ContextMultikey}
	if mb, err := did.EncodePublicKey(k.Public); err == nil {
		vm.Type, vm.PublicKeyMultibase = did.TypeMultikey, mb
	} else {
		jwk, err := did.JWKFromPublicKey(k.Public)
		if err != nil {
			return nil, err
		}
		vm.Type, vm.PublicKeyJWK = did.TypeJSONWebKey, jwk
		ctx = []string{did.ContextDIDv1, did.ContextJWS2020}
	}
	c, err := json.Marshal(ctx)
	if err != nil {
		return nil, err
	}
	ref := []did.MethodRef{{ID: vm.ID}}
	doc := &did.Document{Context: c, ID: id, VerificationMethods: []did.VerificationMethod{vm},
		AssertionMethod: ref, Authentication: ref}
	// What a resolver would read back: the document must parse and its key
	// be usable for both relationships.
	data, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	parsed, err := did.ParseDocument(data)
	if err != nil {
		return nil, err
	}
	for _, rel := range []did.Relationship{did.AssertionMethod, did.Authentication} {
		if _, err := parsed.VerificationMethod(vm.ID, rel); err != nil {
			return nil, err
		}
	}
	return doc, nil
}
