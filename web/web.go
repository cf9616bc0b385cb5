// Package web is the browser side of openbadges: the verifier page (HTML,
// CSS and a little JavaScript, embedded with go:embed) that runs the
// js/wasm build of the verifier (cmd/badge-wasm) in the viewer's browser,
// the page per badge that "badge page" writes, and the printable
// transcript of "badge transcript".
//
// The WebAssembly runtime — verifier.wasm and Go's wasm_exec.js — is not
// checked in: "go generate ./web" builds it into web/dist, where go:embed
// picks it up for the binaries built after it; a Runtime from another
// directory (BuildRuntime, or "badge serve --wasm DIR") can be used
// instead. Pages load nothing from third parties: no framework, no CDN, no
// remote images.
package web

//go:generate sh gen.sh

import (
	"bytes"
	"compress/gzip"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"sync"
)

//go:embed assets
var assets embed.FS

//go:embed all:dist
var dist embed.FS

// The runtime's files.
const (
	WasmFile     = "verifier.wasm"
	WasmExecFile = "wasm_exec.js"
)

// ErrNoRuntime: the runtime (verifier.wasm and wasm_exec.js) is not there:
// the binary was built before "go generate ./web".
var ErrNoRuntime = errors.New("web: the verifier's WebAssembly is not built into this binary: run \"go generate ./web\" and build again, or give a directory holding verifier.wasm and wasm_exec.js")

// ContentSecurityPolicy is sent with the pages (and written into the
// pages as a meta element): scripts only from the page's own origin (and
// WebAssembly compilation), images only from the page itself (data: and
// the dropped file), fetches anywhere (a #credential= URL, and did:web
// look-ups when the viewer asks).
const ContentSecurityPolicy = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; connect-src *; form-action 'none'; base-uri 'none'; frame-ancestors 'none'"

// Runtime is the directory that holds verifier.wasm and wasm_exec.js.
type Runtime fs.FS

// EmbeddedRuntime returns the runtime built into this binary by
// "go generate ./web", or ErrNoRuntime.
func EmbeddedRuntime() (Runtime, error) {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		return nil, err
	}
	return sub, CheckRuntime(sub)
}

// CheckRuntime reports whether rt holds both runtime files.
func CheckRuntime(rt Runtime) error {
	for _, f := range []string{WasmFile, WasmExecFile} {
		if _, err := fs.Stat(rt, f); err != nil {
			return fmt.Errorf("%w (%s: %v)", ErrNoRuntime, f, err)
		}
	}
	return nil
}

// BuildRuntime builds the runtime into dir with the go command: the js/wasm
// verifier (cmd/badge-wasm, from the module at moduleDir) and a copy of the
// toolchain's lib/wasm/wasm_exec.js, which must match the Go that built
// the .wasm. It is what gen.sh does; tests use it.
func BuildRuntime(moduleDir, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join(dir, WasmFile), "./cmd/badge-wasm")
	build.Dir = moduleDir
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("building %s: %v\n%s", WasmFile, err, out)
	}
	root, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return fmt.Errorf("go env GOROOT: %v", err)
	}
	js, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(root)), "lib", "wasm", WasmExecFile))
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, WasmExecFile), js, 0o644)
}

// pageData fills index.html.
type pageData struct {
	Title, Heading string
	Mode           string // "verifier" or "badge"
	CredentialSrc  string // on a page per badge: the credential's file
}

var (
	pageTmpl = template.Must(template.ParseFS(assets, "assets/index.html"))
	// staticFiles are served and written as they are.
	staticFiles = []string{"app.js", "style.css"}
)

func renderPage(d pageData) ([]byte, error) {
	var b bytes.Buffer
	if err := pageTmpl.Execute(&b, d); err != nil {
		return nil, err
	}
	// The policy also travels with the files, for static hosts.
	return bytes.Replace(b.Bytes(), []byte(`<meta name="referrer"`),
		[]byte(`<meta http-equiv="Content-Security-Policy" content="`+template.HTMLEscapeString(ContentSecurityPolicy)+`">`+"\n"+`<meta name="referrer"`), 1), nil
}

var verifierPage = pageData{Title: "Verify an Open Badge", Heading: "Verify an Open Badge", Mode: "verifier"}

