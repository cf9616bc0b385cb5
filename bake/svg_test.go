package bake_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"strings"
	"testing"

	"github.com/microcred/openbadges/bake"
)

const plainSVG = `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">
  <circle cx="5" cy="5" r="4"/>
</svg>
`

func TestSVGRoundTrip(t *testing.T) {
	images := map[string]string{
		"plain":         plainSVG,
		"self-closing":  `<svg xmlns="http://www.w3.org/2000/svg"/>`,
		"no namespace":  `<svg><g/></svg>`,
		"prefixed root": `<s:svg xmlns:s="http://www.w3.org/2000/svg"><s:g/></s:svg>`,
		"declared":      `<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"></svg>`,
		"BOM":           "\xef\xbb\xbf" + plainSVG,
		"SVG 1.1 DOCTYPE": `<?xml version="1.0"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg version="1.1" xmlns="http://www.w3.org/2000/svg"><path d="M0,0"/></svg>`,
	}
	creds := []string{testJSON, testJWS, `{"note":"a]]>b ]]]]> <&>"}`, "{\r\n\"a\": 1\r}", "  " + testJWS + "\n"}
	for name, img := range images {
		for _, cred := range creds {
			baked, err := bake.SVG([]byte(img), []byte(cred))
			if err != nil {
				t.Fatalf("%s: SVG: %v", name, err)
			}
			if bake.Detect(baked) != bake.FormatSVG {
				t.Errorf("%s: baked image not detected as SVG", name)
			}
			b, err := bake.Unbake(baked)
			if err != nil {
				t.Fatalf("%s: Unbake: %v\n%s", name, err, baked)
			}
			want := strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(cred, "\r\n", "\n"), "\r", "\n"))
			if b.Format != bake.FormatSVG || string(b.Credential) != want || b.IsJWS != strings.HasPrefix(want, "eyJ") {
				t.Errorf("%s: Unbake = %q %v, want %q", name, b.Credential, b.IsJWS, want)
			}
			// Still well-formed XML for an ordinary parser.
			if err := xml.Unmarshal(bytes.TrimPrefix(baked, []byte("\xef\xbb\xbf")), new(struct{})); err != nil {
				t.Errorf("%s: baked SVG is not well-formed: %v", name, err)
			}
			if n := bytes.Count(baked, []byte("xmlns:openbadges=")); n != 1 {
				t.Errorf("%s: %d xmlns:openbadges declarations", name, n)
			}
		}
	}
}

func TestSVGLayout(t *testing.T) {
	baked, err := bake.SVG([]byte(plainSVG), []byte(testJWS))
	if err != nil {
		t.Fatal(err)
	}
	want := `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">
<openbadges:credential verify="` + testJWS + `"></openbadges:credential>
  <circle cx="5" cy="5" r="4"/>
</svg>
`
	if string(baked) != want {
		t.Errorf("baked SVG\n%s\nwant\n%s", baked, want)
	}
	baked, err = bake.SVG([]byte(`<svg/>`), []byte(`{"a":"]]>"}`))
	if err != nil {
		t.Fatal(err)
	}
	want = `<svg xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">
<openbadges:credential><![CDATA[{"a":"]]]]><![CDATA[>"}]]></openbadges:credential>
</svg>`
	if string(baked) != want {
		t.Errorf("baked SVG\n%s\nwant\n%s", baked, want)
	}
}

func TestSVGRebakeReplaces(t *testing.T) {
	once, err := bake.SVG([]byte(plainSVG), []byte(testJSON))
	if err != nil {
		t.Fatal(err)
	}
	twice, err := bake.SVG(once, []byte(testJWS))
	if err != nil {
		t.Fatal(err)
	}
	direct, err := bake.SVG([]byte(plainSVG), []byte(testJWS))
	if err != nil {
		t.Fatal(err)
	}
	if string(twice) != string(direct) {
		t.Errorf("re-baked\n%s\nbaked once\n%s", twice, direct)
	}
	// Baking an image that (wrongly) holds two credentials, one nested,
	// leaves exactly one.
	two := `<svg xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">
  <openbadges:credential verify="a.b.c"/>
  <g><openbadges:credential><![CDATA[{}]]></openbadges:credential></g>
</svg>`
	out, err := bake.SVG([]byte(two), []byte(testJSON))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(out), "<openbadges:credential"); n != 1 {
		t.Errorf("%d credential elements after baking:\n%s", n, out)
	}
}

