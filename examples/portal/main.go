// Command portal is a self-service and agent portal built on the library
// with net/http and html/template, and a JSON API under /api. Requesters
// browse the catalog and order, follow their requests and report incidents;
// approvers approve or reject requests, CAB members changes; agents work a
// queue ordered by priority with the SLA time left and complete fulfilment
// tasks; every process's lifecycle is drawn from its definition.
//
//	go run ./examples/portal              # then open http://127.0.0.1:8080
//	go run ./examples/portal -addr 127.0.0.1:9000
//
// Everything lives in memory and is seeded at start. Sign-in is choosing
// one of the seeded users; authorization is enforced all the same: a
// requester sees only their own records, only approvers decide, and a
// refusal is a 403 that has changed nothing. Because sign-in proves nothing,
// the portal listens on loopback addresses only.
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
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on (a loopback address)")
	flag.Parse()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *addr, logger); err != nil {
		logger.Error("portal", "err", err)
		os.Exit(1)
	}
}

// run serves the portal on addr until ctx is done.
func run(ctx context.Context, addr string, logger *slog.Logger) error {
	if err := loopbackOnly(addr); err != nil {
		return err
	}
	w, err := newWorld(ctx, nil, logger)
	if err != nil {
		return err
	}
	ctx, cancelWorld := context.WithCancel(ctx)
	defer cancelWorld()
	worldDone := make(chan error, 1)
	go func() { worldDone <- w.run(ctx) }()
	srv, err := newServer(w, Config{Logger: logger})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	logger.Info("portal listening", "url", "http://"+ln.Addr().String())
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case err := <-worldDone:
		_ = hs.Close()
		return err
	case <-ctx.Done():
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

// loopbackOnly refuses an address that is not on a loopback interface.
func loopbackOnly(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("address %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("address %q: the portal listens on loopback addresses only (127.0.0.1, ::1)", addr)
	}
	return nil
}
