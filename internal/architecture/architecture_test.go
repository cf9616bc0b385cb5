// Package architecture_test keeps ARCHITECTURE.md true: its package table
// must name every package of the module with exactly the module packages it
// imports, in an order where each package comes after everything it imports.
package architecture_test

import (
	"bufio"
	"go/build"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const module = "github.com/microcred/openbadges"

// notInTable are packages the table leaves out, and why.
var notInTable = map[string]string{
	"examples/quickstart":         "an example program, not part of the library",
	"examples/stacking":           "an example program, not part of the library",
	"jsonld/internal/gencontexts": "the generator of jsonld/contexts, run by go generate",
	"internal/architecture":       "this test",
}

// row is one line of the table.
type row struct {
	pkg       string
	deps      []string // the module packages named in "depends on"
	all       bool     // "depends on" says all (the CLI)
	testsOnly bool     // the dependencies are those of its tests
}

func TestArchitectureTableMatchesImports(t *testing.T) {
	root := filepath.Join("..", "..")
	rows := readTable(t, filepath.Join(root, "ARCHITECTURE.md"))
	pkgs := modulePackages(t, root)

	inTable := map[string]bool{}
	for _, r := range rows {
		inTable[r.pkg] = true
	}
	for p := range pkgs {
		if _, skip := notInTable[p]; !skip {
			assert.True(t, inTable[p], "package %s has no row in ARCHITECTURE.md", p)
		}
	}

	seen := map[string]bool{}
	for _, r := range rows {
		imports, ok := pkgs[r.pkg]
		if !assert.True(t, ok, "ARCHITECTURE.md names %s, which is not a package of the module", r.pkg) {
			continue
		}
		want := imports.code
		if r.testsOnly {
			want = imports.tests
		}
		if !r.all {
			assert.Equal(t, want, r.deps, "ARCHITECTURE.md: what %s depends on", r.pkg)
			if !r.testsOnly {
				for _, d := range r.deps {
					assert.True(t, seen[d], "ARCHITECTURE.md: %s imports %s, which is not above it", r.pkg, d)
				}
			}
		}
		seen[r.pkg] = true
	}
}

var backticked = regexp.MustCompile("`([a-z0-9/-]+)`")

// readTable reads the rows of the table under "## Packages".
func readTable(t *testing.T, path string) []row {
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var rows []row
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "## "):
			in = line == "## Packages"
			continue
		case !in || !strings.HasPrefix(line, "| `"):
			continue
		}
		cols := strings.Split(strings.Trim(line, "|"), " | ")
		require.GreaterOrEqual(t, len(cols), 3, "ARCHITECTURE.md: %q", line)
		name := backticked.FindStringSubmatch(cols[0])
		require.NotNil(t, name, "ARCHITECTURE.md: %q", line)
		r := row{pkg: name[1], all: strings.TrimSpace(cols[1]) == "all", testsOnly: strings.Contains(cols[1], "(tests only)")}
		for _, m := range backticked.FindAllStringSubmatch(cols[1], -1) {
			r.deps = append(r.deps, m[1])
		}
		slices.Sort(r.deps)
		r.deps = slices.Compact(r.deps)
		rows = append(rows, r)
	}
	require.NoError(t, sc.Err())
	require.NotEmpty(t, rows, "ARCHITECTURE.md has no package table")
	return rows
}

// imports are a package's imports of other packages of the module.
type imports struct {
	code, tests []string
}

// modulePackages finds every package of the module below root, with its
// imports of other packages of the module.
func modulePackages(t *testing.T, root string) map[string]imports {
	pkgs := map[string]imports{}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if n := d.Name(); path != root && (strings.HasPrefix(n, ".") || n == "testdata" || n == "node_modules") {
			return filepath.SkipDir
		}
		p, err := build.ImportDir(path, 0)
		if err != nil {
			if _, none := err.(*build.NoGoError); none {
				return nil
			}
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		pkgs[rel] = imports{code: local(p.Imports, rel), tests: local(append(slices.Clone(p.TestImports), p.XTestImports...), rel)}
		return nil
	})
	require.NoError(t, err)
	return pkgs
}

// local keeps the imports of packages of the module other than self, as
// paths relative to the module, sorted.
func local(paths []string, self string) []string {
	var out []string
	for _, p := range paths {
		if rel, ok := strings.CutPrefix(p, module+"/"); ok && rel != self {
			out = append(out, rel)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
