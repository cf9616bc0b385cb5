package dataintegrity

// SuiteName names a suite, as listed in VerifierConfig.Suites and
// ProverConfig.Suite: the cryptosuite name for DataIntegrityProof suites,
// the proof type for legacy suites that have no cryptosuite, or the Name
// of a custom Suite. It is a type of its own so that a list of suites
// cannot be mixed up with a list of JOSE algorithms (vcjwt.Algorithm).
type SuiteName string

// ContextDataIntegrityV2 is the context that defines DataIntegrityProof
// and its terms: VC Data Model 2.0's base context includes it, a 1.1
// document with such a proof must list it. (The context of the legacy
// Ed25519Signature2020 suite, which also defines the key type
// Ed25519VerificationKey2020, is did.ContextEd25519.)
const ContextDataIntegrityV2 = "https://w3id.org/security/data-integrity/v2"

// Names of the built-in suites.
const (
	// SuiteEdDSARDFC2022 is eddsa-rdfc-2022 (VC-DI-EdDSA): RDFC-1.0
	// canonical N-Quads, SHA-256, Ed25519. The suite OB 3.0 certification
	// requires.
	SuiteEdDSARDFC2022 SuiteName = "eddsa-rdfc-2022"
	// SuiteEdDSAJCS2022 is eddsa-jcs-2022 (VC-DI-EdDSA): JCS (RFC 8785)
	// canonical JSON, SHA-256, Ed25519. No JSON-LD processing.
	SuiteEdDSAJCS2022 SuiteName = "eddsa-jcs-2022"
	// SuiteEdDSA2022 is eddsa-2022, the name eddsa-rdfc-2022 had in drafts.
	// Same algorithm; verification only.
	SuiteEdDSA2022 SuiteName = "eddsa-2022"
	// SuiteEd25519Signature2020 is the legacy proof type Ed25519Signature2020
	// (W3C CCG, VC-DI-EdDSA Appendix), which most OB 3.0 badges issued on
	// VCDM 1.1 carry: URDNA2015 (= RDFC-1.0), SHA-256, Ed25519, no
	// cryptosuite property.
	SuiteEd25519Signature2020 SuiteName = "Ed25519Signature2020"
)
