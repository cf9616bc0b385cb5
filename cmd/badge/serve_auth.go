package main

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/microcred/openbadges/vcapi"
)

// defaultServeRate is --rate's default: far above what a person or a
// test suite sends, far below what one client would need to hog the
// server.
const defaultServeRate = "100/s"

// parseRate reads --rate: N, N/s, N/m or N/h requests per client; 0 is
// no limit.
func parseRate(spec, clientIPHeader string) (vcapi.RateLimit, error) {
	num, unit, slash := strings.Cut(spec, "/")
	if !slash {
		unit = "s"
	}
	n, err := strconv.ParseFloat(num, 64)
	per := map[string]float64{"s": 1, "m": 60, "h": 3600}[unit]
	if err != nil || n < 0 || per == 0 || math.IsNaN(n) || math.IsInf(n, 0) {
		return vcapi.RateLimit{}, fmt.Errorf("--rate %q: want N, N/s, N/m or N/h (0 for no limit)", spec)
	}
	rl := vcapi.RateLimit{PerSecond: n / per}
	if clientIPHeader != "" {
		rl.ClientKey = vcapi.ClientFromHeader(clientIPHeader)
	}
	return rl, nil
}

// readTokenFile reads --auth-tokens, and returns its bytes too (for
// watchTokenFile).
func readTokenFile(e *env, name string) (*vcapi.Tokens, []byte, error) {
	data, err := readFileLimited(e.path(name), name, maxTokenFileRead)
	if err != nil {
		return nil, nil, fmt.Errorf("--auth-tokens: %w", err)
	}
	ts, err := vcapi.ReadTokens(bytes.NewReader(data))
	if err != nil {
		return nil, nil, fmt.Errorf("--auth-tokens %s: %w", name, err)
	}
	if ts.Len() == 0 {
		return nil, nil, fmt.Errorf("--auth-tokens %s: no tokens (add one with \"badge serve token add\")", name)
	}
	return ts, data, nil
}

func init() {
	register("serve", func(e *env) *cobra.Command {
		return groupCmd(e, "token", "manage the bearer tokens of badge serve --auth-tokens",
			`Manages the bearer tokens that may issue, change a status and publish a
status list on "badge serve --auth-tokens FILE".`)
	})
	register("serve token", newServeTokenAddCmd)
}

func newServeTokenAddCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "add --name LABEL --file FILE [--issuer NAME]",
		Short: "make a bearer token for badge serve --auth-tokens",
		Long: `Makes a bearer token for "badge serve --auth-tokens FILE": appends its
SHA-256 to FILE (created, readable by its owner only, if absent) and prints
the token on standard output, once: keep it, it is not stored anywhere.
Clients send it as "Authorization: Bearer TOKEN" to issue, change a status
and publish a status list of the issuer NAME. To revoke a token, delete its
line from FILE: a running server reads the file again within seconds of a
change, or at once on SIGHUP.`,
		Annotations: map[string]string{annotationExit: "0 made, 2 usage error or unwritable file"},
		Args:        maxArgs(0, ""),
	}
	fs := cmd.Flags()
	issuer := fs.String("issuer", "", "the issuer the token acts for: the `NAME` of an issuer of --config, \"\" for the --key issuer (the default), or \"*\" for every issuer")
	name := fs.String("name", "", "what the token is for (\"registrar\"), for the operator: a `LABEL`")
	file := fs.String("file", "", "the token `FILE` of --auth-tokens")
	cmd.RunE = runInt(func(cmd *cobra.Command, _ []string) int {
		usageErr := usageErrFunc(e, cmd)
		switch {
		case *file == "":
			return usageErr("--file is required")
		case *name == "":
			return usageErr("--name is required")
		}
		secret, tok, err := vcapi.NewToken(*name, *issuer)
		if err != nil {
			return usageErr("%v", err)
		}
		failed := func(err error) int {
			fmt.Fprintf(e.stderr, "badge serve token add: %v\n", err)
			return exitUsage
		}
		f, err := os.OpenFile(e.path(*file), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			return failed(err)
		}
		if _, err := f.Write(tok.MarshalLine()); err != nil {
			f.Close()
			return failed(err)
		}
		if err := f.Close(); err != nil {
			return failed(err)
		}
		fmt.Fprintln(e.stdout, secret)
		who := fmt.Sprintf("issuer %q", *issuer)
		if *issuer == vcapi.AnyIssuer {
			who = "every issuer"
		}
		fmt.Fprintf(e.stderr, "badge serve token add: token %q for %s added to %s; it is printed once, above\n", *name, who, *file)
		return exitOK
	})
	return cmd
}

// serveLogger is the request log of --log-format.
func serveLogger(w io.Writer, format string) (*slog.Logger, error) {
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	}
	return nil, fmt.Errorf("--log-format %q: want text or json", format)
}
