package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the testscript transcripts in testdata/script run "badge" as
// a real command built from this package.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"badge": func() {
			e := &env{args: os.Args[1:], stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}
			os.Exit(run(context.Background(), e))
		},
	})
}

// TestScripts runs every transcript in testdata/script. Each file is a
// testscript: commands, expected exit status, and golden stdout/stderr.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(e *testscript.Env) error {
			// Shared reference material, when present, for scripts that use it.
			e.Setenv("SHARED", sharedDir())
			// The fixtures several packages' tests share (/testdata).
			testdata, err := filepath.Abs(filepath.Join("..", "..", "testdata"))
			if err != nil {
				return err
			}
			e.Setenv("TESTDATA", testdata)
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			// observe and obconnect: the Open Badges API scripts'
			// server and learner (ob_script_test.go).
			"observe":   cmdObserve,
			"obconnect": cmdOBConnect,
			// exits N COMMAND [ARGS...] runs COMMAND as exec does and
			// requires exit status N (exec and ! exec tell only zero from
			// non-zero).
			"exits": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) < 2 {
					ts.Fatalf("usage: exits N COMMAND [ARGS...]")
				}
				want, err := strconv.Atoi(args[0])
				if err != nil {
					ts.Fatalf("exits: %v", err)
				}
				got := 0
				if err := ts.Exec(args[1], args[2:]...); err != nil {
					var ee *exec.ExitError
					if !errors.As(err, &ee) {
						ts.Fatalf("exits: %v", err)
					}
					got = ee.ExitCode()
				}
				if got != want {
					ts.Fatalf("exit status %d, want %d", got, want)
				}
			},
		},
		// [shared] holds when ../shared/reference is beside the checkout;
		// scripts that read it start with "[!shared] skip".
		Condition: func(cond string) (bool, error) {
			if cond == "shared" {
				d := sharedDir()
				if d == "" {
					return false, nil
				}
				_, err := os.Stat(d + "/reference")
				return err == nil, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
	})
}

func sharedDir() string {
	for _, p := range []string{"../../../shared", "../../shared"} {
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			abs, _ := os.Getwd()
			return abs + "/" + p
		}
	}
	return ""
}
