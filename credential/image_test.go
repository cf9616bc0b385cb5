package credential

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestImageAsString checks the id-string form of an Image, which the OB 3.0
// data model allows ("can typically be represented as just the id string of
// the image") and its JSON Schema does not: read everywhere an Image may be,
// written back as a string, and reported as a warning only.
func TestImageAsString(t *testing.T) {
	const png = "https://example.edu/badge.png"
	for _, at := range []string{"image", "issuer.image", "credentialSubject.image", "credentialSubject.achievement.image",
		"credentialSubject.achievement.creator.image", "credentialSubject.source.image"} {
		t.Run(at, func(t *testing.T) {
			edits := []edit{set(at, png)}
			switch {
			case strings.HasPrefix(at, "credentialSubject.achievement.creator"):
				edits = []edit{set("credentialSubject.achievement.creator", map[string]any{"id": "https://example.edu/c", "type": []any{"Profile"}}), set(at, png)}
			case strings.HasPrefix(at, "credentialSubject.source"):
				edits = []edit{set("credentialSubject.source", map[string]any{"id": "https://example.edu/s", "type": []any{"Profile"}}), set(at, png)}
			}
			data := build(t, baseBadge, edits...)
			c, err := Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			var im *Image
			switch at {
			case "image":
				im = c.Image
			case "issuer.image":
				im = c.Issuer.Profile.Image
			case "credentialSubject.image":
				im = c.Subject().Image
			case "credentialSubject.achievement.image":
				im = c.Subject().Achievement.Achievement.Image
			case "credentialSubject.achievement.creator.image":
				im = c.Subject().Achievement.Achievement.Creator.Image
			case "credentialSubject.source.image":
				im = c.Subject().Source.Image
			}
			if im == nil || im.ID != png || !im.IDOnly || !im.Type.IsZero() || im.Caption != "" || im.Extra != nil {
				t.Fatalf("image read as %+v", im)
			}
			path := "$." + at
			ps := c.Validate()
			if ps.HasErrors() {
				t.Errorf("errors: %v", ps.Errors())
			}
			if len(ps) != 1 || !has(ps, path, RuleImageString, SeverityWarning) || ps[0].Standard != StandardOB3 {
				t.Errorf("want one %s warning at %s, got %v", RuleImageString, path, ps)
			}
			out, err := json.Marshal(c)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(out), `"image":"`+png+`"`) {
				t.Errorf("the string form was not kept:\n%s", out)
			}
			assertSameJSON(t, data, out)

			// The checks of an image's id apply to the string.
			c, err = Parse(build(t, baseBadge, append(edits, set(at, "javascript:alert(1)"))...))
			if err != nil {
				t.Fatal(err)
			}
			if ps := c.Validate(); !has(ps, path, RuleImage, SeverityError) {
				t.Errorf("javascript: image accepted: %v", ps)
			}
			c, err = Parse(build(t, baseBadge, append(edits, set(at, "badge.png"))...))
			if err != nil {
				t.Fatal(err)
			}
			if ps := c.Validate(); !has(ps, path, RuleURI, SeverityError) {
				t.Errorf("relative image accepted: %v", ps)
			}
		})
	}

	// A credential that is not a badge may have an image string too, with
	// no OB warning.
	c, err := Parse(build(t, plainVC, set("image", png)))
	if err != nil {
		t.Fatal(err)
	}
	if ps := c.Validate(); len(ps) != 0 || c.Image == nil || c.Image.ID != png {
		t.Errorf("plain VC image string: %+v %v", c.Image, ps)
	}

	// The JSON methods of Image take and give both forms.
	var im Image
	if err := json.Unmarshal([]byte(` "`+png+`"`), &im); err != nil || im.ID != png || !im.IDOnly {
		t.Errorf("Image from a string: %+v %v", im, err)
	}
	if b, err := json.Marshal(im); err != nil || string(b) != `"`+png+`"` {
		t.Errorf("Image to a string: %s %v", b, err)
	}
	if err := json.Unmarshal([]byte(`{"id":"`+png+`","type":"Image"}`), &im); err != nil || im.ID != png || im.IDOnly {
		t.Errorf("Image from an object: %+v %v", im, err)
	}
	if b, err := json.Marshal(im); err != nil || string(b) != `{"id":"`+png+`","type":"Image"}` {
		t.Errorf("Image to an object: %s %v", b, err)
	}
	// IDOnly with more than an id cannot be a string: the object is written.
	im = Image{ID: png, Caption: "A badge", IDOnly: true}
	if b, err := json.Marshal(im); err != nil || string(b) != `{"id":"`+png+`","caption":"A badge"}` {
		t.Errorf("IDOnly image with a caption: %s %v", b, err)
	}
	for _, bad := range []string{`""`, `5`, `["` + png + `"]`} {
		if err := json.Unmarshal([]byte(bad), &im); err == nil {
			t.Errorf("Image from %s accepted", bad)
		}
	}
}

// assertSameJSON fails t unless a and b are the same JSON value.
func assertSameJSON(t *testing.T, a, b []byte) {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatal(err)
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	if string(xa) != string(ya) {
		t.Errorf("JSON value changed:\n in: %s\nout: %s", xa, ya)
	}
}
