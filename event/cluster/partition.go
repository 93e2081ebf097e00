package cluster

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/itil-go/itil/event"
)

// partition is one partition as a host runs it: the messages its member's
// consumer delivers, and the engine that applies them while the host is
// pinned to it.
type partition struct {
	h    *Host
	n    int
	msgs chan jetstream.Msg

	mu     sync.Mutex // guards engine for readers outside run
	engine *event.Engine
	pin    string    // the pin ID the engine was built under
	swept  time.Time // the latest sweep tick applied
	// applied is the stream sequence up to which the partition's messages
	// are applied and saved, under the engine's current ownership.
	applied uint64
}

// current returns the partition's engine, or nil.
func (pt *partition) current() *event.Engine {
	pt.mu.Lock()
	defer pt.mu.Unlock()
	return pt.engine
}

// run applies the partition's messages in batches until ctx ends: a
// batch is whatever has arrived, up to Config.Batch, so that a busy
// partition saves and acknowledges in large batches and a quiet one at
// once.
func (pt *partition) run(ctx context.Context) {
	batch := make([]jetstream.Msg, 0, pt.h.cfg.Batch)
	work := context.WithoutCancel(ctx) // a batch begun is finished
	for {
		select {
		case m := <-pt.msgs:
			batch = append(batch[:0], m)
		case <-ctx.Done():
			return
		}
	fill:
		for len(batch) < cap(batch) {
			select {
			case m := <-pt.msgs:
				batch = append(batch, m)
			default:
				break fill
			}
		}
		if !pt.settle(ctx, work, batch) {
			return
		}
		clear(batch)
	}
}

// settle applies a batch until it succeeds, or ctx ends (false). A batch
// that fails is applied again, on an engine resumed from the store,
// before any later message: the events of a key must be applied in their
// order for replays to be known. A batch that came under a pin that has
// moved on is left unacknowledged, for the new owner.
// Meanwhile JetStream is told the batch is in progress, so that it does
// not hand it to another host.
func (pt *partition) settle(ctx, work context.Context, batch []jetstream.Msg) bool {
	b := pt.prepare(batch)
	backoff := 10 * time.Millisecond
	for attempt := 0; ; attempt++ {
		err := pt.apply(work, &b)
		if errors.Is(err, errNotPinned) {
			return true // the batch is the new owner's, redelivered there
		}
		if err == nil {
			// Every message is acknowledged once what it changed is
			// saved. A lost acknowledgement means a redelivery, which
			// is skipped as applied.
			for _, m := range batch {
				if err := m.Ack(); err != nil {
					pt.h.log().Debug("acknowledging a message failed; it will be redelivered",
						slog.Int("partition", pt.n), slog.Any("error", err))
					break
				}
			}
			pt.h.batches.Add(1)
			return true
		}
		pt.drop()
		pt.h.log().Error("applying a batch failed; trying again on the partition's alerts as stored",
			slog.Int("partition", pt.n), slog.Int("messages", len(batch)), slog.Int("attempt", attempt+1), slog.Any("error", err))
		for _, m := range batch {
			_ = m.InProgress()
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, pt.h.cfg.AckWait/2)
	}
}

// errNotPinned: a batch came under a pin that has moved on to another
// host, which owns the partition now.
var errNotPinned = errors.New("cluster: the partition is pinned to another host")

// prepared is a batch decoded: its pin, events and sweep ticks. Messages
// that cannot be applied have gone to the dead-letter subject.
type prepared struct {
	pin   string
	evs   []event.Event
	ticks []tick
	last  uint64 // the highest stream sequence of the batch
}

// tick is a sweep tick at its stream sequence.
type tick struct {
	seq uint64
	at  time.Time
}

// prepare decodes a batch. A message that does not decode, or whose key
// belongs to another partition, is a dead letter.
func (pt *partition) prepare(batch []jetstream.Msg) prepared {
	var b prepared
	for _, m := range batch {
		if p := m.Headers().Get("Nats-Pin-Id"); p != "" {
			b.pin = p
		}
		md, err := m.Metadata()
		if err != nil {
			pt.deadLetter(m, 0, err)
			continue
		}
		b.last = max(b.last, md.Sequence.Stream)
		if v := m.Headers().Get(HeaderSweep); v != "" {
			t, err := decodeTick(v)
			if err != nil {
				pt.deadLetter(m, md.Sequence.Stream, err)
				continue
			}
			b.ticks = append(b.ticks, tick{md.Sequence.Stream, t})
			continue
		}
		ev, err := decode(m.Data())
		if err != nil {
			pt.deadLetter(m, md.Sequence.Stream, err)
			continue
		}
		if p := pt.h.Partition(&ev); p != pt.n {
			pt.deadLetter(m, md.Sequence.Stream, fmt.Errorf("its key belongs to partition %d", p))
			continue
		}
		// Every event is checked against the store, not only those
		// JetStream redelivers: a host taking the partition over reads
		// the unacknowledged ones directly, so an event delivered here
		// the first time may have been applied there.
		ev.Stream = event.Position{Sequence: md.Sequence.Stream, Redelivered: true}
		b.evs = append(b.evs, ev)
	}
	// Redeliveries come after later messages; the events of a key are
	// applied in their order.
	slices.SortFunc(b.evs, func(x, y event.Event) int { return cmp.Compare(x.Stream.Sequence, y.Stream.Sequence) })
	return b
}

