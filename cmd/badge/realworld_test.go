package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/internal/realworld"
	"github.com/microcred/openbadges/verifier"
)

// The credentials of testdata/realworld (see internal/realworld), verified
// by the CLI: badge verify in-process with the pins each one needs, and
// badge serve on loopback, in strict and lenient mode, against the
// expectations of INDEX.json.

func realworldName(file string) string { return strings.TrimSuffix(filepath.Base(file), ".json") }

func modeLabel(lenient bool) string {
	if lenient {
		return "lenient"
	}
	return "strict"
}

// runBadgeCmd runs the badge command in-process.
func runBadgeCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{args: args, stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, dir: t.TempDir()}
	code = run(context.Background(), e)
	return code, out.String(), errOut.String()
}

func TestRealWorldVerify(t *testing.T) {
	dir, idx := realworld.Load(t)
	for _, e := range idx.Credentials {
		t.Run(realworldName(e.File), func(t *testing.T) {
			realworld.SkipPending(t, e.File)
			for _, lenient := range []bool{false, true} {
				t.Run(modeLabel(lenient), func(t *testing.T) {
					want := e.Mode(lenient)
					wantCode := exitRejected
					if want.Verified {
						wantCode = exitOK
					}
					args := []string{"verify", "--now", idx.Now}
					if lenient {
						args = append(args, "--lenient")
					}
					args = append(append(args, e.Pins(dir)...), filepath.Join(dir, e.File))
					label := e.File + " " + modeLabel(lenient)

					code, out, errOut := runBadgeCmd(t, append([]string{args[0], "--json"}, args[1:]...)...)
					var r verifier.Result
					require.NoError(t, json.Unmarshal([]byte(out), &r), "%s: --json output\n%s", label, out)
					if malformed(&r) {
						wantCode = exitUsage // not a credential at all
					}
					require.Equal(t, wantCode, code, "%s: exit code\nstdout: %s\nstderr: %s", label, out, errOut)
					realworld.AssertOutcome(t, want, realworld.OutcomeOf(&r), label)

					// The report for people exits the same way.
					code, out, errOut = runBadgeCmd(t, args...)
					assert.Equal(t, wantCode, code, "%s: exit code without --json\nstdout: %s\nstderr: %s", label, out, errOut)
				})
			}
		})
	}
}

// servePins returns the pins of every credential of the set as badge serve
// flags: one server verifies them all.
func servePins(dir string, idx *realworld.Index) []string {
	var args []string
	seen := map[string]bool{}
	for _, e := range idx.Credentials {
		pins := e.Pins(dir)
		for i := 0; i+1 < len(pins); i += 2 {
			if k := pins[i] + " " + pins[i+1]; !seen[k] {
				seen[k] = true
				args = append(args, pins[i], pins[i+1])
			}
		}
	}
	return args
}

// verifyResponse is what the tests read of a POST /credentials/verify
// response (200 or 400).
type verifyResponse struct {
	Verified   bool                     `json:"verified"`
	Authentic  bool                     `json:"authentic"`
	Conformant bool                     `json:"conformant"`
	Errors     []verifier.ProblemDetail `json:"errors"`
	Warnings   []verifier.ProblemDetail `json:"warnings"`
}

// outcome is the response in the terms of INDEX.json. The VC API response
// does not list the endorsements, so VerifiedEndorsements is not compared.
func (v verifyResponse) outcome() realworld.Outcome {
	r := &verifier.Result{Verified: v.Verified, Authentic: v.Authentic, Conformant: v.Conformant, Errors: v.Errors, Warnings: v.Warnings}
	return realworld.OutcomeOf(r)
}

// postVerify posts a credential to /credentials/verify with options (none
// if nil).
func postVerify(t *testing.T, url string, vc json.RawMessage, options map[string]any) (int, verifyResponse, string) {
	t.Helper()
	req := map[string]any{"verifiableCredential": vc}
	if options != nil {
		req["options"] = options
	}
	b, err := json.Marshal(req)
	require.NoError(t, err)
	resp, err := http.Post(url+"/credentials/verify", "application/json", bytes.NewReader(b))
	require.NoError(t, err)
	defer resp.Body.Close()
	var raw bytes.Buffer
	_, err = raw.ReadFrom(resp.Body)
	require.NoError(t, err)
	var out verifyResponse
	require.NoError(t, json.Unmarshal(raw.Bytes(), &out), raw.String())
	return resp.StatusCode, out, raw.String()
}

// TestRealWorldServe runs badge serve with the pins of the whole set, once
// strict by default and once with --lenient, and posts each credential
// without options.lenient (the server's default) and with it true and
// false.
func TestRealWorldServe(t *testing.T) {
	dir, idx := realworld.Load(t)
	now, err := time.Parse(time.RFC3339, idx.Now)
	require.NoError(t, err)
	if time.Now().Before(now) {
		// badge serve judges dates by the wall clock; the set's
		// expectations hold from idx.Now on.
		t.Skipf("the wall clock is before %s, the verification time of testdata/realworld", idx.Now)
	}
	creds := map[string]json.RawMessage{}
	for _, e := range idx.Credentials {
		b, err := os.ReadFile(filepath.Join(dir, e.File))
		require.NoError(t, err)
		creds[e.File] = b
	}
	tmp := t.TempDir()
	writeKey(t, tmp, "issuer.jwk")
	for _, serverLenient := range []bool{false, true} {
		t.Run("default "+modeLabel(serverLenient), func(t *testing.T) {
			args := append([]string{"--key", "issuer.jwk", "--addr", "127.0.0.1:0"}, servePins(dir, idx)...)
			if serverLenient {
				args = append(args, "--lenient")
			}
			url, stderr, stop := startServe(t, tmp, args...)
			for _, e := range idx.Credentials {
				t.Run(realworldName(e.File), func(t *testing.T) {
					realworld.SkipPending(t, e.File)
					for _, opt := range []*bool{nil, new(false), new(true)} {
						lenient, options := serverLenient, map[string]any(nil)
						if opt != nil {
							lenient, options = *opt, map[string]any{"lenient": *opt}
						}
						label := e.File + " " + modeLabel(lenient)
						if opt == nil {
							label += " (server default)"
						}
						want := e.Mode(lenient)
						code, resp, raw := postVerify(t, url, creds[e.File], options)
						wantCode := http.StatusBadRequest
						if want.Verified {
							wantCode = http.StatusOK
						}
						assert.Equal(t, wantCode, code, "%s: HTTP status\n%s", label, raw)
						got := resp.outcome()
						want.VerifiedEndorsements = nil
						realworld.AssertOutcome(t, want, got, label)
					}
				})
			}
			assert.Equal(t, exitOK, stop(), stderr.String())
			// The server reports nothing it could not do: no request
			// failed for a reason of its own.
			assert.False(t, slices.ContainsFunc(strings.Split(stderr.String(), "\n"), func(l string) bool {
				return strings.Contains(l, "status=500")
			}), stderr.String())
		})
	}
}
