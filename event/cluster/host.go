package cluster

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/synadia-io/orbit.go/pcgroups"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/event"
	"github.com/itil-go/itil/lifecycle"
)

// Host is one host of a deployment that runs event management across
// hosts: it publishes the events it accepts to their partitions, and
// applies the events of the partitions it owns. It is safe for concurrent
// use.
type Host struct {
	cfg  Config
	keys *event.Engine // places events in partitions and runs the reactions; never ingests

	mu      sync.Mutex
	started bool
	stop    context.CancelFunc
	members []pcgroups.ConsumerGroupConsumeContext
	parts   []*partition
	wg      sync.WaitGroup

	published, deadLetters, takeovers, batches atomic.Int64
}

// New returns a host. It does no I/O: Setup creates the stream and the
// consumer group, Start joins it.
//
// Errors: a *itil.ValidationError naming the Config field, or the one
// event.NewEngine returns for Config.Engine.
func New(cfg Config) (*Host, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	keys, err := event.NewEngine(cfg.Store, cfg.Engine)
	if err != nil {
		return nil, fmt.Errorf("cluster: Engine: %w", err)
	}
	return &Host{cfg: cfg, keys: keys}, nil
}

// Setup creates the stream and the static partitioned consumer group, or
// checks that those that exist match the Config. Every host may call it;
// the first creates, the others find. The stream keeps a message until
// its partition's owner acknowledges it (interest retention), on files,
// replicated as replicas says (0 or 1 for a single server).
func (h *Host) Setup(ctx context.Context, replicas int) error {
	subjects := make([]string, h.cfg.Partitions)
	for p := range subjects {
		subjects[p] = h.cfg.subject(p)
	}
	_, err := h.cfg.JetStream.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:      h.cfg.Stream,
		Subjects:  subjects,
		Retention: jetstream.InterestPolicy,
		Storage:   jetstream.FileStorage,
		Replicas:  max(replicas, 1),
	})
	if err != nil {
		return fmt.Errorf("cluster: the stream %s: %w", h.cfg.Stream, err)
	}
	members := make([]string, h.cfg.Partitions)
	for p := range members {
		members[p] = member(p)
	}
	if _, err := pcgroups.CreateStatic(ctx, h.cfg.JetStream, h.cfg.Stream, h.cfg.Group, uint(h.cfg.Partitions),
		[]string{h.cfg.Subject}, members, nil); err != nil {
		return fmt.Errorf("cluster: the consumer group %s: %w", h.cfg.Group, err)
	}
	return nil
}

// Start joins every member of the consumer group, one per partition:
// JetStream pins each member's consumer to one host at a time, and the
// others wait as hot standbys. When the pinned host stops pulling for
// AckWait, a standby is pinned and takes the partition over: it resumes
// the partition's open alerts from the store and is redelivered what the
// host before it had not acknowledged. The Preferred partitions are
// joined at once, the others AckWait later. The host runs until Stop; ctx
// bounds the joining of the preferred partitions.
func (h *Host) Start(ctx context.Context) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.started {
		return errors.New("cluster: the host has started")
	}
	run, stop := context.WithCancel(context.WithoutCancel(ctx))
	parts := make([]*partition, h.cfg.Partitions)
	for p := range parts {
		parts[p] = &partition{h: h, n: p, msgs: make(chan jetstream.Msg, 4*h.cfg.Batch)}
	}
	preferred := h.cfg.Preferred
	if preferred == nil {
		for p := range parts {
			preferred = append(preferred, p)
		}
	}
	var later []int
	for p := range parts {
		if !slices.Contains(preferred, p) {
			later = append(later, p)
		}
	}
	h.started, h.stop, h.parts = true, stop, parts
	for _, p := range preferred {
		if err := h.join(ctx, run, parts[p]); err != nil {
			for _, m := range h.members {
				m.Stop()
			}
			h.members = nil
			stop()
			return err
		}
	}
	for _, pt := range parts {
		h.wg.Add(1)
		go func() {
			defer h.wg.Done()
			pt.run(run)
		}()
	}
	if len(later) > 0 {
		h.wg.Add(1)
		go func() {
			defer h.wg.Done()
			select {
			case <-run.Done():
				return
			case <-time.After(h.cfg.AckWait):
			}
			h.mu.Lock()
			defer h.mu.Unlock()
			for _, p := range later {
				if run.Err() != nil {
					return
				}
				if err := h.join(run, run, parts[p]); err != nil {
					h.log().Error("joining a partition as its standby failed", slog.Int("partition", p), slog.Any("error", err))
				}
			}
		}()
	}
	return nil
}