// apply applies one prepared batch: it drops a batch that came under a
// pin that has moved on to another host, takes the partition over when
// the batch came under a new pin (the host was pinned anew) or has no
// engine, ingests the events after the partition's applied sequence, with
// their stream positions, sweeps at its ticks, and saves what changed.
func (pt *partition) apply(ctx context.Context, b *prepared) error {
	if b.pin != "" {
		pinned, err := pt.pinned(ctx)
		if err != nil {
			return err
		}
		if pinned != b.pin {
			pt.drop()
			return errNotPinned
		}
	}
	e := pt.current()
	if e == nil || (b.pin != "" && b.pin != pt.pin) {
		var err error
		if e, err = pt.takeOver(ctx, b.pin); err != nil {
			return fmt.Errorf("taking the partition over: %w", err)
		}
	}
	evs := b.evs
	for len(evs) > 0 && evs[0].Stream.Sequence <= pt.applied {
		evs = evs[1:] // applied already: redelivered, or read when taking over
	}
	if len(evs) > 0 {
		if err := e.Ingest(ctx, evs...); err != nil {
			return fmt.Errorf("applying events: %w", err)
		}
	}
	for _, t := range b.ticks {
		if t.seq <= pt.applied || !t.at.After(pt.swept) {
			continue // another host's tick of an instant swept already
		}
		pt.swept = t.at
		if _, err := e.Sweep(ctx, t.at); err != nil {
			pt.h.log().WarnContext(ctx, "sweeping a partition failed; the next tick tries again",
				slog.Int("partition", pt.n), slog.Any("error", err))
		}
	}
	if _, err := e.Flush(ctx); err != nil {
		return fmt.Errorf("saving the alerts: %w", err)
	}
	pt.applied = max(pt.applied, b.last)
	return nil
}

// takeOver builds the partition's engine anew, resuming the partition's
// open alerts from the store. The engine of the host's earlier ownership,
// if any, is dropped unsaved: another host may have applied the
// partition's events since.
func (pt *partition) takeOver(ctx context.Context, pin string) (*event.Engine, error) {
	h := pt.h
	cfg := h.cfg.Engine
	n, parts := pt.n, h.cfg.Partitions
	cfg.Resume = func(a *event.Alert) bool { return partitionOf(h.alertKey(a), parts) == n }
	e, err := event.NewEngine(h.cfg.Store, cfg)
	if err != nil {
		return nil, err
	}
	if err := e.Start(ctx); err != nil {
		return nil, err
	}
	applied, err := pt.catchUp(ctx, e)
	if err != nil {
		return nil, err
	}
	pt.mu.Lock()
	pt.engine, pt.pin, pt.applied = e, pin, applied
	pt.mu.Unlock()
	h.takeovers.Add(1)
	h.log().InfoContext(ctx, "took a partition over", slog.Int("partition", n),
		slog.Int64("alerts_resumed", e.Stats().Restored))
	return e, nil
}

