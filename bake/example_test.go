package bake_test

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
	"log"

	"github.com/microcred/openbadges/bake"
)

// A signed credential (here a stand-in for a real one) is baked into a PNG
// badge image and read back.
func ExamplePNG() {
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 1, 1))); err != nil {
		log.Fatal(err)
	}
	credential := []byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential","OpenBadgeCredential"]}`)

	baked, err := bake.PNG(img.Bytes(), credential)
	if err != nil {
		log.Fatal(err)
	}
	b, err := bake.Unbake(baked)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(b.Format, b.IsJWS, bytes.Equal(b.Credential, credential))
	// Output: png false true
}

// A VC-JWT goes into the verify attribute of <openbadges:credential>.
func ExampleSVG() {
	img := []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"></svg>`)
	jws := []byte("eyJhbGciOiJSUzI1NiJ9.eyJpZCI6InVybjp1dWlkOjEifQ.c2ln")

	baked, err := bake.SVG(img, jws)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(baked))
	// Output:
	// <svg xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1">
	// <openbadges:credential verify="eyJhbGciOiJSUzI1NiJ9.eyJpZCI6InVybjp1dWlkOjEifQ.c2ln"></openbadges:credential></svg>
}

// Unbake detects the format. Its errors say why an image was refused, and
// ErrUnsupportedFormat lets a caller fall back to reading the input as a
// bare credential.
func ExampleUnbake() {
	inputs := [][]byte{
		[]byte(`<svg xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential><![CDATA[{"id":"urn:uuid:1"}]]></openbadges:credential></svg>`),
		[]byte(`<!DOCTYPE svg [<!ENTITY x "y">]><svg/>`),
		[]byte(`{"id":"urn:uuid:1"}`),
	}
	for _, in := range inputs {
		b, err := bake.Unbake(in)
		switch {
		case errors.Is(err, bake.ErrUnsupportedFormat):
			fmt.Println("not an image; treat as a credential")
		case err != nil:
			fmt.Println(err)
		default:
			fmt.Printf("%s %s\n", b.Format, b.Credential)
		}
	}
	// Output:
	// svg {"id":"urn:uuid:1"}
	// bake: SVG declares entities or a DTD internal subset: svg line 1 column 33: DOCTYPE has an internal subset
	// not an image; treat as a credential
}
