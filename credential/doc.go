// Package credential is the Open Badges 3.0 data model: typed, strict and
// validated.
//
// Every OB 3.0 class is a Go struct (Credential for AchievementCredential
// and OpenBadgeCredential, Achievement, AchievementSubject, Profile, Result,
// EndorsementCredential, …) whose JSON form follows the specification:
// properties that may hold one value or several are a Set that remembers
// which form was written, issuer and achievement may be a URI or an object
// (ProfileRef, AchievementRef), dates are kept as written (DateTime), and
// every member the model does not know, such as extension properties, is
// kept in the struct's Extra map, so that a credential read and written back
// has the same JSON value.
//
// Parse reads untrusted input strictly: it rejects duplicate keys, keys that
// differ from a known term only by case, invalid UTF-8 and oversized or
// deeply nested input, with a *ParseError naming the JSON path. It keeps the
// input (Credential.Raw), since signatures are checked over the original
// JSON, never a re-serialization.
//
// Validate reports every problem of a credential, each with its JSON path,
// rule, severity and standard: the VC Data Model rules for every credential
// (1.1 or 2.0, told apart by @context[0]), and the OB 3.0 rules for badges,
// the credentials whose type says they are OB 3.0 credentials. The standard
// (StandardVCDM or StandardOB3) lets a lenient verifier relax the Open
// Badges rules while failing those that decide what a credential says and
// who it is from.
//
// HashIdentity, MatchIdentity, NewID and Same are helpers for issuers and
// wallets.
package credential