func TestUnbakeSVGRejects(t *testing.T) {
	const ns = `xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"`
	cred := `<openbadges:credential verify="` + testJWS + `"/>`
	deep := "<svg " + ns + ">" + strings.Repeat("<g>", 300) + cred + strings.Repeat("</g>", 300) + "</svg>"
	cases := []struct {
		name string
		img  string
		lim  bake.Limits
		want error
	}{
		{"billion laughs", `<?xml version="1.0"?>
<!DOCTYPE svg [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<svg ` + ns + `><openbadges:credential><![CDATA[{"a":"&lol3;"}]]></openbadges:credential></svg>`, bake.Limits{}, bake.ErrUnsafeXML},
		{"external entity", `<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><svg ` + ns + `>` + cred + `&xxe;</svg>`, bake.Limits{}, bake.ErrUnsafeXML},
		{"parameter entity", `<!DOCTYPE svg [<!ENTITY % p SYSTEM "http://example.com/x.dtd"> %p;]><svg ` + ns + `>` + cred + `</svg>`, bake.Limits{}, bake.ErrUnsafeXML},
		{"empty internal subset", `<!DOCTYPE svg []><svg ` + ns + `>` + cred + `</svg>`, bake.Limits{}, bake.ErrUnsafeXML},
		{"DOCTYPE after root", `<svg ` + ns + `>` + cred + `</svg><!DOCTYPE svg>`, bake.Limits{}, bake.ErrUnsafeXML},
		{"ENTITY outside DOCTYPE", `<!ENTITY x "y"><svg ` + ns + `>` + cred + `</svg>`, bake.Limits{}, bake.ErrUnsafeXML},
		{"undefined entity", `<svg ` + ns + `><openbadges:credential>{"a":"&x;"}</openbadges:credential></svg>`, bake.Limits{}, bake.ErrMalformed},
		{"too deep", deep, bake.Limits{}, bake.ErrTooLarge},
		{"too many tokens", "<svg " + ns + ">" + cred + strings.Repeat("<g/>", 100) + "</svg>", bake.Limits{MaxSVGTokens: 50}, bake.ErrTooLarge},
		{"image too large", "<svg " + ns + ">" + cred + "</svg>", bake.Limits{MaxImageSize: 20}, bake.ErrTooLarge},
		{"credential too large", "<svg " + ns + "><openbadges:credential><![CDATA[" + testJSON + "]]></openbadges:credential></svg>", bake.Limits{MaxCredentialSize: 20}, bake.ErrTooLarge},
		{"verify too large", "<svg " + ns + ">" + cred + "</svg>", bake.Limits{MaxCredentialSize: 20}, bake.ErrTooLarge},
		{"truncated", "<svg " + ns + ">" + cred, bake.Limits{}, bake.ErrTruncated},
		{"truncated in a tag", "<svg " + ns + "><openbadges:cred", bake.Limits{}, bake.ErrTruncated},
		{"mismatched tags", "<svg " + ns + ">" + cred + "</g></svg>", bake.Limits{}, bake.ErrMalformed},
		{"second root", "<svg " + ns + ">" + cred + "</svg><svg/>", bake.Limits{}, bake.ErrMalformed},
		{"text after root", "<svg " + ns + ">" + cred + "</svg>junk", bake.Limits{}, bake.ErrMalformed},
		{"Latin-1", `<?xml version="1.0" encoding="ISO-8859-1"?><svg ` + ns + `>` + cred + `</svg>`, bake.Limits{}, bake.ErrMalformed},
		{"not SVG", `<html ` + ns + `>` + cred + `</html>`, bake.Limits{}, bake.ErrUnsupportedFormat},
		{"not baked", plainSVG, bake.Limits{}, bake.ErrNotBaked},
		{"wrong namespace", `<svg xmlns:openbadges="https://purl.imsglobal.org/ob/v2p0">` + cred + `</svg>`, bake.Limits{}, bake.ErrNotBaked},
		{"undeclared prefix", `<svg>` + cred + `</svg>`, bake.Limits{}, bake.ErrMalformed},
		{"OB 2.0 only", `<svg xmlns:openbadges="http://openbadges.org"><openbadges:assertion verify="https://example.org/a"/></svg>`, bake.Limits{}, bake.ErrLegacyBadge},
		{"two credentials", "<svg " + ns + ">" + cred + "<g>" + cred + "</g></svg>", bake.Limits{}, bake.ErrMultipleCredentials},
		{"verify and content", "<svg " + ns + `><openbadges:credential verify="` + testJWS + `"><![CDATA[{}]]></openbadges:credential></svg>`, bake.Limits{}, bake.ErrMultipleCredentials},
		{"JSON in verify", "<svg " + ns + `><openbadges:credential verify="{}"/></svg>`, bake.Limits{}, bake.ErrInvalidCredential},
		{"element inside credential", "<svg " + ns + `><openbadges:credential><g/></openbadges:credential></svg>`, bake.Limits{}, bake.ErrMalformed},
		{"empty credential", "<svg " + ns + `><openbadges:credential>  </openbadges:credential></svg>`, bake.Limits{}, bake.ErrInvalidCredential},
		{"not a credential", "<svg " + ns + `><openbadges:credential>https://example.org/badge</openbadges:credential></svg>`, bake.Limits{}, bake.ErrInvalidCredential},
		{"negative limit", plainSVG, bake.Limits{MaxSVGDepth: -1}, bake.ErrInvalidLimits},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := c.lim.UnbakeSVG([]byte(c.img))
			if !errors.Is(err, c.want) {
				t.Fatalf("UnbakeSVG = %+v, %v; want %v", b, err, c.want)
			}
			if !strings.HasPrefix(err.Error(), "bake: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
			// Baking must refuse the same hostile images (except those
			// whose only fault is their credential).
			switch c.want {
			case bake.ErrNotBaked, bake.ErrLegacyBadge, bake.ErrMultipleCredentials, bake.ErrInvalidCredential:
				return
			}
			if c.name == "credential too large" || c.name == "verify too large" {
				return
			}
			if out, err := c.lim.SVG([]byte(c.img), []byte(testJSON)); err == nil {
				t.Errorf("SVG baked into a rejected image:\n%s", out)
			}
		})
	}
}

