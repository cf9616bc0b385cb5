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
		return readLimited(e.stdin, "standard input", maxInput)
	}
	return readFileLimited(e.path(args[0]), args[0], maxInput)
}

// readLimited reads r to its end, and refuses more than limit bytes; name
// says what r is in the error.
func readLimited(r io.Reader, name string, limit int) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if err != nil {
		return nil, err
	}
	if len(b) > limit {
		return nil, fmt.Errorf("%s: larger than %d bytes", name, limit)
	}
	return b, nil
}

// readFileLimited is readLimited of the file at path.
func readFileLimited(path, name string, limit int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readLimited(f, name, limit)
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
