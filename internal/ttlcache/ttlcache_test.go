package ttlcache

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestBound(t *testing.T) {
	c := New[string](time.Hour, time.Minute, 4, nil)
	for i := range 10 {
		c.Put(fmt.Sprint(i), "v", nil)
	}
	assert.LessOrEqual(t, len(c.entries), 4)
}

func TestExpiry(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := New[string](time.Minute, time.Second, 0, func() time.Time { return now })
	fail := errors.New("gone")
	c.Put("ok", "v", nil)
	c.Put("bad", "", fail)

	v, err, ok := c.Get("ok")
	assert.True(t, ok)
	assert.Equal(t, "v", v)
	assert.NoError(t, err)
	_, err, ok = c.Get("bad")
	assert.True(t, ok)
	assert.ErrorIs(t, err, fail)

	now = now.Add(2 * time.Second) // failures expire first
	_, _, ok = c.Get("bad")
	assert.False(t, ok)
	_, _, ok = c.Get("ok")
	assert.True(t, ok)

	now = now.Add(time.Minute)
	_, _, ok = c.Get("ok")
	assert.False(t, ok)
	_, _, ok = c.Get("never")
	assert.False(t, ok)
}

func TestDisabled(t *testing.T) {
	c := New[string](-1, -1, 0, nil)
	c.Put("ok", "v", nil)
	c.Put("bad", "", errors.New("gone"))
	assert.Empty(t, c.entries)
}
