package main

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/itil-go/itil/event"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/memstore"
)

// Config configures the bridge.
type Config struct {
	// Secret is the bearer token senders must present; required.
	Secret string
	// Logger receives the incidents raised and the handlers' failures.
	// Default slog.Default().
	Logger *slog.Logger
	// GroupWait is how long a new Alertmanager group or PagerDuty alert
	// waits for the rest of its outage before its incident opens, as
	// Alertmanager's group_wait (see event.IncidentConfig.GroupWait).
	// Default 30s; negative: none.
	GroupWait time.Duration
}

// bridge is the HTTP side of the engine: one handler per source, and a
// read-only list of the incidents.
type bridge struct {
	engine *event.Engine
	desk   *incident.Desk
	// disp runs the work that follows the engine's and the desk's changes:
	// an alert's incident when the inline attempt failed (a sender that
	// hung up, a desk that refused for a while), a parent's children.
	disp *lifecycle.Dispatcher
	mux  *http.ServeMux
}

// newBridge builds an incident desk and an event engine over one
// in-memory store, and the handlers that feed the engine.
func newBridge(cfg Config) (*bridge, error) {
	if cfg.Secret == "" {
		return nil, errors.New("a secret is required: pass -secret or set ALERTBRIDGE_SECRET")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	st := memstore.New(memstore.Config{})
	desk, err := incident.NewDesk(st, incident.Config{Logger: cfg.Logger})
	if err != nil {
		return nil, err
	}
	engine, err := event.NewEngine(st, event.Config{
		Logger: cfg.Logger,
		// No correlation rules: the alerts of one Alertmanager group (its
		// route's group_by) raise one incident between them, as
		// Alertmanager sends one notification per group.
		Incidents: event.IncidentConfig{
			Desk:      loggingDesk{Desk: desk, log: cfg.Logger},
			Rules:     []event.IncidentRule{{Name: "warning-and-up", MinSeverity: event.SeverityWarning}},
			GroupWait: cfg.GroupWait,
		},
	})
	if err != nil {
		return nil, err
	}
	disp, err := lifecycle.NewDispatcher(st, append(engine.Reactions(), desk.Reactions()...),
		lifecycle.DispatcherConfig{Logger: cfg.Logger})
	if err != nil {
		return nil, err
	}
	b := &bridge{engine: engine, desk: desk, disp: disp, mux: http.NewServeMux()}
	hc := event.HandlerConfig{Secret: cfg.Secret, Logger: cfg.Logger}
	b.mux.Handle("/alertmanager", event.AlertmanagerHandler(engine, hc))
	b.mux.Handle("/pagerduty", event.PagerDutyHandler(engine, hc))
	b.mux.Handle("/v2/enqueue", event.PagerDutyHandler(engine, hc)) // PagerDuty's own path
	b.mux.HandleFunc("GET /incidents", b.incidents)
	return b, nil
}

// ServeHTTP serves the handlers.
func (b *bridge) ServeHTTP(w http.ResponseWriter, r *http.Request) { b.mux.ServeHTTP(w, r) }

// incidents lists the incidents the bridge raised, as JSON.
func (b *bridge) incidents(w http.ResponseWriter, r *http.Request) {
	out := []*incident.Incident{}
	for inc, err := range b.desk.Find(r.Context(), incident.Query{}) {
		if err != nil {
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		out = append(out, inc)
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

// loggingDesk is the incident desk as the engine uses it, logging every
// incident it opens, resolves or reopens.
type loggingDesk struct {
	*incident.Desk
	log *slog.Logger
}

var _ event.Desk = loggingDesk{}

// Open opens the incident and logs it.
func (d loggingDesk) Open(ctx context.Context, dr incident.Draft) (*incident.Incident, error) {
	inc, err := d.Desk.Open(ctx, dr)
	if err == nil {
		d.log.InfoContext(ctx, "incident opened", "incident", inc.Number, "priority", inc.Priority, "title", inc.Title)
	}
	return inc, err
}

// Resolve resolves the incident and logs it.
func (d loggingDesk) Resolve(ctx context.Context, p incident.ResolveParams) (*incident.Incident, error) {
	inc, err := d.Desk.Resolve(ctx, p)
	if err == nil {
		d.log.InfoContext(ctx, "incident resolved", "incident", inc.Number, "notes", p.Note)
	}
	return inc, err
}

// Reopen reopens the incident and logs it.
func (d loggingDesk) Reopen(ctx context.Context, p incident.Params) (*incident.Incident, error) {
	inc, err := d.Desk.Reopen(ctx, p)
	if err == nil {
		d.log.InfoContext(ctx, "incident reopened", "incident", inc.Number, "reason", p.Note)
	}
	return inc, err
}
