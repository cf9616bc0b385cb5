package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/vcapi"
)

// serveConfig is the --config file of badge serve.
type serveConfig struct {
	Issuers   []serveIssuer     `json:"issuers"`
	StatusDir string            `json:"statusDir"`
	DB        string            `json:"db"` // --db`
	BaseURL   string            `json:"baseURL"`
	Contexts  map[string]string `json:"contexts"` // URL → file
	// AdoptIssuer is --adopt-issuer.
	AdoptIssuer bool `json:"adoptIssuer"`
}

// serveIssuer is one issuer of the --config file.
type serveIssuer struct {
	Name           string   `json:"name"`
	Key            string   `json:"key"`
	Suite          string   `json:"suite"`
	StatusPurposes []string `json:"statusPurposes"`
}

// maxServeConfig bounds the --config file.
const maxServeConfig = 1 << 20

// readServeConfig reads the --config file strictly (unknown members are
// refused, so that a misspelt option is not silently ignored) and makes its
// relative paths relative to the file's directory.
func readServeConfig(e *env, name string) (*serveConfig, error) {
	b, err := readFileLimited(e.path(name), name, maxServeConfig)
	if err != nil {
		return nil, err
	}
	var sc serveConfig
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sc); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%s: data after the JSON object", name)
	}
	if len(sc.Issuers) == 0 {
		return nil, fmt.Errorf("%s: no issuers", name)
	}
	dir := filepath.Dir(e.path(name))
	rel := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
	sc.StatusDir = rel(sc.StatusDir)
	if p, ok := strings.CutPrefix(sc.DB, "sqlite:"); ok {
		sc.DB = "sqlite:" + rel(p)
	}
	for i := range sc.Issuers {
		if sc.Issuers[i].Key == "" {
			return nil, fmt.Errorf("%s: issuer %q has no key", name, sc.Issuers[i].Name)
		}
		sc.Issuers[i].Key = rel(sc.Issuers[i].Key)
	}
	for u, file := range sc.Contexts {
		sc.Contexts[u] = rel(file)
	}
	return &sc, nil
}

// loadIssuer reads an issuer's key file.
func loadIssuer(e *env, si serveIssuer) (vcapi.IssuerConfig, error) {
	k, err := readKeyFile(e, si.Key)
	if err != nil {
		return vcapi.IssuerConfig{}, err
	}
	return vcapi.IssuerConfig{
		Name: si.Name, Signer: k.Signer, VerificationMethod: k.VerificationMethod, Controller: k.DID,
		Suite: dataintegrity.SuiteName(si.Suite), StatusPurposes: si.StatusPurposes,
	}, nil
}
