package main

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"os/signal"
	"time"

	"github.com/microcred/openbadges/vcapi"
)

// tokenFilePoll is how often badge serve reads its --auth-tokens file
// for changes.
const tokenFilePoll = 2 * time.Second

// maxTokenFileRead bounds the token file; a larger one is refused.
const maxTokenFileRead = 1 << 20

// watchTokenFile keeps ts what the token file at path says, until ctx
// ends: the file is read again every tokenFilePoll and at once on SIGHUP
// (where the system has it), and its tokens replace ts's when its bytes
// changed. Both, because operators revoke a token in two ways: by editing
// the file and sending SIGHUP, the Unix convention for "read your
// configuration again"; or by updating a secret that an orchestrator
// mounts as a file (Kubernetes swaps the file, and sends no signal).
//
// A file that cannot be read or is not a valid token file (an edit half
// written, a typo) leaves the server accepting no token at all, with an
// error in the log, until it is valid again: a server that kept accepting
// the tokens of the last good file could keep honouring the very token its
// operator meant to remove. An empty file is valid, and revokes every
// token. Verifying is never affected.
func watchTokenFile(ctx context.Context, path string, ts *vcapi.Tokens, log *slog.Logger, last []byte) {
	hup := make(chan os.Signal, 1)
	if len(reloadSignals) > 0 {
		signal.Notify(hup, reloadSignals...)
		defer signal.Stop(hup)
	}
	tick := time.NewTicker(tokenFilePoll)
	defer tick.Stop()
	broken := false
	for {
		signalled := false
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-hup:
			signalled = true
		}
		data, err := readFileLimited(path, path, maxTokenFileRead)
		if err == nil && !signalled && !broken && bytes.Equal(data, last) {
			continue
		}
		var next *vcapi.Tokens
		if err == nil {
			next, err = vcapi.ReadTokens(bytes.NewReader(data))
		}
		if err != nil {
			ts.Replace(nil)
			if !broken || signalled {
				log.Error("auth tokens: the token file is unusable: no token is accepted until it is fixed", "file", path, "err", err)
			}
			broken = true
			continue
		}
		ts.Replace(next)
		if broken || signalled || !bytes.Equal(data, last) {
			log.Info("auth tokens: the token file was read again", "file", path, "tokens", next.Len())
		}
		last, broken = data, false
	}
}
