package sqlstore

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/microcred/openbadges/status"
)

// Export formats.
const (
	FormatJSONLines = "jsonl" // one Record as JSON per line
	FormatCSV       = "csv"   // one line per status entry, with a header
)

// CSVHeader is the first line of a CSV export.
var CSVHeader = []string{"seq", "record_id", "credential_id", "issuer", "subject_id", "achievement_id", "issued_at", "request_id",
	"status_purpose", "status_list_credential", "status_list_index", "status"}

// Export writes every record q selects (q.After and q.Limit are where it
// starts and its page size) to w as JSON Lines or CSV, page by page, so
// that memory stays bounded however many records there are. It returns
// the number of records written.
func (s *Store) Export(ctx context.Context, w io.Writer, q Query, format string) (int, error) {
	var cw *csv.Writer
	switch format {
	case FormatJSONLines:
	case FormatCSV:
		cw = csv.NewWriter(w)
		if err := cw.Write(CSVHeader); err != nil {
			return 0, err
		}
	default:
		return 0, &status.FieldError{Field: "format", Kind: status.ErrConfig, Reason: fmt.Sprintf("%q is not %s or %s", format, FormatJSONLines, FormatCSV)}
	}
	enc := json.NewEncoder(w)
	n := 0
	for {
		recs, err := s.Records(ctx, q)
		if err != nil {
			return n, err
		}
		for _, r := range recs {
			if cw == nil {
				if err := enc.Encode(r); err != nil {
					return n, err
				}
			} else {
				base := []string{strconv.FormatInt(r.Seq, 10), r.ID, r.CredentialID, r.Issuer, r.SubjectID, r.AchievementID,
					r.IssuedAt.UTC().Format(time.RFC3339Nano), r.RequestID}
				if len(r.Entries) == 0 {
					if err := cw.Write(append(base, "", "", "", "")); err != nil {
						return n, err
					}
				}
				for _, e := range r.Entries {
					line := append(append([]string(nil), base...), e.Purpose, e.List, strconv.FormatUint(e.Index, 10), strconv.FormatUint(e.Value, 10))
					if err := cw.Write(line); err != nil {
						return n, err
					}
				}
			}
			n++
		}
		if cw != nil {
			cw.Flush()
			if err := cw.Error(); err != nil {
				return n, err
			}
		}
		if len(recs) == 0 {
			return n, nil
		}
		q.After = recs[len(recs)-1].Seq
	}
}
