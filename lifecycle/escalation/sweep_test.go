package escalation_test

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/internal/teststores"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/escalation"
	"github.com/itil-go/itil/lifecycle/notify"
)

// ticket is the smallest record that pages: a process's entity.
type ticket struct {
	lifecycle.Record
	Paging escalation.State `json:"paging,omitzero"`
}

func (t *ticket) Clone() lifecycle.Entity {
	c := *t
	c.Record = t.CloneRecord()
	return &c
}

func (t *ticket) Attrs(dst []lifecycle.Attr) []lifecycle.Attr { return dst }

// host is one host's process of tickets over a store, and its sweeper.
type host struct {
	proc *lifecycle.Process[*ticket]
	sw   escalation.Sweeper[*ticket]
}

// newHost returns a host over st, on the clock of its bubble, paging by
// twoLevels.
func newHost(t *testing.T, st lifecycle.Store) *host {
	t.Helper()
	def, err := lifecycle.NewDefinition("ticket", []lifecycle.State{
		{Name: "open", Category: lifecycle.Open, Initial: true},
		{Name: "done", Category: lifecycle.Closed},
	}, []lifecycle.Event{{Name: "finish", From: []string{"open"}, To: "done"}})
	require.NoError(t, err)
	proc, err := lifecycle.NewProcess[ticket](st, def, lifecycle.ProcessConfig{Prefix: "TKT"})
	require.NoError(t, err)
	p := mustPolicy(t, twoLevels())
	return &host{proc: proc, sw: escalation.Sweeper[*ticket]{
		Process:   proc,
		State:     func(tk *ticket) *escalation.State { return &tk.Paging },
		Policies:  map[string]*escalation.Policy{p.Name(): p},
		Schedules: schedules(t),
	}}
}

// open creates a ticket whose escalation starts now.
func (h *host) open(t *testing.T) *ticket {
	t.Helper()
	tk := &ticket{}
	_, err := tk.Paging.Start(h.sw.Policies["p1"], time.Now())
	require.NoError(t, err)
	tk, err = h.proc.Create(t.Context(), tk, itil.System("test"), "")
	require.NoError(t, err)
	return tk
}

// sweep sweeps now and returns what it sent.
func (h *host) sweep(t *testing.T) escalation.Swept {
	t.Helper()
	got, err := h.sw.Sweep(t.Context(), time.Now())
	require.NoError(t, err)
	return got
}

// pages returns the pages of a ticket's journal.
func (h *host) pages(t *testing.T, tk *ticket) []string {
	t.Helper()
	var out []string
	for c, err := range h.proc.Journal(t.Context(), tk.ID) {
		require.NoError(t, err)
		if pg, ok := escalation.PageOf(c); ok {
			out = append(out, pg.String())
		}
	}
	return out
}

// inBubble runs f in a synctest bubble whose clock starts at the test
// schedules' Monday, 10:00: ann is on call for primary, dan for secondary.
func inBubble(t *testing.T, f func(t *testing.T)) {
	synctest.Test(t, func(t *testing.T) {
		time.Sleep(time.Until(monday9.Add(time.Hour)))
		f(t)
	})
}

const (
	level1 = "level 1, round 1: ann (primary)"
	level2 = "level 2, round 1: dan (secondary), mia, group network"
)

// TestSweeperPagesEachLevelOnce sweeps a ticket nobody acknowledges on
// every store: level 1 at once, level 2 after the delay, each once however
// often the sweep runs; an acknowledged ticket and a closed one are left
// alone.
func TestSweeperPagesEachLevelOnce(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		inBubble(t, func(t *testing.T) {
			h := newHost(t, db.Host(t))
			ctx := t.Context()
			tk := h.open(t)
			acked := h.open(t)
			_, err := h.proc.Fire(ctx, acked.ID, lifecycle.Action[*ticket]{Name: "acknowledge", Actor: itil.System("test"),
				Apply: func(tk *ticket, ed *lifecycle.Edit) error {
					_, err := tk.Paging.Acknowledge("bob", time.Now())
					ed.Field("paging", "", "acknowledged")
					return err
				}})
			require.NoError(t, err)
			done := h.open(t)
			_, err = h.proc.Fire(ctx, done.ID, lifecycle.Action[*ticket]{Event: "finish", Actor: itil.System("test")})
			require.NoError(t, err)

			assert.Equal(t, escalation.Swept{Pages: 1, Records: 1}, h.sweep(t))
			assert.Equal(t, escalation.Swept{}, h.sweep(t), "sent once")
			time.Sleep(14 * time.Minute)
			assert.Equal(t, escalation.Swept{}, h.sweep(t), "level 1 waits its delay")
			time.Sleep(time.Minute)
			assert.Equal(t, escalation.Swept{Pages: 1, Records: 1}, h.sweep(t))
			assert.Equal(t, escalation.Swept{}, h.sweep(t))
			assert.Equal(t, []string{level1, level2}, h.pages(t, tk))
			assert.Empty(t, h.pages(t, acked))
			assert.Empty(t, h.pages(t, done))

			got, err := h.proc.Get(ctx, tk.ID)
			require.NoError(t, err)
			assert.Equal(t, 2, got.Paging.Level)
			assert.Equal(t, time.Now().UTC().Add(30*time.Minute), got.Paging.Next().UTC())
		})
	})
}

