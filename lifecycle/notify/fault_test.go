package notify_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/memstore"
	"github.com/itil-go/itil/lifecycle/notify"
)

// delivery is one change as a receiver got it.
type delivery struct {
	ID       uuid.UUID
	RecordID uuid.UUID
	Version  int64
}

// faultyReceiver is a webhook receiver that answers 500 to its first
// failures requests and then hangs on one more until the sender gives up;
// after that it takes everything. It records every signed request.
type faultyReceiver struct {
	secret   string
	failures int

	mu       sync.Mutex
	attempts []delivery         // every correctly signed request, in arrival order
	accepted []delivery         // those answered 2xx, in arrival order
	taken    map[uuid.UUID]bool // IDs of accepted changes
	refused  int                // requests with a bad signature or body
	arrived  chan struct{}      // signalled after each accepted change
	release  chan struct{}      // closed to end a hanging request
}

func newFaultyReceiver(secret string, failures int) *faultyReceiver {
	return &faultyReceiver{
		secret:   secret,
		failures: failures,
		taken:    map[uuid.UUID]bool{},
		arrived:  make(chan struct{}, 1),
		release:  make(chan struct{}),
	}
}

func (rc *faultyReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	var ch lifecycle.Change
	if err == nil {
		err = notify.Verify(rc.secret, r, body, time.Hour, time.Now())
	}
	if err == nil {
		err = json.Unmarshal(body, &ch)
	}
	if err == nil && r.Header.Get(notify.HeaderDelivery) != ch.ID.String() {
		err = fmt.Errorf("delivery header %q for change %s", r.Header.Get(notify.HeaderDelivery), ch.ID)
	}
	d := delivery{ID: ch.ID, RecordID: ch.RecordID, Version: ch.Version}

	rc.mu.Lock()
	if err != nil {
		rc.refused++
		rc.mu.Unlock()
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	n := len(rc.attempts)
	rc.attempts = append(rc.attempts, d)
	if n > rc.failures {
		rc.accepted = append(rc.accepted, d)
		rc.taken[d.ID] = true
	}
	rc.mu.Unlock()

	switch {
	case n < rc.failures:
		http.Error(w, "try again later", http.StatusInternalServerError)
	case n == rc.failures:
		select { // hang until the sender times out and hangs up
		case <-r.Context().Done():
		case <-rc.release:
		}
	default:
		w.WriteHeader(http.StatusNoContent)
		select {
		case rc.arrived <- struct{}{}:
		default:
		}
	}
}

// hasAll reports whether every one of ids was accepted.
func (rc *faultyReceiver) hasAll(ids []uuid.UUID) bool {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	for _, id := range ids {
		if !rc.taken[id] {
			return false
		}
	}
	return true
}

func (rc *faultyReceiver) snapshot() (attempts, accepted []delivery, refused int) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]delivery(nil), rc.attempts...), append([]delivery(nil), rc.accepted...), rc.refused
}

// firstArrivals keeps the first arrival of each change, grouped by record in
// arrival order.
func firstArrivals(ds []delivery) map[uuid.UUID][]int64 {
	seen := map[uuid.UUID]bool{}
	out := map[uuid.UUID][]int64{}
	for _, d := range ds {
		if !seen[d.ID] {
			seen[d.ID] = true
			out[d.RecordID] = append(out[d.RecordID], d.Version)
		}
	}
	return out
}

// TestWebhookFaults runs a real process over memstore whose transitions are
// delivered by a dispatcher to a webhook whose receiver fails, then hangs,
// then recovers. No transition may fail, every journaled change must reach
// the receiver, and each record's changes must first arrive in version order.
func TestWebhookFaults(t *testing.T) {
	t.Parallel()
	t.Run("Run", func(t *testing.T) { t.Parallel(); testWebhookFaults(t, false) })
	t.Run("Drain", func(t *testing.T) { t.Parallel(); testWebhookFaults(t, true) })
}

