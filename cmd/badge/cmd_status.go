package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/microcred/openbadges/internal/keys"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/status"
	"github.com/microcred/openbadges/verifier"
)

// The "status" commands manage Bitstring Status Lists kept in a directory
// (status.FileStore), for issuers who run them by hand or from scripts.

func init() {
	register("", func(e *env) *cobra.Command {
		return groupCmd(e, "status", "manage Bitstring Status Lists (create, allocate, revoke, suspend, reinstate, show, publish)",
			`Manages Bitstring Status Lists kept in a directory (--store) or a database
(--db), for issuers who run them by hand or from scripts.`)
	})
	register("status", newStatusCreateCmd)
	register("status", newStatusAllocateCmd)
	for _, a := range []struct{ name, summary, what, purpose, refused string }{
		{"revoke", "revoke a credential in a status list", "Revokes a credential: sets its bit in a revocation list. Revocation is final.", "revocation", "no such list or index, not a revocation list"},
		{"suspend", "suspend a credential in a status list", "Suspends a credential: sets its bit in a suspension list.", "suspension", "no such list or index, not a suspension list"},
		{"reinstate", "lift a credential's suspension", "Lifts a suspension: clears the credential's bit in a suspension list.\nRevocations cannot be undone.", "suspension", "no such list or index, not a suspension list"},
	} {
		register("status", func(e *env) *cobra.Command {
			return newStatusChangeCmd(e, a.name, a.summary, fmt.Sprintf(statusChangeLong, a.what, a.purpose), "0 changed, 1 refused ("+a.refused+"), 2 usage error")
		})
	}
	register("status", newStatusShowCmd)
	register("status", newStatusPublishCmd)
}

var statusChangeLong = `%[1]s
With --credential, FILE is a credential (or a bare
credentialStatus entry as "badge status allocate" prints) and every one of
its entries whose list is in the store and has purpose %[2]s is changed.
With --key the re-signed list is printed (or written with -o): publish it.`

// statusCmd holds what every status command parses.
type statusCmd struct {
	e         *env
	cmd       *cobra.Command
	fs        *pflag.FlagSet
	store, id string
	db        string
	key, out  string
	closeDB   func()
}

// newStatusCmd returns a status subcommand with the flags every one has:
// --store, --db, --id, and --key and -o when publish (it signs the list).
func newStatusCmd(e *env, use, short, long, exit string, publish bool) *statusCmd {
	c := &statusCmd{e: e, cmd: &cobra.Command{
		Use: use, Short: short, Long: long,
		Annotations: map[string]string{annotationExit: exit},
		Args:        maxArgs(0, ""),
	}}
	c.fs = c.cmd.Flags()
	c.fs.StringVar(&c.store, "store", "", "the directory `DIR` holding the lists (created if needed); give --store or --db")
	c.fs.StringVar(&c.db, "db", "", dbFlagDoc)
	c.fs.StringVar(&c.id, "id", "", "the list: the `URL` its credential is published at")
	if publish {
		c.fs.StringVar(&c.key, "key", "", "sign the list with the key in `FILE` (a private JWK from \"badge keygen\" or a Multikey JSON) and print it, or write it with -o")
		c.fs.StringVarP(&c.out, "output", "o", "", "write the signed list to `FILE` (replacing it) instead of standard output")
	}
	return c
}

// run sets the command's body: after the shared flags are checked, f runs.
func (c *statusCmd) run(f func(ctx context.Context) int) *cobra.Command {
	c.cmd.RunE = runInt(func(cmd *cobra.Command, _ []string) int {
		if code := c.parse(); code >= 0 {
			return code
		}
		return f(cmd.Context())
	})
	return c.cmd
}

// parse checks the shared flags; it returns -1 to go on, or an exit status.
func (c *statusCmd) parse() int {
	if (c.store == "") == (c.db == "") {
		return c.usageErr("--store is required (or --db), one of them")
	}
	if c.out != "" && c.key == "" {
		return c.usageErr("-o needs --key: only a signed list is written")
	}
	return -1
}

func (c *statusCmd) usageErr(format string, a ...any) int {
	return usageErrFunc(c.e, c.cmd)(format, a...)
}

func (c *statusCmd) fail(code int, err error) int {
	fmt.Fprintf(c.e.stderr, "%s: %v\n", c.cmd.CommandPath(), err)
	return code
}

