// Package stack stacks micro-credentials into a certificate.
//
// A Pathway, which an institution writes once as JSON, names the
// certificate's achievement and what earns it: component achievements (a
// minimum number of them, or all), optionally nested groups of them,
// allowed component issuers, a minimum of credits, and a span of time the
// components must fall within:
//
//	{
//	  "achievement": {"id": "https://example.edu/certificates/data-analytics", "type": ["Achievement"],
//	                  "achievementType": "Certificate", "name": "Data Analytics",
//	                  "description": "…", "criteria": {"narrative": "…"}},
//	  "requires": {
//	    "achievements": ["https://example.edu/achievements/a1", "https://example.edu/achievements/a2"],
//	    "minimum": 2,
//	    "issuers": ["did:key:z6Mk…"],
//	    "minimumCredits": 8,
//	    "within": "P2Y"
//	  }
//	}
//
// Evaluate verifies a learner's credentials (the components) and reports,
// requirement by requirement, what is met and what is missing, and, for
// each component, whether it counts and why not: not verified (forged,
// expired, revoked, …), for another learner, from an issuer not allowed,
// counted already (the same credential twice, or a second credential for
// the same achievement), or not part of the pathway. Issue then signs the
// certificate: an OB 3.0 credential for the learner with the pathway's
// achievement, one evidence entry per component counted, and each
// component bound by the digest of its bytes (relatedResource), which
// CheckComponents checks; optionally wrapped with the components in a CLR
// 2.0 credential whose associations say each is part of the certificate.
package stack
