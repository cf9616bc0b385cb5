package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/microcred/openbadges/bake"
	"github.com/microcred/openbadges/vcjwt"
)

// readInput reads the named file, or standard input for "-" or no name. A
// relative path is taken from e.dir when set.
func readInput(e *env, args []string) ([]byte, error) {
	if len(args) > 1 {
		return nil, fmt.Errorf("at most one input file")
	}
	if len(args) == 0 || args[0] == "-" {
		b, err := io.ReadAll(io.LimitReader(e.stdin, maxInput+1))
		if err == nil && len(b) > maxInput {
			return nil, fmt.Errorf("standard input: larger than %d bytes", maxInput)
		}
		return b, err
	}
	f, err := os.Open(e.path(args[0]))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxInput+1))
	if err == nil && len(b) > maxInput {
		return nil, fmt.Errorf("%s: larger than %d bytes", args[0], maxInput)
	}
	return b, err
}

// maxInput bounds what any command reads from a file or stdin.
const maxInput = 16 << 20

func (e *env) path(p string) string {
	if e.dir == "" || strings.HasPrefix(p, "/") {
		return p
	}
	return e.dir + "/" + p
}

// errUsage marks an error that is the caller's mistake: exit status 2.
var errUsage = errors.New("usage error")

// credentialJSON returns the JSON credential data holds: data itself, the
// credential baked into a PNG or SVG image, or the credential a VC-JWT
// carries (not verified: for the commands that only look at it).
func credentialJSON(data []byte) ([]byte, error) {
	if bake.IsImage(data) {
		b, err := bake.Unbake(data)
		if err != nil {
			return nil, err
		}
		data = b.Credential
	}
	if tok := bytes.TrimSpace(data); vcjwt.IsCompactJWS(tok) {
		return vcjwt.UnverifiedCredential(tok)
	}
	return data, nil
}