// catchUp applies to e, the engine of a partition just taken over, the
// partition's messages that the consumer group has not seen acknowledged
// (after its acknowledgement floor), up to the stream's last message of
// the partition, read in stream order, each marked redelivered: the host
// before may have applied any of them, and the consumer redelivers them
// in no particular order, after later ones. It returns the sequence up to
// which the partition is applied.
func (pt *partition) catchUp(ctx context.Context, e *event.Engine) (uint64, error) {
	h := pt.h
	subject := h.cfg.subject(pt.n)
	c, err := h.cfg.JetStream.Consumer(ctx, h.cfg.Stream, h.cfg.Group+"-"+member(pt.n))
	if err != nil {
		return 0, fmt.Errorf("the partition's consumer: %w", err)
	}
	info, err := c.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("the partition's consumer: %w", err)
	}
	floor := info.AckFloor.Stream
	s, err := h.cfg.JetStream.Stream(ctx, h.cfg.Stream)
	if err != nil {
		return 0, err
	}
	last, err := s.GetLastMsgForSubject(ctx, subject)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return floor, nil
	}
	if err != nil {
		return 0, fmt.Errorf("the partition's last message: %w", err)
	}
	end := last.Sequence
	if end <= floor {
		return floor, nil
	}
	oc, err := s.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{subject}, DeliverPolicy: jetstream.DeliverByStartSequencePolicy, OptStartSeq: floor + 1})
	if err != nil {
		return 0, fmt.Errorf("reading the partition from %d: %w", floor+1, err)
	}
	defer func() {
		if name := oc.CachedInfo().Name; name != "" {
			_ = s.DeleteConsumer(context.WithoutCancel(ctx), name)
		}
	}()
	read := 0
	for seq := floor; seq < end; {
		batch, err := oc.Fetch(h.cfg.Batch, jetstream.FetchMaxWait(time.Second))
		if err != nil {
			return 0, fmt.Errorf("reading the partition from %d: %w", seq+1, err)
		}
		var evs []event.Event
		got := 0
		for m := range batch.Messages() {
			got++
			md, err := m.Metadata()
			if err != nil || md.Sequence.Stream > end {
				continue
			}
			seq = md.Sequence.Stream
			if m.Headers().Get(HeaderSweep) != "" {
				continue
			}
			ev, err := decode(m.Data())
			if err != nil || h.Partition(&ev) != pt.n {
				continue // a dead letter when the consumer delivers it
			}
			ev.Stream = event.Position{Sequence: seq, Redelivered: true}
			evs = append(evs, ev)
		}
		if err := batch.Error(); err != nil && !errors.Is(err, nats.ErrTimeout) {
			return 0, fmt.Errorf("reading the partition from %d: %w", seq+1, err)
		}
		if len(evs) > 0 {
			if err := e.Ingest(ctx, evs...); err != nil {
				return 0, fmt.Errorf("applying the partition's unacknowledged events: %w", err)
			}
			if _, err := e.Flush(ctx); err != nil {
				return 0, err
			}
		}
		read += len(evs)
		if got == 0 {
			// Nothing came: the rest was acknowledged, and removed,
			// meanwhile, or the server is slow to send it. Only the
			// first lets the partition go on: applied in part, its
			// events would come later out of order.
			if _, err := s.GetMsg(ctx, end); !errors.Is(err, jetstream.ErrMsgNotFound) {
				return 0, fmt.Errorf("reading the partition: stopped at %d of %d", seq, end)
			}
			break
		}
	}
	h.log().InfoContext(ctx, "read the partition's unacknowledged events", slog.Int("partition", pt.n),
		slog.Uint64("from", floor+1), slog.Uint64("to", end), slog.Int("events", read))
	return end, nil
}

// pinned returns the ID of the client the partition's consumer is pinned
// to now, or "" for none.
func (pt *partition) pinned(ctx context.Context) (string, error) {
	h := pt.h
	c, err := h.cfg.JetStream.Consumer(ctx, h.cfg.Stream, h.cfg.Group+"-"+member(pt.n))
	if err != nil {
		return "", fmt.Errorf("the partition's consumer: %w", err)
	}
	info, err := c.Info(ctx)
	if err != nil {
		return "", fmt.Errorf("the partition's consumer: %w", err)
	}
	for _, g := range info.PriorityGroups {
		if g.PinnedClientID != "" {
			return g.PinnedClientID, nil
		}
	}
	return "", nil
}

// drop drops the partition's engine, unsaved.
func (pt *partition) drop() {
	pt.mu.Lock()
	pt.engine, pt.pin = nil, ""
	pt.mu.Unlock()
}

// deadLetter publishes a message that cannot be applied to the dead-letter
// subject, with why, and counts it; the batch's acknowledgement covers it.
func (pt *partition) deadLetter(m jetstream.Msg, seq uint64, why error) {
	h := pt.h
	h.deadLetters.Add(1)
	h.log().Warn("a message was not applied; sent to the dead-letter subject",
		slog.Int("partition", pt.n), slog.Uint64("sequence", seq), slog.String("dead_letter", h.cfg.DeadLetter),
		slog.Any("error", why))
	dl := nats.NewMsg(h.cfg.DeadLetter)
	dl.Data = m.Data()
	dl.Header.Set(HeaderError, why.Error())
	dl.Header.Set(HeaderSubject, h.cfg.subject(pt.n))
	dl.Header.Set(HeaderSequence, strconv.FormatUint(seq, 10))
	if err := h.cfg.JetStream.Conn().PublishMsg(dl); err != nil {
		h.log().Warn("publishing a dead letter failed", slog.Int("partition", pt.n), slog.Any("error", err))
	}
}