// Handler serves the verifier page at / (with its script, style sheet and
// runtime beside it) and passes every other request to next (a 404 when
// next is nil). verifier.wasm is sent gzip-compressed to browsers that
// accept it.
func Handler(rt Runtime, next http.Handler) (http.Handler, error) {
	if err := CheckRuntime(rt); err != nil {
		return nil, err
	}
	index, err := renderPage(verifierPage)
	if err != nil {
		return nil, err
	}
	if next == nil {
		next = http.NotFoundHandler()
	}
	h := &handler{rt: rt, index: index, next: next}
	go h.gzOnce.Do(h.compress) // ready before the first browser asks, usually
	return h, nil
}

type handler struct {
	rt    Runtime
	index []byte
	next  http.Handler

	gzOnce sync.Once
	wasm   []byte
	wasmGz []byte
	gzErr  error
}

var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".wasm": "application/wasm",
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.next.ServeHTTP(w, r)
		return
	}
	name := strings.TrimPrefix(r.URL.Path, "/")
	var body []byte
	switch name {
	case "", "index.html":
		body = h.index
		w.Header().Set("Content-Security-Policy", ContentSecurityPolicy)
		w.Header().Set("Cache-Control", "no-cache")
	case "app.js", "style.css":
		body, _ = assets.ReadFile("assets/" + name)
		w.Header().Set("Cache-Control", "no-cache")
	case WasmExecFile:
		body, _ = fs.ReadFile(h.rt, WasmExecFile)
	case WasmFile:
		h.gzOnce.Do(h.compress)
		if h.gzErr != nil {
			http.Error(w, h.gzErr.Error(), http.StatusInternalServerError)
			return
		}
		body = h.wasm
		w.Header().Add("Vary", "Accept-Encoding")
		if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			body = h.wasmGz
			w.Header().Set("Content-Encoding", "gzip")
		}
	default:
		h.next.ServeHTTP(w, r)
		return
	}
	w.Header().Set("Content-Type", contentTypes[ext(name)])
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("Content-Length", fmt.Sprint(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(body)
}

func ext(name string) string {
	if name == "" {
		return ".html"
	}
	return path.Ext(name)
}

func (h *handler) compress() {
	h.wasm, h.gzErr = fs.ReadFile(h.rt, WasmFile)
	if h.gzErr != nil {
		return
	}
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(h.wasm)
	h.gzErr = zw.Close()
	h.wasmGz = b.Bytes()
}

// WriteSite writes the verifier page into dir as static files for any web
// server: index.html, app.js, style.css, verifier.wasm and wasm_exec.js. A
// visitor verifies a badge by opening the page, or the page followed by
// #credential= and a credential's URL.
func WriteSite(dir string, rt Runtime) error {
	index, err := renderPage(verifierPage)
	if err != nil {
		return err
	}
	return writeFiles(dir, rt, index)
}

// WritePage writes a page for one badge into dir: index.html, which
// verifies the credential on load; the credential itself, as
// credential.json, .jwt, .png or .svg (its bytes unchanged); and the
// page's script, style sheet and runtime. title is the page's title until
// the badge is verified (the name it claims; the page then writes the
// verdict and the name into it). format is check.FormatOf's.
func WritePage(dir string, rt Runtime, credential []byte, format, title string) error {
	if format == "" {
		return errors.New("web: not a credential (JSON, VC-JWT, PNG or SVG)")
	}
	src := "credential." + format
	if title == "" {
		title = "An Open Badge"
	}
	index, err := renderPage(pageData{Title: title, Heading: "An Open Badge, checked in your browser", Mode: "badge", CredentialSrc: src})
	if err != nil {
		return err
	}
	if err := writeFiles(dir, rt, index); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, src), credential, 0o644)
}

func writeFiles(dir string, rt Runtime, index []byte) error {
	if err := CheckRuntime(rt); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	files := map[string][]byte{"index.html": index}
	for _, f := range staticFiles {
		b, err := assets.ReadFile("assets/" + f)
		if err != nil {
			return err
		}
		files[f] = b
	}
	for _, f := range []string{WasmFile, WasmExecFile} {
		b, err := fs.ReadFile(rt, f)
		if err != nil {
			return err
		}
		files[f] = b
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
