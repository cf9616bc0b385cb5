package vcapi

// Patterns returns the routes the server registered, for the OpenAPI test.
func (s *Server) Patterns() []string { return append([]string(nil), s.patterns...) }
