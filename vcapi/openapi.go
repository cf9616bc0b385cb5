package vcapi

import (
	_ "embed"
	"net/http"
)

// openAPIDocument describes every endpoint a Server can serve, with
// examples (OpenAPI 3.1). TestOpenAPI checks it against the routes and
// validates its examples against its schemas.
//
//go:embed openapi.json
var openAPIDocument []byte

// OpenAPI returns the OpenAPI 3.1 document of the endpoints, the one
// served at GET /openapi.json.
func OpenAPI() []byte { return append([]byte(nil), openAPIDocument...) }

func (s *Server) openAPI(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(openAPIDocument)
}
