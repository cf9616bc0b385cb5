package main

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/microcred/openbadges/internal/obtest"
)

// The testscript commands of the Open Badges API scripts
// (testdata/script/ob*.txtar), registered in TestScripts:
//
//	observe ARGS...          start "badge serve ARGS... --addr 127.0.0.1:0"
//	                         in the background for the rest of the script and
//	                         set $OBURL to its URL
//	obconnect USER PASSWORD [--deny] [--state S] ARGS...
//	                         run "badge ob connect ARGS..." and play the
//	                         learner in the browser: sign in as USER, answer
//	                         the consent page (allow, or deny with --deny),
//	                         and deliver the redirect to the command's
//	                         loopback listener (with state S instead of the
//	                         real one with --state); its output becomes the
//	                         script's stdout and stderr

// lockedWriter is a buffer safe for a command's goroutine and the script.
type lockedWriter = lockedBuffer

func cmdObserve(ts *testscript.TestScript, neg bool, args []string) {
	ctx, cancel := context.WithCancel(context.Background())
	stderr := &lockedWriter{}
	e := &env{args: append(append([]string{"serve"}, args...), "--addr", "127.0.0.1:0"), stdin: strings.NewReader(""),
		stdout: &lockedWriter{}, stderr: stderr, dir: ts.Getenv("WORK")}
	done := make(chan int, 1)
	go func() { done <- run(ctx, e) }()
	ts.Defer(func() { cancel(); <-done })
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if m := listeningRE.FindStringSubmatch(stderr.String()); m != nil {
			ts.Setenv("OBURL", m[1])
			return
		}
		select {
		case code := <-done:
			done <- code
			ts.Fatalf("badge serve exited with %d:\n%s", code, stderr)
		case <-time.After(20 * time.Millisecond):
		}
	}
	ts.Fatalf("badge serve did not start:\n%s", stderr)
}

var authURLRE = regexp.MustCompile(`(?m)^  (http\S+/oauth/authorize\S+)$`)

func cmdOBConnect(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 2 {
		ts.Fatalf("usage: obconnect USER PASSWORD [--deny] [--state S] ARGS...")
	}
	learner := obtest.NewLearner(args[0], args[1], nil)
	args = args[2:]
	forged := ""
	for len(args) > 0 && strings.HasPrefix(args[0], "--") {
		switch {
		case args[0] == "--deny":
			learner.Deny = true
			args = args[1:]
		case args[0] == "--state" && len(args) > 1:
			forged = args[1]
			args = args[2:]
		default:
			goto run
		}
	}
run:
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	stdout, stderr := &lockedWriter{}, &lockedWriter{}
	e := &env{args: append([]string{"ob", "connect"}, args...), stdin: strings.NewReader(""), stdout: stdout, stderr: stderr, dir: ts.Getenv("WORK")}
	done := make(chan int, 1)
	go func() { done <- run(ctx, e) }()
	var code int
	finished := false
	for !finished {
		select {
		case code = <-done:
			finished = true
			continue
		case <-time.After(20 * time.Millisecond):
		}
		m := authURLRE.FindStringSubmatch(stderr.String())
		if m == nil {
			continue
		}
		back, err := learner.Authorize(ctx, m[1])
		if err != nil {
			cancel()
			<-done
			ts.Fatalf("the learner could not answer: %v\n%s", err, stderr)
		}
		if forged != "" {
			q := back.Query()
			q.Set("state", forged)
			back.RawQuery = q.Encode()
		}
		if resp, err := http.Get(back.String()); err == nil {
			resp.Body.Close()
		}
		code = <-done
		finished = true
	}
	fmt.Fprint(ts.Stdout(), stdout.String())
	fmt.Fprint(ts.Stderr(), stderr.String())
	if (code != 0) != neg {
		ts.Fatalf("badge ob connect exited with %d", code)
	}
}