// TestSweeperResumesAfterARestart sweeps level 1 on one host, which then
// stops; a host started on the same store after the delay pages level 2,
// not level 1 again.
func TestSweeperResumesAfterARestart(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		inBubble(t, func(t *testing.T) {
			first := newHost(t, db.Host(t))
			tk := first.open(t)
			assert.Equal(t, escalation.Swept{Pages: 1, Records: 1}, first.sweep(t))

			time.Sleep(20 * time.Minute)
			second := newHost(t, db.Host(t))
			assert.Equal(t, escalation.Swept{Pages: 1, Records: 1}, second.sweep(t))
			assert.Equal(t, []string{level1, level2}, second.pages(t, tk))
		})
	})
}

// TestSweeperTwoHostsPageOnce sweeps one store from two hosts at once, at
// every step of an escalation: each page is sent once.
func TestSweeperTwoHostsPageOnce(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		inBubble(t, func(t *testing.T) {
			hosts := []*host{newHost(t, db.Host(t)), newHost(t, db.Host(t))}
			var tickets []*ticket
			for range 3 {
				tickets = append(tickets, hosts[0].open(t))
			}
			total := 0
			for step := range 4 {
				var mu sync.Mutex
				var wg sync.WaitGroup
				for _, h := range hosts {
					wg.Go(func() {
						got, err := h.sw.Sweep(t.Context(), time.Now())
						assert.NoError(t, err)
						mu.Lock()
						total += got.Pages
						mu.Unlock()
					})
				}
				wg.Wait()
				assert.Equal(t, 3*(step+1), total, "step %d: one page per ticket", step)
				time.Sleep(15 * time.Minute) // level 2; then 30 minutes on: the repeat
				if step > 0 {
					time.Sleep(15 * time.Minute)
				}
			}
			for _, tk := range tickets {
				assert.Equal(t, []string{level1, level2,
					"level 1, round 2: ann (primary)", "level 2, round 2: dan (secondary), mia, group network"},
					hosts[1].pages(t, tk))
			}
		})
	})
}

// TestPagesReachANotifier delivers the sweep's pages through the outbox to
// a bus subscribed to EventPage, which reads each page back.
func TestPagesReachANotifier(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		inBubble(t, func(t *testing.T) {
			st := db.Host(t)
			h := newHost(t, st)
			bus := notify.NewBus()
			var got []escalation.Page
			bus.Subscribe(notify.Filter{Events: []string{escalation.EventPage}}, func(_ context.Context, ch lifecycle.Change) error {
				pg, ok := escalation.PageOf(ch)
				assert.True(t, ok, "%+v", ch)
				got = append(got, pg)
				return nil
			})
			disp, err := lifecycle.NewDispatcher(st, []lifecycle.Subscription{{Name: "pager", Notifier: bus}},
				lifecycle.DispatcherConfig{Logger: teststores.Quiet})
			require.NoError(t, err)

			start := time.Now().UTC()
			h.open(t)
			h.sweep(t)
			time.Sleep(15 * time.Minute)
			h.sweep(t)
			require.NoError(t, disp.Drain(t.Context()))
			require.Len(t, got, 2)
			for i := range got {
				got[i].At = got[i].At.UTC()
			}
			assert.Equal(t, escalation.Page{Policy: "p1", Level: 1, Round: 1, At: start,
				Recipients: []escalation.Recipient{{User: "ann", Schedule: "primary"}}}, got[0])
			assert.Equal(t, []string{"dan", "mia"}, got[1].Users())
			assert.Equal(t, []string{"network"}, got[1].Groups())
			assert.Equal(t, start.Add(15*time.Minute), got[1].At)
		})
	})
}

func TestSweeperRefusesWhatItLacks(t *testing.T) {
	t.Parallel()
	inBubble(t, func(t *testing.T) {
		h := newHost(t, teststores.Memstore(t).Host(t))
		ctx := t.Context()
		sw := h.sw
		sw.Process = nil
		_, err := sw.Sweep(ctx, time.Now())
		requireInvalid(t, err, "Process")
		sw = h.sw
		sw.State = nil
		_, err = sw.Sweep(ctx, time.Now())
		requireInvalid(t, err, "State")
		_, err = h.sw.Sweep(ctx, time.Time{})
		requireInvalid(t, err, "now")

		tk := h.open(t)
		sw = h.sw
		sw.Policies = nil
		swept, err := sw.Sweep(ctx, time.Now())
		requireInvalid(t, err, "policy")
		assert.ErrorContains(t, err, tk.Number)
		assert.Zero(t, swept)
		assert.Empty(t, h.pages(t, tk), "nothing written")
	})
}

func TestPageOfOtherChanges(t *testing.T) {
	t.Parallel()
	_, ok := escalation.PageOf(lifecycle.Change{Event: "resolve"})
	assert.False(t, ok)
	_, ok = escalation.PageOf(lifecycle.Change{Event: escalation.EventPage,
		Fields: []lifecycle.FieldChange{{Field: escalation.FieldLevel, New: "two"}}})
	assert.False(t, ok)
	_, ok = escalation.PageOf(lifecycle.Change{Event: escalation.EventPage})
	assert.False(t, ok)
}

func TestSendRefusesNoRecord(t *testing.T) {
	t.Parallel()
	inBubble(t, func(t *testing.T) {
		h := newHost(t, teststores.Memstore(t).Host(t))
		_, n, err := h.sw.Send(t.Context(), nil, time.Now())
		requireInvalid(t, err, "record")
		assert.Zero(t, n)
	})
}