// join joins the member of partition pt, whose messages go to pt until
// run ends. h.mu is held.
func (h *Host) join(ctx, run context.Context, pt *partition) error {
	cc, err := pcgroups.StaticConsume(ctx, h.cfg.JetStream, h.cfg.Stream, h.cfg.Group, member(pt.n),
		func(m jetstream.Msg) {
			select {
			case pt.msgs <- m:
			case <-run.Done():
			}
		},
		jetstream.ConsumerConfig{
			AckPolicy:     jetstream.AckExplicitPolicy,
			AckWait:       h.cfg.AckWait,
			MaxAckPending: 4 * h.cfg.Batch,
		})
	if err != nil {
		return fmt.Errorf("cluster: joining member %s: %w", member(pt.n), err)
	}
	h.members = append(h.members, cc)
	return nil
}

// Stop leaves the consumer group: each partition finishes the batch it is
// applying (saving it and acknowledging it), its engine is flushed, and
// its standby takes it over once AckWait has passed. ctx bounds the
// final flushes.
func (h *Host) Stop(ctx context.Context) error {
	h.mu.Lock()
	if h.stop != nil {
		h.stop() // under mu: no standby joins after this
	}
	members, parts := h.members, h.parts
	h.members, h.parts, h.stop = nil, nil, nil
	h.mu.Unlock()
	for _, m := range members {
		m.Stop()
	}
	h.wg.Wait()
	var errs []error
	for _, pt := range parts {
		if e := pt.current(); e != nil {
			if _, err := e.Flush(ctx); err != nil {
				errs = append(errs, fmt.Errorf("cluster: partition %d: %w", pt.n, err))
			}
		}
	}
	return errors.Join(errs...)
}

// Ingest validates every event, then publishes each to its partition and
// waits until JetStream has stored them all. When any event is invalid it
// returns a *itil.ValidationError naming it ("events[2].severity") and
// publishes none. An event without ReceivedAt gets the host's clock's
// time, so that every host sees it received when this one did. The
// events are applied by their partitions' owners, in the order of each
// partition.
func (h *Host) Ingest(ctx context.Context, events ...event.Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	bodies := make([][]byte, len(events))
	now := h.now()
	for i := range events {
		ev := events[i]
		if err := ev.Validate(fmt.Sprintf("events[%d]", i)); err != nil {
			return err
		}
		if ev.ReceivedAt.IsZero() {
			ev.ReceivedAt = now
		}
		b, err := encode(ev)
		if err != nil {
			return fmt.Errorf("cluster: events[%d]: %w", i, err)
		}
		if len(b) > MaxMessage {
			return itil.Invalid(fmt.Sprintf("events[%d]", i), fmt.Sprintf("%d bytes encoded, over %d", len(b), MaxMessage))
		}
		bodies[i] = b
	}
	acks := make([]jetstream.PubAckFuture, len(events))
	for i, b := range bodies {
		f, err := h.cfg.JetStream.PublishAsync(h.cfg.subject(h.Partition(&events[i])), b)
		if err != nil {
			return fmt.Errorf("cluster: publishing events[%d]: %w", i, err)
		}
		acks[i] = f
	}
	var errs []error
	for i, f := range acks {
		select {
		case <-f.Ok():
			h.published.Add(1)
		case err := <-f.Err():
			errs = append(errs, fmt.Errorf("cluster: publishing events[%d]: %w", i, err))
		case <-ctx.Done():
			return errors.Join(append(errs, ctx.Err())...)
		}
	}
	return errors.Join(errs...)
}

