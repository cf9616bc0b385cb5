package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/microcred/openbadges/status/sqlstore"
)

const recordsUsage = `badge records --db DB [--credential ID] [--subject ID] [--achievement ID]
       [--issuer ID] [--list URL] [--format jsonl|csv] [-o FILE]
badge records --db DB --changes --list URL [--index N]

Lists the issuance records "badge serve --db" keeps: for every credential
issued with a status entry, its id, issuer, learner (credentialSubject.id),
achievement, when and by which request it was issued, and its status
entries with their current values. Every filter given must match. With
--changes, lists the status changes of a list (or of one entry): set or
cleared, when, why and by which request.

` + dbFlagUsage + `
  --credential ID  the credential with this id
  --subject ID     the learner's credentials
  --achievement ID the credentials of this achievement
  --issuer ID      the credentials of this issuer (its DID)
  --list URL       the credentials with an entry in this status list
  --format F       jsonl (default: one JSON record a line) or csv (one line
                   per status entry, with a header)
  -o FILE          write to FILE instead of standard output
  --changes        list status changes instead (JSON Lines)
  --index N        with --changes: one entry's

Exit status: 0 listed (even none), 2 usage error or unusable database`

func init() {
	register(&command{name: "records", summary: "list and export the issuance records of a --db database (JSON Lines, CSV)", usage: recordsUsage, run: runRecords})
}

func runRecords(ctx context.Context, e *env) int {
	fs := flag.NewFlagSet("records", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	db := fs.String("db", "", "")
	var q sqlstore.Query
	fs.StringVar(&q.CredentialID, "credential", "", "")
	fs.StringVar(&q.SubjectID, "subject", "", "")
	fs.StringVar(&q.AchievementID, "achievement", "", "")
	fs.StringVar(&q.Issuer, "issuer", "", "")
	fs.StringVar(&q.List, "list", "", "")
	format := fs.String("format", sqlstore.FormatJSONLines, "")
	out := fs.String("o", "", "")
	changes := fs.Bool("changes", false, "")
	index := fs.String("index", "", "")
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(e.stderr, "badge records: "+format+"\nusage: %s\n", append(a, recordsUsage)...)
		return exitUsage
	}
	if err := fs.Parse(e.args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(e.stdout, "usage: %s\n", recordsUsage)
			return exitOK
		}
		return usageErr("%v", err)
	}
	idx := int64(-1)
	switch {
	case fs.NArg() > 0:
		return usageErr("unexpected argument %q", fs.Arg(0))
	case *db == "":
		return usageErr("--db is required")
	case *format != sqlstore.FormatJSONLines && *format != sqlstore.FormatCSV:
		return usageErr("--format must be jsonl or csv")
	case *changes && q.List == "":
		return usageErr("--changes needs --list")
	case *index != "" && !*changes:
		return usageErr("--index goes with --changes")
	case *index != "":
		n, err := strconv.ParseInt(*index, 10, 64)
		if err != nil || n < 0 {
			return usageErr("--index must be a non-negative integer")
		}
		idx = n
	}
	store, closeDB, err := openDB(ctx, dbPath(e, *db))
	if err != nil {
		fmt.Fprintf(e.stderr, "badge records: %v\n", err)
		return exitUsage
	}
	defer closeDB()
	w := e.stdout
	if *out != "" {
		f, err := os.Create(e.path(*out))
		if err != nil {
			fmt.Fprintf(e.stderr, "badge records: %v\n", err)
			return exitUsage
		}
		defer f.Close()
		w = f
	}
	if *changes {
		enc := json.NewEncoder(w)
		after := int64(0)
		for {
			cs, err := store.Changes(ctx, q.List, idx, after)
			if err != nil {
				fmt.Fprintf(e.stderr, "badge records: %v\n", err)
				return exitUsage
			}
			if len(cs) == 0 {
				return exitOK
			}
			for _, c := range cs {
				if err := enc.Encode(c); err != nil {
					fmt.Fprintf(e.stderr, "badge records: %v\n", err)
					return exitUsage
				}
			}
			after = cs[len(cs)-1].Seq
		}
	}
	n, err := store.Export(ctx, w, q, *format)
	if err != nil {
		fmt.Fprintf(e.stderr, "badge records: %v\n", err)
		return exitUsage
	}
	if *out != "" {
		fmt.Fprintf(e.stderr, "wrote %d records to %s\n", n, *out)
	}
	return exitOK
}