// openStore opens the --store directory or the --db database; the
// database is closed when the process ends.
func (c *statusCmd) openStore(ctx context.Context) (status.Store, error) {
	if c.db != "" {
		s, closeDB, err := openDB(ctx, dbPath(c.e, c.db))
		if err != nil {
			return nil, err
		}
		c.closeDB = closeDB
		return s, nil
	}
	return status.NewFileStore(c.e.path(c.store))
}

// where names the store in messages.
func (c *statusCmd) where() string {
	if c.db != "" {
		return "the database"
	}
	return c.store
}

// lists opens the store, with the key's issuer as Signer when --key is set.
func (c *statusCmd) lists() (*status.Lists, *keys.Key, int) {
	fs, err := c.openStore(context.Background())
	if err != nil {
		return nil, nil, c.fail(exitUsage, err)
	}
	cfg := status.ListsConfig{Store: fs}
	var key *keys.Key
	if c.key != "" {
		if key, err = readKeyFile(c.e, c.key); err != nil {
			return nil, nil, c.fail(exitUsage, err)
		}
		is, err := issuer.New(issuer.Config{Signer: key.Signer, VerificationMethod: key.VerificationMethod, Controller: key.DID})
		if err != nil {
			return nil, nil, c.fail(exitUsage, err)
		}
		cfg.Signer = is
	}
	l, err := status.NewLists(cfg)
	if err != nil {
		return nil, nil, c.fail(exitUsage, err)
	}
	return l, key, -1
}

// publish prints or writes the signed list when --key was given.
func (c *statusCmd) publish(ctx context.Context, l *status.Lists, id string) int {
	if c.key == "" {
		return exitOK
	}
	signed, err := l.Publish(ctx, id)
	if err != nil {
		return c.fail(exitRejected, fmt.Errorf("signing the list: %w", err))
	}
	signed = indentStatusJSON(signed)
	if c.out == "" {
		fmt.Fprintf(c.e.stdout, "%s\n", signed)
		return exitOK
	}
	if err := os.WriteFile(c.e.path(c.out), append(signed, '\n'), 0o644); err != nil {
		return c.fail(exitUsage, err)
	}
	fmt.Fprintf(c.e.stderr, "wrote %s\n", c.out)
	return exitOK
}

func indentStatusJSON(b []byte) []byte {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return b
	}
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return b
	}
	return out
}

// exitFor maps a status error to an exit status: refusals are 1.
func exitFor(err error) int {
	switch {
	case errors.Is(err, status.ErrConfig):
		return exitUsage
	default:
		return exitRejected
	}
}

func newStatusCreateCmd(e *env) *cobra.Command {
	c := newStatusCmd(e, "create (--store DIR | --db DB) --id URL --key FILE [flags]", "create a signed Bitstring Status List",
		`Creates an empty Bitstring Status List (at least 131,072 entries, indexes
handed out in a random order) and prints its BitstringStatusListCredential,
signed with eddsa-rdfc-2022, ready to publish at URL.`, "0 created, 1 refused (the list exists), 2 usage error", true)
	iss := c.fs.String("issuer", "", "the list's issuer `ID`; default the key's controller (it must be the issuer of the credentials the list covers)")
	purpose := c.fs.String("purpose", status.PurposeRevocation, "revocation or suspension: one `PURPOSE` per list")
	entries := c.fs.Int("entries", status.MinEntries, "the number of entries (at least the default)")
	ttl := c.fs.Duration("ttl", 0, "how long verifiers may cache the list (e.g. 10m)")
	validFor := c.fs.Duration("valid-for", 0, "make each published list expire after this `DURATION` (validUntil)")
	return c.run(func(ctx context.Context) int {
		switch {
		case c.id == "":
			return c.usageErr("--id is required")
		case !strings.HasPrefix(c.id, "https://"):
			return c.usageErr("--id must be an https URL")
		case c.key == "":
			return c.usageErr("--key is required: a status list is published signed")
		case *purpose != status.PurposeRevocation && *purpose != status.PurposeSuspension:
			return c.usageErr("--purpose must be revocation or suspension")
		case *entries < status.MinEntries:
			return c.usageErr("--entries must be at least %d", status.MinEntries)
		case *ttl < 0 || *validFor < 0:
			return c.usageErr("--ttl and --valid-for must not be negative")
		}
		l, key, code := c.lists()
		if code >= 0 {
			return code
		}
		if *iss == "" {
			*iss = key.DID
		}
		err := l.Create(ctx, status.ListConfig{ID: c.id, Issuer: *iss, Purpose: *purpose, Entries: *entries, TTL: *ttl, ValidFor: *validFor})
		if err != nil {
			return c.fail(exitFor(err), err)
		}
		fmt.Fprintf(e.stderr, "created %s list %s (%d entries) in %s\n", *purpose, c.id, *entries, c.where())
		return c.publish(ctx, l, c.id)
	})
}

