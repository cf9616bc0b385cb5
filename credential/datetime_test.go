package credential

import (
	"regexp"
	"strings"
	"testing"
)

// dateTimeRE is the specification of isDateTimeStamp.
var dateTimeRE = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$`)

var dateTimeSeeds = []string{
	"", "Z", "2024-05-01T09:00:00Z", "2024-05-01T09:00:00.5Z", "2024-05-01T09:00:00.123456789+02:00",
	"2024-05-01T09:00:00-00:00", "2024-05-01T09:00:00", "2024-05-01T09:00:00.Z", "2024-05-01T09:00:00z",
	"2024-05-01t09:00:00Z", "2024-05-01 09:00:00Z", "24-05-01T09:00:00Z", "2024-5-01T09:00:00Z",
	"2024-05-01T09:00:00+0200", "2024-05-01T09:00:00+02:0", "2024-05-01T09:00:00+02:000",
	"2024-05-01T09:00:00ZZ", "2024-05-01T09:00:00Z\n", "\n2024-05-01T09:00:00Z", "2024-05-01T09:00:00.1.2Z",
	"2024-05-01T09:00:00.+02:00", "２024-05-01T09:00:00Z", "2024-05-01T09:00:00+02:00Z", "2024-05-01T09:00:00Z+02:00",
	"2024-05-01T09:00:0aZ", "2024/05/01T09:00:00Z", "2024-05-01T09-00:00Z", "2024-05-01T09:00:00+02-00",
	"2024-05-01T09:00:00\x00Z", "2024-05-01T09:00:00.0000000000000000000001-23:59", "9999-99-99T99:99:99Z",
}

func TestDateTimeStampMatchesRegexp(t *testing.T) {
	for _, s := range dateTimeSeeds {
		if got, want := isDateTimeStamp(s), dateTimeRE.MatchString(s); got != want {
			t.Errorf("isDateTimeStamp(%q) = %v, the regexp says %v", s, got, want)
		}
		// Every prefix and every one-byte change of the valid ones.
		for i := 0; i <= len(s); i++ {
			for _, c := range []string{"", "0", "9", "-", ":", "T", "Z", "+", ".", "a"} {
				m := s[:i] + c
				if i < len(s) {
					m += s[i+1:]
				}
				if got, want := isDateTimeStamp(m), dateTimeRE.MatchString(m); got != want {
					t.Errorf("isDateTimeStamp(%q) = %v, the regexp says %v", m, got, want)
				}
			}
		}
	}
}

func FuzzDateTimeStamp(f *testing.F) {
	for _, s := range dateTimeSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := isDateTimeStamp(s), dateTimeRE.MatchString(s); got != want {
			t.Fatalf("isDateTimeStamp(%q) = %v, the regexp says %v", s, got, want)
		}
		if got, want := hasSpace(s), strings.ContainsAny(s, " \t\r\n"); got != want {
			t.Fatalf("hasSpace(%q) = %v, strings.ContainsAny says %v", s, got, want)
		}
	})
}
