package request_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/approval"
	"github.com/itil-go/itil/lifecycle/lifecycletest"
	"github.com/itil-go/itil/lifecycle/memstore"
	"github.com/itil-go/itil/lifecycle/sla"
	"github.com/itil-go/itil/request"
)

// The people in the tests.
var (
	alice = itil.Actor{ID: "alice", Name: "Alice Requester"}
	mike  = itil.Actor{ID: "mike", Name: "Mike Manager", Groups: []string{"managers"}}
	olga  = itil.Actor{ID: "olga", Name: "Olga Owner"} // owns the ERP service
	tom   = itil.Actor{ID: "tom", Name: "Tom Technician", Groups: []string{"deskside", "imaging"}}
	// boss is a manager who orders for himself: he may not approve that.
	boss = itil.Actor{ID: "boss", Name: "Boss Manager", Groups: []string{"managers"}}
)

// monday9 is a Monday at 09:00 UTC.
var monday9 = time.Date(2025, time.March, 3, 9, 0, 0, 0, time.UTC)

// fakeClock is a clock the tests move by hand.
type fakeClock = lifecycletest.Clock

// laptopItem needs a manager's approval and runs two ordered tasks.
func laptopItem() request.Item {
	return request.Item{
		ID: "laptop", Name: "Standard laptop", Category: "hardware",
		Description: "A 14-inch business laptop with docking station",
		Keywords:    []string{"notebook", "computer"},
		Variables: []request.Variable{
			{Name: "ram", Label: "Memory (GB)", Kind: request.VarNumber, Required: true, Min: request.Float(8), Max: request.Float(64), Default: "16"},
			{Name: "os", Kind: request.VarChoice, Required: true, Choices: []string{"windows", "linux", "macos"}},
			{Name: "needed_by", Kind: request.VarDate, Min: request.Float(0), Max: request.Float(90)},
			{Name: "dock", Kind: request.VarBoolean, Default: "true"},
			{Name: "asset_tag", Kind: request.VarText, Pattern: `[A-Z]{2}-[0-9]{4}`},
			{Name: "deliver_to", Kind: request.VarUser},
		},
		Approval: &approval.Rule{Policy: approval.Any(), Slots: []approval.Slot{approval.Group("managers")}},
		Tasks: []request.TaskTemplate{
			{Title: "Image the laptop", Group: "imaging"},
			{Title: "Hand over the laptop", Group: "deskside"},
		},
		TaskOrder: request.Ordered,
		SLA:       &sla.Targets{Resolution: sla.Target{Within: 5 * 24 * time.Hour}},
		Price:     request.Money{Amount: 129900, Currency: "EUR"},
	}
}

// mouseItem needs no approval and has one task.
func mouseItem() request.Item {
	return request.Item{
		ID: "mouse", Name: "Wireless mouse", Category: "hardware",
		Tasks: []request.TaskTemplate{{Title: "Hand over the mouse", Group: "deskside"}},
		Price: request.Money{Amount: 2500, Currency: "EUR"},
	}
}

// onboardingItem runs three parallel tasks and needs no approval.
func onboardingItem() request.Item {
	return request.Item{
		ID: "onboarding", Name: "New starter kit", Category: "people",
		Tasks: []request.TaskTemplate{
			{Title: "Create the account", Group: "identity"},
			{Title: "Order the badge", Group: "facilities"},
			{Title: "Book the induction", Group: "hr"},
		},
		TaskOrder: request.Parallel,
	}
}

// erpItem grants the ap-clerk role on the ERP for 30 days, approved by its
// owner olga.
func erpItem() request.Item {
	return request.Item{
		ID: "erp-ap-clerk", Name: "ERP accounts payable clerk", Category: "access", Kind: request.KindAccess,
		Description: "Post and approve supplier invoices in the ERP",
		Variables:   []request.Variable{{Name: "justification", Kind: request.VarText, Required: true, Min: request.Float(10)}},
		Tasks:       []request.TaskTemplate{{Title: "Add the user to the AP clerk role", Group: "erp-admins"}},
		Access: &request.Access{Service: "erp", Role: "ap-clerk", Owner: "olga", Days: 30,
			RevokeTasks: []request.TaskTemplate{{Title: "Remove the user from the AP clerk role", Group: "erp-admins"}}},
	}
}

