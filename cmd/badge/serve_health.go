package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/spf13/cobra"
)

// defaultHealthURL is what "badge serve healthcheck" asks when neither
// --url nor BADGE_HEALTH_URL says otherwise: badge serve's default address.
const defaultHealthURL = "http://127.0.0.1:8080/healthz"

func init() { register("serve", newServeHealthCmd) }

func newServeHealthCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "healthcheck [--url URL]",
		Short: "check that a running badge serve is alive (for container health checks)",
		Long: `Asks a running badge serve whether it is alive (GET /healthz) and exits 0
if it answers 200, 1 otherwise: the HEALTHCHECK of the container image,
which has no shell or curl. The URL is --url, or $BADGE_HEALTH_URL, or
` + defaultHealthURL + `. A server on loopback with a self-signed
certificate is accepted as it is.`,
		Annotations: map[string]string{annotationExit: "0 healthy, 1 not, 2 usage error"},
		Args:        maxArgs(0, ""),
	}
	url := cmd.Flags().String("url", "", "the health endpoint's `URL`")
	cmd.RunE = runInt(func(cmd *cobra.Command, _ []string) int {
		u := *url
		if u == "" {
			u = os.Getenv("BADGE_HEALTH_URL")
		}
		if u == "" {
			u = defaultHealthURL
		}
		return serveHealthcheck(cmd.Context(), e, u)
	})
	return cmd
}

func serveHealthcheck(ctx context.Context, e *env, url string) int {
	ctx, cancel := context.WithTimeout(ctx, 4*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		fmt.Fprintf(e.stderr, "badge serve healthcheck: %v\n", err)
		return exitUsage
	}
	// The check runs beside the server it checks, which may serve a
	// self-signed certificate: on loopback what matters is that it
	// answers. Elsewhere the certificate is checked as usual.
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if host := req.URL.Hostname(); host == "localhost" || net.ParseIP(host).IsLoopback() {
		tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true}
	}
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		fmt.Fprintf(e.stderr, "badge serve healthcheck: %v\n", err)
		return exitRejected
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintf(e.stderr, "badge serve healthcheck: %s answered %s\n", url, resp.Status)
		return exitRejected
	}
	return exitOK
}
