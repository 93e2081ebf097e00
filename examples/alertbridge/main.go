// Command alertbridge turns monitoring alerts into incidents: it receives
// Prometheus Alertmanager webhooks and PagerDuty Events API v2 events on a
// loopback address, feeds them to an event.Engine, and lets the engine
// open an incident per alert group on an in-memory incident desk and
// resolve it when the alerts clear. Every incident opened, resolved or
// reopened is logged.
//
//	go run ./examples/alertbridge -secret s3cret
//	go run ./examples/alertbridge -addr 127.0.0.1:9094 -secret s3cret
//
// Senders authenticate with "Authorization: Bearer <secret>". See README.md
// for the Alertmanager receiver configuration.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:9094", "address to listen on (a loopback address)")
	secret := flag.String("secret", os.Getenv("ALERTBRIDGE_SECRET"), "bearer token senders must present (default $ALERTBRIDGE_SECRET)")
	wait := flag.Duration("group-wait", 30*time.Second, "how long a new group waits for the rest of its outage before its incident opens (negative: none)")
	flag.Parse()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *addr, Config{Secret: *secret, Logger: logger, GroupWait: *wait}); err != nil {
		logger.Error("alertbridge", "err", err)
		os.Exit(1)
	}
}

// run serves the bridge on addr until ctx is done, sweeping the engine
// every 10 seconds.
func run(ctx context.Context, addr string, cfg Config) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("address %q: the bridge listens on loopback addresses only", addr)
	}
	b, err := newBridge(cfg)
	if err != nil {
		return err
	}
	if err := b.engine.Start(ctx); err != nil {
		return err
	}
	go b.disp.Run(ctx) //nolint:errcheck // returns nil when ctx ends
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: b, ReadHeaderTimeout: 10 * time.Second}
	cfg.Logger.Info("alertbridge listening", "alertmanager", "http://"+ln.Addr().String()+"/alertmanager",
		"pagerduty", "http://"+ln.Addr().String()+"/pagerduty")
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	tick := time.NewTicker(10 * time.Second) // within the group wait (30s), and for the heartbeats
	defer tick.Stop()
wait:
	for {
		select {
		case err := <-done:
			return err
		case now := <-tick.C:
			if _, err := b.engine.Sweep(ctx, now); err != nil {
				cfg.Logger.Error("sweep", "err", err)
			}
		case <-ctx.Done():
			break wait
		}
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
