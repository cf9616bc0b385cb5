package main

import (
	"context"
	"regexp"
	"strings"
	"testing"
)

func TestBench(t *testing.T) {
	code, stdout, stderr := invokeBadge(t, "", "bench", "--n", "3")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	for _, name := range []string{"issue", "verify"} {
		re := regexp.MustCompile(`(?m)^` + name + ` +[0-9]+\.[0-9] µs/op +[0-9,]+ ops/s$`)
		if !re.MatchString(stdout) {
			t.Errorf("no %s line in:\n%s", name, stdout)
		}
	}
	if !strings.Contains(stdout, "n=3") || !strings.Contains(stdout, "eddsa-rdfc-2022") {
		t.Errorf("header missing:\n%s", stdout)
	}
}

func TestBenchUsage(t *testing.T) {
	for _, args := range [][]string{{"--n", "0"}, {"--n", "-5"}, {"--n", "x"}, {"extra"}, {"--bogus"}} {
		code, _, stderr := invokeBadge(t, "", append([]string{"bench"}, args...)...)
		if code != exitUsage || !strings.HasSuffix(stderr, "; see \"badge bench --help\"\n") {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
	if code, stdout, _ := invokeBadge(t, "", "bench", "-h"); code != exitOK || !strings.Contains(stdout, "usage: badge bench") {
		t.Errorf("-h: exit %d", code)
	}
}

func TestBenchCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := benchmark(ctx, 1); err == nil {
		t.Fatal("a cancelled benchmark succeeded")
	}
}

func TestGroupDigits(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567"} {
		if got := groupDigits(n); got != want {
			t.Errorf("%d: %q, want %q", n, got, want)
		}
	}
}
