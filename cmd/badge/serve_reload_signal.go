//go:build !js

package main

import (
	"os"
	"syscall"
)

// reloadSignals make badge serve read its --auth-tokens file again.
var reloadSignals = []os.Signal{syscall.SIGHUP}