func newStatusAllocateCmd(e *env) *cobra.Command {
	c := newStatusCmd(e, "allocate (--store DIR | --db DB) --id URL", "allocate a status list entry for a new credential",
		`Allocates an index of the list for a new credential and prints the
credentialStatus entry (BitstringStatusListEntry) to put in it. An index is
never handed out twice.`, "0 allocated, 1 refused (no such list, list full), 2 usage error", false)
	return c.run(func(ctx context.Context) int {
		if c.id == "" {
			return c.usageErr("--id is required")
		}
		l, _, code := c.lists()
		if code >= 0 {
			return code
		}
		entry, err := l.Allocate(ctx, c.id)
		if err != nil {
			return c.fail(exitFor(err), err)
		}
		out, _ := json.MarshalIndent(entry, "", "  ")
		fmt.Fprintf(e.stdout, "%s\n", out)
		return exitOK
	})
}

// target is one list entry to act on.
type target struct {
	list  string
	index uint64
}

// targets reads --id/--index or --credential.
func (c *statusCmd) targets(index, cred string, purposes ...string) ([]target, int) {
	if cred == "" {
		if c.id == "" || index == "" {
			return nil, c.usageErr("give --id and --index, or --credential")
		}
		n, err := strconv.ParseUint(index, 10, 64)
		if err != nil {
			return nil, c.usageErr("--index must be a non-negative integer")
		}
		return []target{{c.id, n}}, -1
	}
	if index != "" {
		return nil, c.usageErr("--index and --credential exclude each other")
	}
	data, err := readInput(c.e, []string{cred})
	if err != nil {
		return nil, c.fail(exitUsage, err)
	}
	entries, errs, err := status.ParseEntries(data)
	if err != nil {
		return nil, c.fail(exitUsage, fmt.Errorf("%s: %w", cred, err))
	}
	if entries == nil { // a bare entry?
		e, err := status.ParseEntry(data)
		if err != nil {
			return nil, c.fail(exitRejected, fmt.Errorf("%s has no credentialStatus and is not a credentialStatus entry: %w", cred, err))
		}
		entries, errs = []status.Entry{e}, []error{nil}
	}
	var ts []target
	for i, en := range entries {
		if errs[i] != nil {
			return nil, c.fail(exitRejected, errs[i])
		}
		if en.Type != status.TypeBitstringEntry || (c.id != "" && en.ListCredential != c.id) {
			continue
		}
		for _, p := range purposes {
			if en.Purpose == p {
				ts = append(ts, target{en.ListCredential, en.Index})
			}
		}
	}
	if len(ts) == 0 {
		return nil, c.fail(exitRejected, fmt.Errorf("%s has no BitstringStatusListEntry with purpose %s", cred, strings.Join(purposes, " or ")))
	}
	return ts, -1
}

func newStatusChangeCmd(e *env, action, short, long, exit string) *cobra.Command {
	c := newStatusCmd(e, action+" (--store DIR | --db DB) (--id URL --index N | --credential FILE) [--key FILE [-o FILE]]", short, long, exit, true)
	name := "status " + action
	index := c.fs.String("index", "", "the credential's statusListIndex `N`")
	cred := c.fs.String("credential", "", "take the list and index from the entries of the credential in `FILE`")
	reason := c.fs.String("reason", "", "why (recorded with the change in --db's history)")
	return c.run(func(ctx context.Context) int {
		// Recorded with the change by --db (the history of status changes).
		ctx = status.WithChangeInfo(ctx, status.ChangeInfo{Reason: *reason, Actor: "badge " + name})
		purpose := status.PurposeSuspension
		if action == "revoke" {
			purpose = status.PurposeRevocation
		}
		ts, code := c.targets(*index, *cred, purpose)
		if code >= 0 {
			return code
		}
		l, _, code := c.lists()
		if code >= 0 {
			return code
		}
		changed := map[string]bool{}
		for _, t := range ts {
			var err error
			switch action {
			case "revoke":
				err = l.Revoke(ctx, t.list, t.index)
			case "suspend":
				err = l.Suspend(ctx, t.list, t.index)
			case "reinstate":
				err = l.Reinstate(ctx, t.list, t.index)
			}
			if err != nil {
				return c.fail(exitFor(err), err)
			}
			fmt.Fprintf(e.stderr, "%s: %s index %d\n", action+map[bool]string{true: "d", false: "ed"}[strings.HasSuffix(action, "e")], t.list, t.index)
			changed[t.list] = true
		}
		if len(changed) > 1 && c.key != "" {
			return c.fail(exitUsage, errors.New("entries in several lists changed: publish each with \"badge status publish\""))
		}
		for id := range changed {
			return c.publish(ctx, l, id)
		}
		return exitOK
	})
}