// wikiItem grants wiki editing, permanently, with no tasks: fulfilled as
// soon as the owner approves.
func wikiItem() request.Item {
	return request.Item{
		ID: "wiki-editor", Name: "Wiki editor", Category: "access", Kind: request.KindAccess,
		Access: &request.Access{Service: "wiki", Role: "editor", Owner: "olga"},
	}
}

// fixture is a desk over a memstore, driven by a fake clock.
type fixture struct {
	desk  *request.Desk
	store *memstore.Store
	clock *fakeClock
	cfg   request.Config
}

func newFixture(t testing.TB, cfg request.Config) *fixture {
	t.Helper()
	clock := lifecycletest.NewClock(monday9)
	if cfg.Now == nil {
		cfg.Now = clock.Now
	}
	if cfg.Catalog == nil {
		cat, err := request.NewCatalog(laptopItem(), mouseItem(), onboardingItem(), erpItem(), wikiItem())
		require.NoError(t, err)
		cfg.Catalog = cat
	}
	st := memstore.New(memstore.Config{Now: cfg.Now})
	desk, err := request.NewDesk(st, cfg)
	require.NoError(t, err)
	return &fixture{desk: desk, store: st, clock: clock, cfg: cfg}
}

// order orders one line of item by alice with values.
func (f *fixture) order(t testing.TB, item string, values map[string]string) *request.Request {
	t.Helper()
	r, err := f.desk.Order(t.Context(), request.Order{By: alice, Lines: []request.OrderLine{{Item: item, Values: values}}})
	require.NoError(t, err)
	return r
}

// laptopValues are valid values for laptopItem.
func laptopValues() map[string]string { return map[string]string{"ram": "32", "os": "linux"} }

// tasks returns the tasks of request id, in creation order.
func (f *fixture) tasks(t testing.TB, id uuid.UUID) []*request.Task {
	t.Helper()
	var out []*request.Task
	for tk, err := range f.desk.Tasks(t.Context(), request.TaskQuery{Request: id}) {
		require.NoError(t, err)
		out = append(out, tk)
	}
	return out
}

// states returns the states of tasks.
func states(ts []*request.Task) []string {
	out := make([]string, len(ts))
	for i, tk := range ts {
		out[i] = tk.State
	}
	return out
}

// get reloads request id.
func (f *fixture) get(t testing.TB, id uuid.UUID) *request.Request {
	t.Helper()
	r, err := f.desk.Get(t.Context(), id)
	require.NoError(t, err)
	return r
}

// doAll completes every open task of request id, in turn, until none is open.
func (f *fixture) doAll(t testing.TB, id uuid.UUID) {
	t.Helper()
	ctx := t.Context()
	for range 20 {
		open := collect(t, f.desk.Tasks(ctx, request.TaskQuery{Request: id, Open: true}))
		if len(open) == 0 {
			return
		}
		for _, tk := range open {
			_, err := f.desk.CompleteTask(ctx, request.TaskParams{ID: tk.ID, By: tom})
			require.NoError(t, err)
		}
	}
	t.Fatal("tasks never finished")
}

func collect[T any](t testing.TB, seq func(func(T, error) bool)) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		require.NoError(t, err)
		out = append(out, v)
	}
	return out
}

// journal returns the changes of record id.
func journal(t testing.TB, d *request.Desk, id uuid.UUID) []lifecycle.Change {
	t.Helper()
	return collect(t, d.Journal(context.Background(), id))
}

// directory is a Directory of known user IDs.
type directory map[string]bool

func (d directory) UserExists(_ context.Context, id string) (bool, error) { return d[id], nil }
