package fielderr

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
)

var (
	errKind  = errors.New("pkg: kind")
	errCause = errors.New("cause")
)

func TestMessage(t *testing.T) {
	assert.Equal(t, "pkg: kind: a.b: why: cause", Message(errKind, "pkg: error", At("a.b"), "why", errCause))
	assert.Equal(t, "pkg: kind", Message(errKind, "pkg: error", At(""), "", nil))
	assert.Equal(t, "pkg: error (x): cause", Message(nil, "pkg: error", " (x)", "", errCause))
}

func TestUnwrap(t *testing.T) {
	assert.Nil(t, Unwrap(nil, nil))
	assert.Equal(t, []error{errKind}, Unwrap(errKind, nil))
	assert.Equal(t, []error{errCause}, Unwrap(nil, errCause))
	assert.Equal(t, []error{errKind, errCause}, Unwrap(errKind, errCause))

	var err error = &testError{Detail{Kind: errKind, Err: errCause}}
	assert.ErrorIs(t, err, errKind)
	assert.ErrorIs(t, err, errCause)
}

type testError struct{ Detail }

func (e *testError) Error() string { return Message(e.Kind, "test: error", "", e.Reason, e.Err) }
