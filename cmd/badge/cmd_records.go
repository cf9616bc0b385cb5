package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/microcred/openbadges/status/sqlstore"
)

func init() { register("", newRecordsCmd) }

func newRecordsCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use: `records --db DB [--credential ID] [--subject ID] [--achievement ID]
       [--issuer ID] [--list URL] [--format jsonl|csv] [-o FILE]
       badge records --db DB --changes --list URL [--index N]`,
		Short: "list and export the issuance records of a --db database (JSON Lines, CSV)",
		Long: `Lists the issuance records "badge serve --db" keeps: for every credential
issued with a status entry, its id, issuer, learner (credentialSubject.id),
achievement, when and by which request it was issued, and its status
entries with their current values. Every filter given must match. With
--changes, lists the status changes of a list (or of one entry): set or
cleared, when, why and by which request.`,
		Annotations: map[string]string{annotationExit: `0 listed (even none), 2 usage error or unusable database`},
		Args:        maxArgs(0, ""),
	}
	fs := cmd.Flags()
	db := fs.String("db", "", dbFlagDoc)
	var q sqlstore.Query
	fs.StringVar(&q.CredentialID, "credential", "", "the credential with this `ID`")
	fs.StringVar(&q.SubjectID, "subject", "", "the learner's credentials, by the learner's `ID`")
	fs.StringVar(&q.AchievementID, "achievement", "", "the credentials of the achievement with this `ID`")
	fs.StringVar(&q.Issuer, "issuer", "", "the credentials of this issuer, by its `ID` (DID)")
	fs.StringVar(&q.List, "list", "", "the credentials with an entry in the status list at `URL`")
	format := fs.String("format", sqlstore.FormatJSONLines, "the output `FORMAT`: jsonl (one JSON record a line) or csv (one line per status entry, with a header)")
	out := fs.StringP("output", "o", "", "write to `FILE` instead of standard output")
	changes := fs.Bool("changes", false, "list status changes instead (JSON Lines)")
	index := fs.String("index", "", "with --changes: one entry's, at index `N`")
	cmd.RunE = runInt(func(cmd *cobra.Command, args []string) int {
		ctx := cmd.Context()
		usageErr := usageErrFunc(e, cmd)
		idx := int64(-1)
		switch {
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
	})
	return cmd
}
