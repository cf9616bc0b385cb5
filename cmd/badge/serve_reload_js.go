//go:build js

package main

import "os"

// reloadSignals: none where the system has no SIGHUP (the file is still
// read again when it changes).
var reloadSignals []os.Signal