func testWebhookFaults(t *testing.T, drain bool) {
	const (
		records     = 20
		writers     = 10
		perWriter   = 20 // writers*perWriter transitions, spread evenly over the records
		failures    = 5
		secret      = "s3cret"
		deadlineFor = 2 * time.Minute // generous bound on the whole exchange, not a timing check
	)
	ctx, cancel := context.WithTimeout(t.Context(), deadlineFor)
	defer cancel()

	rc := newFaultyReceiver(secret, failures)
	srv := httptest.NewServer(rc) // listens on 127.0.0.1
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(rc.release) }) // runs before srv.Close

	hook, err := notify.NewWebhook(notify.WebhookConfig{URL: srv.URL, Secret: secret, Timeout: 300 * time.Millisecond})
	require.NoError(t, err)

	def, err := ticketLifecycle()
	require.NoError(t, err)
	st := memstore.New(memstore.Config{})
	proc, err := lifecycle.NewProcess[ticket](st, def, lifecycle.ProcessConfig{Retries: 1000})
	require.NoError(t, err)

	d, err := lifecycle.NewDispatcher(st, []lifecycle.Subscription{{Name: "webhook", Notifier: hook}},
		lifecycle.DispatcherConfig{
			Batch:      8,
			Poll:       5 * time.Millisecond,
			MinBackoff: time.Millisecond,
			MaxBackoff: 20 * time.Millisecond,
			Logger:     slog.New(slog.DiscardHandler),
		})
	require.NoError(t, err)

	runCtx, stopRun := context.WithCancel(ctx)
	defer stopRun()
	running := make(chan struct{})
	if drain {
		close(running)
	} else {
		go func() {
			defer close(running)
			assert.NoError(t, d.Run(runCtx))
		}()
	}

	alice := itil.Actor{ID: "alice"}
	ids := make([]uuid.UUID, records)
	for i := range ids {
		tk, err := proc.Create(ctx, &ticket{Title: fmt.Sprintf("ticket %d", i)}, alice, "")
		require.NoError(t, err)
		ids[i] = tk.ID
	}

	toggle := func(t *ticket) string {
		if t.State == "open" {
			return "start"
		}
		return "stop"
	}
	errs := make([]error, writers*perWriter)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for j := range perWriter {
				id := ids[(2*w+j)%records]
				by := itil.Actor{ID: fmt.Sprintf("writer%d", w)}
				_, errs[w*perWriter+j] = proc.Fire(ctx, id, lifecycle.Action[*ticket]{EventFor: toggle, Actor: by})
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		assert.NoError(t, err, "transition %d", i)
	}

	// What the journal holds is what must arrive.
	want := map[uuid.UUID][]delivery{}
	var all []uuid.UUID
	for _, id := range ids {
		for ch, err := range proc.Journal(ctx, id) {
			require.NoError(t, err)
			want[id] = append(want[id], delivery{ID: ch.ID, RecordID: ch.RecordID, Version: ch.Version})
			all = append(all, ch.ID)
		}
		require.Len(t, want[id], 1+writers*perWriter/records, "journal of %s", id)
	}

	if drain {
		require.NoError(t, d.Drain(ctx))
	} else {
		for !rc.hasAll(all) {
			select {
			case <-rc.arrived:
			case <-ctx.Done():
				require.FailNow(t, "not every change arrived before the deadline")
			}
		}
		stopRun()
	}
	<-running

	attempts, accepted, refused := rc.snapshot()
	assert.Zero(t, refused, "requests with a bad signature")
	assert.Len(t, attempts, len(accepted)+failures+1, "only the planned faults went unanswered")

	gotIDs := map[uuid.UUID]delivery{}
	for _, d := range accepted {
		gotIDs[d.ID] = d
	}
	for id, changes := range want {
		for _, ch := range changes {
			got, ok := gotIDs[ch.ID]
			if assert.True(t, ok, "change %s (version %d of %s) never arrived", ch.ID, ch.Version, id) {
				assert.Equal(t, ch, got)
			}
		}
	}
	for name, ds := range map[string][]delivery{"accepted": accepted, "attempted": attempts} {
		for id, versions := range firstArrivals(ds) {
			assert.IsIncreasing(t, versions, "%s changes of record %s", name, id)
		}
	}
}
