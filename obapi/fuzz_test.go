package obapi

import (
	"encoding/json"
	"testing"
)

// FuzzValidateClientMetadata: any registration body is refused or
// accepted without panicking, and what is accepted meets the rules.
func FuzzValidateClientMetadata(f *testing.F) {
	f.Add([]byte(`{"client_name":"W","client_uri":"https://w.example","software_id":"w","software_version":"1","redirect_uris":["https://w.example/cb"],"scope":"` + ScopeCredentialReadonly + `"}`))
	f.Add([]byte(`{"redirect_uris":["http://[::1]:8/cb#x"],"scope":"openid"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var md ClientMetadata
		if json.Unmarshal(body, &md) != nil {
			return
		}
		if ValidateClientMetadata(&md) != nil {
			return
		}
		for _, u := range md.RedirectURIs {
			if checkClientURI(u) != nil {
				t.Fatalf("accepted redirect URI %q", u)
			}
		}
		if md.TokenEndpointAuthMethod == "" || len(md.GrantTypes) == 0 {
			t.Fatal("defaults not filled in")
		}
	})
}

// FuzzCheckProfile: any profile body is refused or accepted without
// panicking.
func FuzzCheckProfile(f *testing.F) {
	f.Add([]byte(`{"id":"urn:x","type":["Profile"]}`))
	f.Add([]byte(`{"id":"urn:x","id":"urn:y","type":["Profile"]}`))
	f.Add([]byte(`[[[[[[`))
	f.Fuzz(func(t *testing.T, body []byte) {
		if checkProfile(body) == nil && !json.Valid(body) {
			t.Fatalf("accepted invalid JSON %q", body)
		}
	})
}
