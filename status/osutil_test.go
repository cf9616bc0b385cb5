package status_test

import (
	"os"
	"path/filepath"
)

func globJSON(dir string) ([]string, error) { return filepath.Glob(filepath.Join(dir, "*.json")) }
func readFile(name string) ([]byte, error)  { return os.ReadFile(name) }
func writeFile(name string, b []byte) error { return os.WriteFile(name, b, 0o600) }
func removeFile(name string) error          { return os.Remove(name) }
