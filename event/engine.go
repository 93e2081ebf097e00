package event

import (
	"context"
	"fmt"
	"hash/maphash"
	"iter"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Engine ingests events, folds them into alerts, suppresses, correlates and
// detects flapping, watches heartbeats and raises incidents. It is safe for
// concurrent use.
//
// Its Get, GetByNumber and Journal, from the embedded lifecycle.Records,
// read alerts as last persisted, open or closed; Alert and Alerts read the
// live ones.
type Engine struct {
	lifecycle.Records[*Alert]

	cfg    Config
	store  lifecycle.Store
	def    *lifecycle.Definition
	proc   *lifecycle.Process[*Alert]
	seed   maphash.Seed
	shards []shard
	mask   uint64

	maintMu sync.Mutex
	maint   atomic.Pointer[[]*maintenance]
	beatMu  sync.Mutex
	beats   atomic.Pointer[map[string]*heartbeat]
	inhibit []*inhibitRule

	startMu  sync.Mutex   // held while Start runs
	ready    atomic.Bool  // Start has taken over the stored alerts
	started  time.Time    // when Start ran, by cfg.Now; written before ready
	restored atomic.Int64 // open alerts taken over from the store

	settling [64]sync.Mutex // by group: one host's automation of a group at a time

	mu     sync.Mutex // guards groups, byID and down
	groups map[string]*group
	byID   map[uuid.UUID]*group
	down   map[string]map[*alert]struct{} // CI → its open alerts at DownSeverity or above
}

// shard is one part of the in-memory alert map, with its own lock and
// counters. What every event writes shares the first cache line; shards
// are a multiple of the line apart, so they share none.
type shard struct {
	mu                 sync.RWMutex
	events, duplicates atomic.Int64
	_                  [64 - 24 - 16]byte
	alerts             map[string]*alert // by dedup key; mu guards it
	opened, cleared    atomic.Int64
	suppressed         atomic.Int64
	orphans            atomic.Int64
	replays            atomic.Int64
	recent             map[string]flapMemory // histories of cleared alerts, by key; mu guards it
}

// alert is an open alert as the engine holds it. mu guards everything; the
// engine persists rec on lifecycle changes.
//
// A duplicate event reads and writes only the alert itself, five cache
// lines, and not the rest, alertCold, which is allocated apart so that the
// hot parts of many alerts pack densely. count, lastSeen, message and last
// are the live values of rec's fields of those names, and the flap ring
// holds its FlapPercent; sync copies them into rec. severity, flapping and
// suppressed mirror rec's Severity, Flapping and State, and are written
// with them.
type alert struct {
	// The first cache line holds what a lookup and the lock need and what
	// every event reads and writes, so that one miss brings them all.
	mu         sync.Mutex
	key        string // rec.DedupKey
	count      int64
	gone       bool // cleared and removed from its shard
	suppressed bool // rec.State is StateSuppressed
	flapping   bool
	severity   Severity
	inChange   bool
	moreTarget bool // targets has more than target
	flap       flapRing

	lastSeen time.Time
	message  string
	target   *inhibitKey // the first of targets, or nil
	last     Event
	*alertCold
}

// alertCold is the part of an alert that lifecycle changes read and write.
type alertCold struct {
	rec       Alert
	shard     *shard
	changeAt  time.Time // when ChangeWindows was last asked
	isDown    bool
	heartbeat bool
	group     *group
	targets   []*inhibitKey // keys of the inhibition rules the alert is a target of
	sources   []*inhibitKey // keys of the rules the alert counts as an open source for
	suppLast  Event
	hist      historyRing
	saved     int64 // count when the alert was last persisted
}

// sync copies the live fields into rec. a.mu is held.
func (a *alert) sync() {
	a.rec.Count, a.rec.LastSeen, a.rec.Message, a.rec.Last = a.count, a.lastSeen, a.message, a.last
	a.rec.FlapPercent = a.flap.percent()
}

// setSeverity sets the current severity. a.mu is held.
func (a *alert) setSeverity(s Severity) { a.rec.Severity, a.severity = s, s }

// setFlapping sets whether the alert flaps. a.mu is held.
func (a *alert) setFlapping(f bool) { a.rec.Flapping, a.flapping = f, f }

// setRecord takes the stored record's fields after a write, which saved
// the live count. a.mu is held.
func (a *alert) setRecord(r lifecycle.Record) {
	a.rec.Record = r
	a.saved = a.count
	a.suppressed = r.State == StateSuppressed
}

// NewEngine returns an engine that persists alerts in st. It checks cfg
// and does no I/O: Start, or else the first call that needs the alerts,
// takes over the open alerts st holds (see the package documentation,
// Restarts).
//
// Errors: a *itil.ValidationError naming the bad Config field, or "store"
// when st is nil.
func NewEngine(st lifecycle.Store, cfg Config) (*Engine, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	def, err := cfg.lifecycle()
	if err != nil {
		return nil, err
	}
	proc, err := lifecycle.NewProcess[Alert](st, def, lifecycle.ProcessConfig{Prefix: "ALR", Now: cfg.Now})
	if err != nil {
		return nil, err
	}
	e := &Engine{
		Records: proc.Records(),
		cfg:     cfg,
		store:   st,
		def:     def,
		proc:    proc,
		seed:    maphash.MakeSeed(),
		shards:  make([]shard, cfg.Shards),
		mask:    uint64(cfg.Shards - 1),
		groups:  make(map[string]*group),
		byID:    make(map[uuid.UUID]*group),
		down:    make(map[string]map[*alert]struct{}),
	}
	for i := range e.shards {
		e.shards[i].alerts = make(map[string]*alert)
	}
	for i := range cfg.Inhibit {
		e.inhibit = append(e.inhibit, newInhibitRule(cfg.Inhibit[i]))
	}
	ms := make([]*maintenance, 0, len(cfg.Maintenance))
	for _, w := range cfg.Maintenance {
		ms = append(ms, newMaintenance(w))
	}
	e.maint.Store(&ms)
	return e, nil
}

// Lifecycle returns the engine's alert lifecycle: Lifecycle() with
// Config.Fields declared.
func (e *Engine) Lifecycle() *lifecycle.Definition { return e.def }

// Start takes over the open alerts the store holds, so that a restarted
// host resumes them (see the package documentation, Restarts), and starts
// the ClearAfter clock. Call it once the host is ready to read its store;
// Ingest, Acknowledge, Edit, Alert, Alerts, Flush and Sweep call it when
// it has not run. It returns nil at once when it has run; after an error (the
// store's, or ctx's), the next call tries again.
func (e *Engine) Start(ctx context.Context) error {
	if e.ready.Load() {
		return nil
	}
	e.startMu.Lock()
	defer e.startMu.Unlock()
	if e.ready.Load() {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	e.started = e.cfg.Now()
	if err := e.restore(ctx); err != nil {
		return err
	}
	e.ready.Store(true)
	return nil
}

// begin checks ctx and starts the engine if it has not started.
func (e *Engine) begin(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if e.ready.Load() {
		return nil
	}
	return e.Start(ctx)
}

// Stats counts what an engine has seen since it started.
type Stats struct {
	// Events is every event ingested, acknowledgements included. An event
	// that was refused, or whose write failed, is counted nowhere.
	Events int64
	// Duplicates folded into an open alert; Opened alerts; Cleared alerts.
	Duplicates, Opened, Cleared int64
	// Suppressed events, recorded on their alerts.
	Suppressed int64
	// Orphans are ok events and acknowledgements for which no alert was
	// open.
	Orphans int64
	// Replays are events of a stream that an engine had applied already
	// (see Position), skipped.
	Replays int64
	// Restored is how many open alerts Start took over from the store;
	// Opened does not count them. An engine that takes over an alert
	// another host opened, at an event for it, counts it nowhere.
	Restored int64
}

// Stats returns the engine's counters.
func (e *Engine) Stats() Stats {
	s := Stats{Restored: e.restored.Load()}
	for i := range e.shards {
		sh := &e.shards[i]
		s.Events += sh.events.Load()
		s.Duplicates += sh.duplicates.Load()
		s.Opened += sh.opened.Load()
		s.Cleared += sh.cleared.Load()
		s.Suppressed += sh.suppressed.Load()
		s.Orphans += sh.orphans.Load()
		s.Replays += sh.replays.Load()
	}
	return s
}

// lookup returns the open alert with key, or nil.
func (e *Engine) lookup(key string) *alert {
	h := maphash.String(e.seed, key)
	sh := &e.shards[h&e.mask]
	sh.mu.RLock()
	a := sh.alerts[key]
	sh.mu.RUnlock()
	return a
}

// Alert returns a copy of the open alert with the given dedup key, with its
// live counters, or an error matching ErrNoAlert.
func (e *Engine) Alert(ctx context.Context, key string) (*Alert, error) {
	if err := e.begin(ctx); err != nil {
		return nil, err
	}
	for {
		a := e.lookup(key)
		if a == nil {
			return nil, fmt.Errorf("%q: %w", key, ErrNoAlert)
		}
		a.mu.Lock()
		if a.gone {
			a.mu.Unlock()
			continue
		}
		s := a.snapshot()
		a.mu.Unlock()
		return s, nil
	}
}

// Alerts yields copies of the open alerts, shard by shard, in no
// particular order.
func (e *Engine) Alerts(ctx context.Context) iter.Seq2[*Alert, error] {
	return func(yield func(*Alert, error) bool) {
		if err := e.begin(ctx); err != nil {
			yield(nil, err)
			return
		}
		for _, a := range e.all() {
			if err := ctx.Err(); err != nil {
				yield(nil, err)
				return
			}
			a.mu.Lock()
			if a.gone {
				a.mu.Unlock()
				continue
			}
			s := a.snapshot()
			a.mu.Unlock()
			if !yield(s, nil) {
				return
			}
		}
	}
}

func (e *Engine) all() []*alert {
	var out []*alert
	for i := range e.shards {
		sh := &e.shards[i]
		sh.mu.RLock()
		for _, a := range sh.alerts {
			out = append(out, a)
		}
		sh.mu.RUnlock()
	}
	return out
}

// checkActor checks the texts of an actor named field.
func checkActor(field string, by itil.Actor) error {
	if by.IsZero() {
		return invalid(field, "required")
	}
	if err := itil.CheckText(field+".id", by.ID, MaxKeyLen); err != nil {
		return err
	}
	if err := itil.CheckText(field+".name", by.Name, MaxKeyLen); err != nil {
		return err
	}
	return itil.CheckTexts(field+".groups", by.Groups, MaxKeyLen)
}

// snapshot returns a deep copy of the live alert. a.mu must be held.
func (a *alert) snapshot() *Alert {
	a.sync()
	s := a.rec
	s.History = a.hist.list()
	if a.rec.Suppressed.Last != nil {
		l := a.suppLast
		s.Suppressed.Last = &l
	}
	return s.Clone().(*Alert)
}
