package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func runValidateWith(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{args: append([]string{"validate"}, args...), stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, dir: t.TempDir()}
	return run(context.Background(), e), out.String(), errb.String()
}

func TestValidateExitCodes(t *testing.T) {
	const valid = `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],
		"issuer":"did:example:issuer","credentialSubject":{"id":"did:example:1","name":"x"}}`
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
	}{
		{"valid", valid, nil, exitOK},
		{"valid from -", valid, []string{"-"}, exitOK},
		{"invalid", `{"type":["VerifiableCredential"]}`, nil, exitRejected},
		{"malformed", `{"type":`, nil, exitUsage},
		{"not an object", `[]`, nil, exitUsage},
		{"unknown flag", valid, []string{"--frob"}, exitUsage},
		{"two files", valid, []string{"a", "b"}, exitUsage},
		{"missing file", valid, []string{"does-not-exist.json"}, exitUsage},
	}
	for _, tt := range tests {
		code, stdout, stderr := runValidateWith(t, tt.stdin, tt.args...)
		if code != tt.code {
			t.Errorf("%s: exit %d, want %d\nstdout: %s\nstderr: %s", tt.name, code, tt.code, stdout, stderr)
		}
	}
}

func TestValidateJSONOutput(t *testing.T) {
	code, stdout, _ := runValidateWith(t, `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"VerifiableCredential","credentialSubject":{}}`, "--json")
	if code != exitRejected {
		t.Fatalf("exit %d", code)
	}
	var report struct {
		Valid    bool `json:"valid"`
		Problems []struct {
			Path, Rule, Message, Severity string
		} `json:"problems"`
	}
	if err := json.Unmarshal([]byte(stdout), &report); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, stdout)
	}
	if report.Valid || len(report.Problems) != 2 {
		t.Fatalf("report: %+v", report)
	}
	for _, p := range report.Problems {
		if p.Severity != "error" || p.Path == "" || p.Rule == "" || p.Message == "" {
			t.Errorf("incomplete problem %+v", p)
		}
	}
	code, stdout, _ = runValidateWith(t, `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"VerifiableCredential","issuer":"did:x","credentialSubject":{"a":1}}`, "--json")
	if code != exitOK || !strings.Contains(stdout, `"problems": []`) {
		t.Errorf("valid: exit %d, %s", code, stdout)
	}
}
