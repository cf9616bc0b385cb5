// Package clr is the 1EdTech Comprehensive Learner Record (CLR) 2.0 data
// model: a ClrCredential gathers a learner's Open Badges 3.0 credentials,
// each embedded as its issuer signed it, with the achievements they belong
// to and the associations between those achievements (a course is part of
// a certificate, a module is the child of a course, …).
//
// Parse reads a ClrCredential from untrusted JSON as strictly as
// credential.Parse reads a badge: duplicate keys, keys that differ from a
// term only by case, invalid UTF-8 and oversized input are refused with a
// *credential.ParseError naming the JSON path. The embedded credentials
// keep their exact bytes, so that their proofs can be checked.
//
// Validate returns every problem with its JSON path, as
// credential.Credential.Validate does: the VC Data Model rules of the
// envelope, the OB 3.0 rules of each embedded credential and achievement,
// and the CLR rules (Rules): every association joins two achievements the
// CLR holds, associations of isChildOf, isParentOf and isPartOf form no
// cycle, and every embedded credential is an OB 3.0 credential for the
// CLR's learner. The verifier and the issuer apply Rules to every
// credential typed ClrCredential, so a CLR that breaks them is neither
// signed nor verified (a lenient verifier reports them as warnings).
//
// Assemble builds an unsigned ClrCredential from a learner's signed
// credentials; issuer.IssueJSON signs it like any credential.
package clr