// showReport is the --json output of "status show".
type showReport struct {
	ID        string       `json:"id"`
	Issuer    string       `json:"issuer"`
	Purpose   string       `json:"statusPurpose"`
	Entries   int          `json:"entries"`
	Size      int          `json:"statusSize"`
	Allocated uint64       `json:"allocated"`
	Set       int          `json:"set"`
	Statuses  []showStatus `json:"statuses,omitempty"`
}

type showStatus struct {
	List  string `json:"list"`
	Index uint64 `json:"index"`
	Value uint64 `json:"value"`
	State string `json:"status"`
}

func newStatusShowCmd(e *env) *cobra.Command {
	c := newStatusCmd(e, "show (--store DIR | --db DB) [--id URL] [--index N | --credential FILE] [--json]", "show a status list or the status of entries",
		`Without --id, lists the stored lists. With --id, shows the list: purpose,
length, how many indexes are allocated and how many are set. With --index
or --credential, shows the status of those entries.`, "0 shown, 1 no such list, 2 usage error", false)
	index := c.fs.String("index", "", "show the status of index `N`")
	cred := c.fs.String("credential", "", "show the status of the entries of the credential in `FILE`")
	asJSON := c.fs.Bool("json", false, "print JSON")
	return c.run(func(ctx context.Context) int {
		store, err := c.openStore(ctx)
		if err != nil {
			return c.fail(exitUsage, err)
		}
		if c.id == "" && *cred == "" {
			if *index != "" {
				return c.usageErr("--index needs --id")
			}
			ids, err := store.IDs(ctx)
			if err != nil {
				return c.fail(exitRejected, err)
			}
			if *asJSON {
				if ids == nil {
					ids = []string{}
				}
				out, _ := json.MarshalIndent(ids, "", "  ")
				fmt.Fprintf(e.stdout, "%s\n", out)
				return exitOK
			}
			for _, id := range ids {
				fmt.Fprintln(e.stdout, id)
			}
			return exitOK
		}
		var ts []target
		if *index != "" || *cred != "" {
			var code int
			if ts, code = c.targets(*index, *cred, status.PurposeRevocation, status.PurposeSuspension, status.PurposeMessage, status.PurposeRefresh); code >= 0 {
				return code
			}
		}
		id := c.id
		if id == "" {
			id = ts[0].list
		}
		st, err := store.Load(ctx, id)
		if err != nil {
			return c.fail(exitRejected, err)
		}
		rep := showReport{ID: st.ID, Issuer: st.Issuer, Purpose: st.Purpose, Entries: st.Entries, Size: st.Size, Allocated: st.Allocated, Set: st.SetEntries()}
		for _, t := range ts {
			ls, err := store.Load(ctx, t.list)
			if err != nil {
				return c.fail(exitRejected, err)
			}
			v, state, err := ls.EntryStatus(t.index)
			if err != nil {
				return c.fail(exitRejected, err)
			}
			rep.Statuses = append(rep.Statuses, showStatus{List: t.list, Index: t.index, Value: v, State: state})
		}
		if *asJSON {
			out, _ := json.MarshalIndent(rep, "", "  ")
			fmt.Fprintf(e.stdout, "%s\n", out)
			return exitOK
		}
		fmt.Fprintf(e.stdout, "list %s\nissuer %s\npurpose %s\nentries %d (%d bit%s each)\nallocated %d\nset %d\n",
			rep.ID, rep.Issuer, rep.Purpose, rep.Entries, rep.Size, plural(rep.Size), rep.Allocated, rep.Set)
		for _, s := range rep.Statuses {
			fmt.Fprintf(e.stdout, "%s index %d: %s\n", s.List, s.Index, s.State)
		}
		return exitOK
	})
}