func TestBakeSVGRejects(t *testing.T) {
	cases := []struct {
		name, img, cred string
		want            error
	}{
		{"prefix bound elsewhere", `<svg xmlns:openbadges="http://openbadges.org"/>`, testJSON, bake.ErrMalformed},
		{"non-XML character", plainSVG, "{\"a\":\"\uffff\"}", bake.ErrInvalidCredential},
		{"not a credential", plainSVG, "hello", bake.ErrInvalidCredential},
		{"not SVG", `<html/>`, testJSON, bake.ErrUnsupportedFormat},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := bake.SVG([]byte(c.img), []byte(c.cred))
			if !errors.Is(err, c.want) || out != nil {
				t.Fatalf("SVG = %q, %v; want %v", out, err, c.want)
			}
		})
	}
}

func TestDetect(t *testing.T) {
	png := smallPNG(t, 1, 1)
	cases := []struct {
		name string
		data string
		want bake.Format
	}{
		{"PNG", string(png), bake.FormatPNG},
		{"SVG", plainSVG, bake.FormatSVG},
		{"SVG with BOM and comment", "\xef\xbb\xbf  <!-- hi --><svg/>", bake.FormatSVG},
		{"JSON", testJSON, ""},
		{"JWS", testJWS, ""},
		{"HTML", "<html><svg/></html>", ""},
		{"XML not SVG", `<?xml version="1.0"?><credential/>`, ""},
		{"empty", "", ""},
		{"PNG signature prefix", string(png[:7]), ""},
		{"many comments", strings.Repeat("<!---->", 100) + "<svg/>", ""},
	}
	for _, c := range cases {
		if got := bake.Detect([]byte(c.data)); got != c.want {
			t.Errorf("%s: Detect = %q, want %q", c.name, got, c.want)
		}
		if got := bake.IsImage([]byte(c.data)); got != (c.want != "") {
			t.Errorf("%s: IsImage = %v", c.name, got)
		}
		if c.want == "" {
			if _, err := bake.Unbake([]byte(c.data)); !errors.Is(err, bake.ErrUnsupportedFormat) {
				t.Errorf("%s: Unbake error %v, want ErrUnsupportedFormat", c.name, err)
			}
			if _, _, err := bake.Bake([]byte(c.data), []byte(testJSON)); !errors.Is(err, bake.ErrUnsupportedFormat) {
				t.Errorf("%s: Bake error %v, want ErrUnsupportedFormat", c.name, err)
			}
		}
	}
}

func BenchmarkUnbakeSVG(b *testing.B) {
	img := `<svg xmlns="http://www.w3.org/2000/svg">` + strings.Repeat(`<path d="M500,928.8c0,0,0,40.8,245,40.8"/>`, 100) + `</svg>`
	baked, err := bake.SVG([]byte(img), []byte(testJSON))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(baked)))
	for b.Loop() {
		if _, err := bake.Unbake(baked); err != nil {
			b.Fatal(err)
		}
	}
}
