// Package attacks holds cross-cutting tests of the library against the attack
// and fault catalogue (SECURITY-CATALOGUE.md, summarised in SECURITY.md at the
// repository root): each hostile input goes through the public entry points
// (verifier.Verify, issuer, the loaders) and the tests assert the typed
// problem that must come out. It also holds end-to-end fuzz targets and
// race tests that share one verifier, issuer and loader among many
// goroutines.
//
// The package has no API; it exists only for its tests.
package attacks
