package credential_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/microcred/openbadges/credential"
)

// Build a badge from Go values, check it before signing, and print its JSON.
func Example() {
	hashed := credential.HashedIdentity("emailAddress", "learner@example.com", "s4lt")
	c := &credential.Credential{
		Envelope: credential.Envelope{
			Context: credential.Contexts(credential.ContextV2, credential.ContextOB),
			ID:      "urn:uuid:2f7e1b4c-9a8d-4c3b-8e6f-5a4d3c2b1a09",
			Type:    credential.TypeOf("VerifiableCredential", "OpenBadgeCredential"),
			Name:    "Teamwork",
			Issuer: credential.ProfileRef{Profile: &credential.Profile{
				ID:   "https://example.edu/issuers/565049",
				Type: credential.TypeOf("Profile"),
				Name: "Example University",
			}},
			ValidFrom: credential.DateTimeOf(time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC)),
		},
		CredentialSubject: credential.One(credential.AchievementSubject{
			Type:       credential.TypeOf("AchievementSubject"),
			Identifier: credential.Many(hashed),
			Achievement: credential.AchievementRef{Achievement: &credential.Achievement{
				ID:              "https://example.edu/achievements/teamwork",
				Type:            credential.TypeOf("Achievement"),
				AchievementType: "Badge",
				Name:            "Teamwork",
				Description:     "Works well in a team.",
				Criteria:        &credential.Criteria{Narrative: "Nominated by peers."},
			}},
		}),
	}
	if err := c.Validate().Err(); err != nil {
		fmt.Println(err)
		return
	}
	out, _ := json.MarshalIndent(c, "", "  ")
	fmt.Println(string(out))
	// Output:
	// {
	//   "@context": [
	//     "https://www.w3.org/ns/credentials/v2",
	//     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
	//   ],
	//   "id": "urn:uuid:2f7e1b4c-9a8d-4c3b-8e6f-5a4d3c2b1a09",
	//   "type": [
	//     "VerifiableCredential",
	//     "OpenBadgeCredential"
	//   ],
	//   "name": "Teamwork",
	//   "issuer": {
	//     "id": "https://example.edu/issuers/565049",
	//     "type": [
	//       "Profile"
	//     ],
	//     "name": "Example University"
	//   },
	//   "validFrom": "2024-05-01T09:00:00Z",
	//   "credentialSubject": {
	//     "type": [
	//       "AchievementSubject"
	//     ],
	//     "achievement": {
	//       "id": "https://example.edu/achievements/teamwork",
	//       "type": [
	//         "Achievement"
	//       ],
	//       "achievementType": "Badge",
	//       "criteria": {
	//         "narrative": "Nominated by peers."
	//       },
	//       "description": "Works well in a team.",
	//       "name": "Teamwork"
	//     },
	//     "identifier": [
	//       {
	//         "type": "IdentityObject",
	//         "hashed": true,
	//         "identityHash": "sha256$4006a51fba859f49811a3e77795e411858d269d4fdb8da943ab262183d18515d",
	//         "identityType": "emailAddress",
	//         "salt": "s4lt"
	//       }
	//     ]
	//   }
	// }
}

// Parse untrusted input strictly and list every problem.
func ExampleParse() {
	c, err := credential.Parse([]byte(`{
	  "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
	  "id": "urn:uuid:2f7e1b4c-9a8d-4c3b-8e6f-5a4d3c2b1a09",
	  "type": ["VerifiableCredential", "OpenBadgeCredential"],
	  "issuer": "https://example.edu/issuers/565049",
	  "validFrom": "2024-05-01T09:00:00",
	  "credentialSubject": {"type": "AchievementSubject", "achievement": "https://example.edu/achievements/teamwork"}
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range c.Validate() {
		fmt.Println(p)
	}

	_, err = credential.Parse([]byte(`{"validUntil": "2030-01-01T00:00:00Z", "ValidUntil": "1999-01-01T00:00:00Z"}`))
	fmt.Println(err)
	// Output:
	// warning: $: name should be given, for display in wallets [recommended]
	// error: $.validFrom: "2024-05-01T09:00:00" is not an RFC 3339 date-time with a time zone [datetime]
	// error: $.credentialSubject: an AchievementSubject must have an id or at least one identifier [subject]
	// credential: key differs from a known term only by case: "ValidUntil" differs from the term "validUntil" only by case at $.ValidUntil
}

// Hash a recipient's email address for an IdentityObject, and check a
// claimed address against it.
func ExampleHashIdentity() {
	id := credential.HashedIdentity("emailAddress", "a@example.com", "Kosher")
	fmt.Println(id.IdentityHash)
	fmt.Println(credential.MatchIdentity(id, "a@example.com"), credential.MatchIdentity(id, "b@example.com"))
	// Output:
	// sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399
	// true false
}