// Sweep publishes a sweep tick at now to every partition: each
// partition's owner, whichever host that is, sweeps its engine at now
// (see event.Engine.Sweep) in order with the partition's events, once per
// instant however many hosts tick. A host calls it on a ticker, as it
// would call the engine's Sweep.
func (h *Host) Sweep(ctx context.Context, now time.Time) error {
	acks := make([]jetstream.PubAckFuture, h.cfg.Partitions)
	for p := range acks {
		m := nats.NewMsg(h.cfg.subject(p))
		m.Header.Set(HeaderSweep, now.UTC().Format(time.RFC3339Nano))
		f, err := h.cfg.JetStream.PublishMsgAsync(m)
		if err != nil {
			return fmt.Errorf("cluster: sweep tick to partition %d: %w", p, err)
		}
		acks[p] = f
	}
	var errs []error
	for p, f := range acks {
		select {
		case <-f.Ok():
		case err := <-f.Err():
			errs = append(errs, fmt.Errorf("cluster: sweep tick to partition %d: %w", p, err))
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return errors.Join(errs...)
}

// Reactions are the subscriptions that bring incidents in line with the
// alerts (see event.Engine.Reactions), for the host's
// lifecycle.Dispatcher; they read the alerts from the store, so any host
// runs them for every partition.
func (h *Host) Reactions() []lifecycle.Subscription { return h.keys.Reactions() }

// Find yields the stored alerts that match q, from every partition (see
// event.Engine.Find).
func (h *Host) Find(ctx context.Context, q event.Query) iter.Seq2[*event.Alert, error] {
	return h.keys.Find(ctx, q)
}

// Owned returns the partitions whose events this host applies now, in
// order: those it runs an engine for and whose consumer JetStream has
// pinned to it.
func (h *Host) Owned(ctx context.Context) ([]int, error) {
	h.mu.Lock()
	parts := h.parts
	h.mu.Unlock()
	var out []int
	for _, pt := range parts {
		pt.mu.Lock()
		pin, running := pt.pin, pt.engine != nil
		pt.mu.Unlock()
		if !running || pin == "" {
			continue
		}
		now, err := pt.pinned(ctx)
		if err != nil {
			return nil, err
		}
		if now == pin {
			out = append(out, pt.n)
		}
	}
	return out, nil
}

// Stats counts what a host did since it started.
type Stats struct {
	// Published events (Ingest).
	Published int64
	// Batches applied, saved and acknowledged.
	Batches int64
	// Takeovers of a partition: the host was pinned to it anew and
	// resumed its alerts from the store.
	Takeovers int64
	// DeadLetters are messages that did not decode or came in the wrong
	// partition, published to Config.DeadLetter and acknowledged.
	DeadLetters int64
	// Engine sums the counters of the partitions' engines this host runs
	// now (Replays among them).
	Engine event.Stats
}

// Stats returns the host's counters.
func (h *Host) Stats() Stats {
	s := Stats{Published: h.published.Load(), Batches: h.batches.Load(), Takeovers: h.takeovers.Load(), DeadLetters: h.deadLetters.Load()}
	h.mu.Lock()
	parts := h.parts
	h.mu.Unlock()
	for _, pt := range parts {
		if e := pt.current(); e != nil {
			es := e.Stats()
			s.Engine.Events += es.Events
			s.Engine.Duplicates += es.Duplicates
			s.Engine.Opened += es.Opened
			s.Engine.Cleared += es.Cleared
			s.Engine.Suppressed += es.Suppressed
			s.Engine.Orphans += es.Orphans
			s.Engine.Replays += es.Replays
			s.Engine.Restored += es.Restored
		}
	}
	return s
}

func (h *Host) now() time.Time {
	if h.cfg.Engine.Now != nil {
		return h.cfg.Engine.Now()
	}
	return time.Now()
}

func (h *Host) log() *slog.Logger { return h.cfg.Logger.With(slog.String("host", h.cfg.Name)) }