func newStatusPublishCmd(e *env) *cobra.Command {
	c := newStatusCmd(e, "publish (--store DIR | --db DB) --id URL --key FILE [-o FILE]", "sign a status list for publication",
		`Signs the list as it stands and prints it (or writes it with -o). Publish
after every change, and before validUntil if the list has --valid-for.`, "0 published, 1 no such list or signing refused, 2 usage error", true)
	return c.run(func(ctx context.Context) int {
		if c.id == "" || c.key == "" {
			return c.usageErr("--id and --key are required")
		}
		l, _, code := c.lists()
		if code >= 0 {
			return code
		}
		return c.publish(ctx, l, c.id)
	})
}

// The status flags of the commands that verify live here:
// opts := addStatusFlags(fs, net) before parsing, and
// cfg.Status, err = newVerifyStatus(e, opts, cfg) after.

// statusVerifyOptions are the values of the status flags of "badge verify".
type statusVerifyOptions struct {
	skip bool
	net  *networkFlags // --network-status (or --network) fetches lists
	docs statusDocFlags
	// http configures the network fetcher (tests use an httptest client
	// and allow loopback).
	http status.HTTPConfig
}

// statusDocFlags collects --status-doc URL=FILE.
type statusDocFlags []string

func (d *statusDocFlags) String() string { return strings.Join(*d, ",") }
func (d *statusDocFlags) Type() string   { return "URL=FILE" }
func (d *statusDocFlags) Set(s string) error {
	url, file, ok := strings.Cut(s, "=")
	if !ok || url == "" || file == "" {
		return errors.New("--status-doc wants URL=FILE")
	}
	*d = append(*d, s)
	return nil
}

// addStatusFlags registers --skip-status and --status-doc on fs; net holds
// the network flags, registered by the caller, that let lists be fetched.
func addStatusFlags(fs *pflag.FlagSet, net *networkFlags) *statusVerifyOptions {
	o := &statusVerifyOptions{net: net}
	fs.BoolVar(&o.skip, "skip-status", false, "do not check credentialStatus (reported as a warning)")
	fs.Var(&o.docs, "status-doc", "use FILE as the status list (or 1EdTech revocation list) at URL; repeatable; tried before the network")
	return o
}

// network reports whether status lists may be fetched over the network.
func (o *statusVerifyOptions) network() bool { return o.net != nil && o.net.allowStatus() }

// newVerifyStatus returns the verifier.Config.Status for the flags: nil
// with --skip-status; otherwise verifier.NewStatusChecker for cfg (the
// verify command's configuration), fetching from statusFetcher, and from
// nowhere without --status-doc or the network (every status is then
// unknown, and fails).
func newVerifyStatus(e *env, o *statusVerifyOptions, cfg verifier.Config) (verifier.Status, error) {
	if o.skip {
		if o.network() || len(o.docs) > 0 {
			return nil, fmt.Errorf("%w: --skip-status excludes --network-status (or --network) and --status-doc", errUsage)
		}
		return nil, nil
	}
	f, err := statusFetcher(e, o.docs, o.network(), o.http)
	if err != nil {
		return nil, err
	}
	c, err := verifier.NewStatusChecker(cfg, f)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// statusFetcher returns where the commands that verify get status lists:
// the --status-doc files first, then, when network is set, HTTPS (cached
// for each list's ttl). It returns nil when there is neither.
func statusFetcher(e *env, docs statusDocFlags, network bool, hc status.HTTPConfig) (status.Fetcher, error) {
	var chain status.ChainFetcher
	if len(docs) > 0 {
		m := map[string][]byte{}
		for _, d := range docs {
			url, file, _ := strings.Cut(d, "=")
			data, err := readInput(e, []string{file})
			if err != nil {
				return nil, fmt.Errorf("--status-doc %s: %w", url, err)
			}
			m[url] = data
		}
		chain = append(chain, status.NewStaticFetcher(m))
	}
	if network {
		hf, err := status.NewHTTPFetcher(hc)
		if err != nil {
			return nil, err
		}
		chain = append(chain, status.NewCache(hf, status.CacheConfig{}))
	}
	switch len(chain) {
	case 0:
		return nil, nil
	case 1:
		return chain[0], nil
	}
	return chain, nil
}
