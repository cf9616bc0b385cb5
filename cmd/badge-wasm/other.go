//go:build !(js && wasm)

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/microcred/openbadges/web/check"
)

// main, outside the browser, prints the JSON that verify() gives the page
// for the credential in FILE (or standard input): what the page will show,
// for debugging it. In the browser, main.go's main runs instead.
func main() {
	var data []byte
	var err error
	switch len(os.Args) {
	case 1:
		data, err = io.ReadAll(io.LimitReader(os.Stdin, check.MaxInputBytes+1))
	case 2:
		data, err = os.ReadFile(os.Args[1])
	default:
		err = fmt.Errorf("usage: badge-wasm [FILE] (build for the browser with GOOS=js GOARCH=wasm, or go generate ./web)")
	}
	if err == nil {
		var rep *check.Report
		if rep, err = check.Verify(context.Background(), data, check.Options{}); err == nil {
			enc := json.NewEncoder(os.Stdout)
			enc.SetIndent("", "  ")
			err = enc.Encode(rep)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "badge-wasm:", err)
		os.Exit(2)
	}
}
