//go:build js && wasm

// Command badge-wasm is the verifier compiled to WebAssembly for the
// browser pages of package web. It sets globalThis.openbadges to:
//
//	verify(bytes: Uint8Array, options?: {network?: boolean, now?: string})
//	    → Promise<string>   the check.Report as JSON; rejects with a message
//	unbake(bytes: Uint8Array) → string   {format, credential, isJWS} or {error}
//	matchIdentity(identityHash, salt, hashed, value) → boolean
//
// then calls globalThis.openbadgesReady() if the page defined it. It runs
// offline: only with options.network does it fetch, through the browser's
// fetch, to resolve did:web DIDs and https keys.
//
// Build it with "go generate ./web" (which writes web/dist/verifier.wasm) or
// GOOS=js GOARCH=wasm go build -o verifier.wasm ./cmd/badge-wasm.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"syscall/js"
	"time"

	"github.com/microcred/openbadges/web/check"
)

func main() {
	api := js.Global().Get("Object").New()
	api.Set("verify", js.FuncOf(verify))
	api.Set("unbake", js.FuncOf(unbake))
	api.Set("matchIdentity", js.FuncOf(matchIdentity))
	js.Global().Set("openbadges", api)
	if ready := js.Global().Get("openbadgesReady"); ready.Type() == js.TypeFunction {
		ready.Invoke()
	}
	select {}
}

// bytesOf copies a Uint8Array into Go memory.
func bytesOf(v js.Value) []byte {
	b := make([]byte, v.Get("length").Int())
	js.CopyBytesToGo(b, v)
	return b
}

// verify returns a Promise of check.Verify's report. With the network it
// runs in a goroutine: a look-up waits on the browser's event loop, which a
// blocking call would hold up.
func verify(_ js.Value, args []js.Value) any {
	if len(args) < 1 {
		return js.Global().Get("Promise").Call("reject", "verify(bytes, options): bytes missing")
	}
	data := bytesOf(args[0])
	var opt check.Options
	if len(args) > 1 && args[1].Type() == js.TypeObject {
		opt.Network = args[1].Get("network").Truthy()
		if now := args[1].Get("now"); now.Type() == js.TypeString {
			opt.Now = now.String()
		}
	}
	if !opt.Network {
		// Offline, nothing waits on the browser: verify now, without the
		// goroutine hop (which costs the event loop's timer delay).
		b, err := verifyJSON(context.Background(), data, opt)
		if err != nil {
			return js.Global().Get("Promise").Call("reject", err.Error())
		}
		return js.Global().Get("Promise").Call("resolve", b)
	}
	opt.Fetch = fetch
	handler := js.FuncOf(func(_ js.Value, p []js.Value) any {
		resolve, reject := p[0], p[1]
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			b, err := verifyJSON(ctx, data, opt)
			if err != nil {
				reject.Invoke(err.Error())
				return
			}
			resolve.Invoke(b)
		}()
		return nil
	})
	p := js.Global().Get("Promise").New(handler)
	handler.Release()
	return p
}

// verifyJSON is check.Verify's report as JSON.
func verifyJSON(ctx context.Context, data []byte, opt check.Options) (string, error) {
	rep, err := check.Verify(ctx, data, opt)
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(rep)
	return string(b), err
}

func unbake(_ js.Value, args []js.Value) any {
	if len(args) < 1 {
		return `{"error":"unbake(bytes): bytes missing"}`
	}
	u, err := check.Unbake(bytesOf(args[0]))
	if err != nil {
		b, _ := json.Marshal(map[string]string{"error": err.Error()})
		return string(b)
	}
	b, _ := json.Marshal(u)
	return string(b)
}

func matchIdentity(_ js.Value, args []js.Value) any {
	if len(args) < 4 {
		return false
	}
	return check.MatchIdentity(args[0].String(), args[1].String(), args[2].Truthy(), args[3].String())
}

// maxFetchBytes bounds what a look-up reads (a DID document or key).
const maxFetchBytes = 256 << 10

// fetch gets url with net/http, which GOOS=js runs on the browser's fetch:
// the page's origin rules apply, and nothing else can be reached.
func fetch(ctx context.Context, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/did+json, application/jwk+json, application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %s", resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxFetchBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxFetchBytes {
		return nil, errors.New("response too large")
	}
	return b, nil
}
