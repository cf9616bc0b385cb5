// Package contexts holds the JSON-LD context documents that package jsonld
// embeds, byte for byte as published in pinned npm registry packages or, for
// the few no package publishes, as officially published (copies pinned by
// their SHA-256), and a generated table recording where each one came from and
// its SHA-256 digest.
//
// Most callers want jsonld.Embedded() rather than this package. The files and
// table.go are written by `go generate ./jsonld/...` (see README.md); do not
// edit them by hand.
package contexts

import "embed"

// FS holds the context documents, named as in Document.File.
//
//go:embed *.jsonld *.json
var FS embed.FS

// Document describes one embedded context document.
type Document struct {
	// URL is the context URL the document is served for (exact match).
	URL string
	// File is the document's file name in FS.
	File string
	// SHA256 is the lowercase hex SHA-256 digest of the file's bytes.
	SHA256 string
	// OfficialURL is set for an official document: the file is a byte-exact
	// copy of the document published at OfficialURL (the context URL),
	// pinned in the generator by SHA256, and the npm fields below are empty.
	OfficialURL string
	// Package and Version name the npm package the bytes came from; empty
	// for an official document.
	Package, Version string
	// Path is the file's path inside the package tarball (under package/).
	Path string
	// Integrity is the npm tarball integrity (sha512, SRI form) the generator
	// verified before extracting Path.
	Integrity string
	// Converted is true when the package ships the context only as a
	// JavaScript object literal (module.exports = {...}); the file is then
	// that value serialized as JSON (2-space indent), not the package's bytes.
	Converted bool
}
