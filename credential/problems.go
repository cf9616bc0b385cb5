package credential

// Problem types of the VC Data Model 2.0 (§7.2), for RFC 9457 problem
// details: declared here, with the model they belong to, and referred to by
// the packages that report them (verifier, dataintegrity, status,
// presentation).
const (
	ProblemParsing               = "https://www.w3.org/TR/vc-data-model#PARSING_ERROR"
	ProblemCryptographicSecurity = "https://www.w3.org/TR/vc-data-model#CRYPTOGRAPHIC_SECURITY_ERROR"
	ProblemMalformedValue        = "https://www.w3.org/TR/vc-data-model#MALFORMED_VALUE_ERROR"
	ProblemRange                 = "https://www.w3.org/TR/vc-data-model#RANGE_ERROR"
)
