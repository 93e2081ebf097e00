package request_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/internal/teststores"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/approval"
	"github.com/itil-go/itil/lifecycle/assign"
	"github.com/itil-go/itil/request"
)

// monitorItem needs no approval and has one task whose template names no
// group: the desk's rules choose it.
func monitorItem() request.Item {
	return request.Item{
		ID: "monitor", Name: "Monitor", Category: "hardware",
		Tasks: []request.TaskTemplate{{Title: "Deliver the monitor"}},
	}
}

// kitItem runs two parallel tasks that name no group.
func kitItem() request.Item {
	return request.Item{
		ID: "kit", Name: "Desk kit", Category: "hardware", TaskOrder: request.Parallel,
		Tasks: []request.TaskTemplate{{Title: "Deliver the keyboard"}, {Title: "Deliver the headset"}},
	}
}

// crmItem grants a role on the CRM, approved by olga; neither its task nor
// its revocation's names a group.
func crmItem() request.Item {
	return request.Item{
		ID: "crm-agent", Name: "CRM agent", Category: "access", Kind: request.KindAccess,
		Tasks: []request.TaskTemplate{{Title: "Grant the agent role"}},
		Access: &request.Access{Service: "crm", Role: "agent", Owner: "olga",
			RevokeTasks: []request.TaskTemplate{{Title: "Remove the agent role"}}},
	}
}

// badgeItem's task names its group and assignee.
func badgeItem() request.Item {
	return request.Item{
		ID: "badge", Name: "Badge", Category: "facilities",
		Tasks: []request.TaskTemplate{{Title: "Print the badge", Group: "identity", Assignee: "zed"}},
	}
}

func assignmentCatalog(t testing.TB) *request.Catalog {
	t.Helper()
	cat, err := request.NewCatalog(monitorItem(), kitItem(), crmItem(), badgeItem(), onboardingItem(), mouseItem())
	require.NoError(t, err)
	return cat
}

// skills is an assign.Directory of people's skills.
type skills map[string][]string

func (s skills) Skills(_ context.Context, person string) ([]string, error) { return s[person], nil }

// creationNote returns the note of the first entry of record id's journal.
func creationNote(t testing.TB, d *request.Desk, id uuid.UUID) string {
	t.Helper()
	for _, c := range journal(t, d, id) {
		return c.Note
	}
	t.Fatal("no journal")
	return ""
}

// TestTaskAssignmentStrategies: the rule that gives a group-less task its
// group chooses the person by its strategy. Between the first and the
// second order the first task is done, so that its assignee holds no
// unfinished task again. On memstore and SQLite.
func TestTaskAssignmentStrategies(t *testing.T) {
	t.Parallel()
	members := []string{"ann", "ben", "cat"}
	tests := []struct {
		name string
		rule assign.Rule
		want []string
	}{
		{"group only", assign.Rule{}, []string{"", "", ""}},
		{"round robin", assign.Rule{Strategy: assign.RoundRobin, Members: members}, []string{"ann", "ben", "cat"}},
		{"least loaded", assign.Rule{Strategy: assign.LeastLoaded, Members: members}, []string{"ann", "ann", "ben"}},
		{"skills", assign.Rule{Strategy: assign.BySkills, Members: members, Skills: []string{"displays"}}, []string{"ben", "ben", "cat"}},
		{"skills nobody has", assign.Rule{Strategy: assign.BySkills, Members: members, Skills: []string{"welding"}}, []string{"", "", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			teststores.Each(t, func(t *testing.T, db teststores.DB) {
				ctx := t.Context()
				rule := tt.rule
				rule.Name, rule.Group, rule.When = "hardware", "deskside", assign.When{Categories: []string{"hardware"}}
				rules, err := assign.New(assign.Config{Rules: []assign.Rule{rule},
					Directory: skills{"ben": {"displays"}, "cat": {"displays", "cables"}}})
				require.NoError(t, err)
				cat, err := request.NewCatalog(monitorItem())
				require.NoError(t, err)
				d := newHosts(t, db, 1, request.Config{Catalog: cat, Assignment: rules}).desks[0]
				var got []string
				for i := range tt.want {
					r, err := d.Order(ctx, request.Order{By: alice, Lines: []request.OrderLine{{Item: "monitor"}}})
					require.NoError(t, err)
					task, err := d.GetTask(ctx, r.Tasks[0].ID)
					require.NoError(t, err)
					assert.Equal(t, "deskside", task.Group, "the rule's group")
					got = append(got, task.Assignee)
					want := "for " + r.Number + ": Monitor\nassigned to deskside by rule hardware"
					if task.Assignee != "" {
						want = "for " + r.Number + ": Monitor\nassigned to deskside (" + task.Assignee + ") by rule hardware"
					}
					assert.Equal(t, want, creationNote(t, d, task.ID))
					if i == 0 {
						_, err := d.CompleteTask(ctx, request.TaskParams{ID: task.ID, By: tom})
						require.NoError(t, err)
					}
				}
				assert.Equal(t, tt.want, got)
			})
		})
	}
}

// taskRules are the rules of TestTaskAssignmentOnCreation.
func taskRules(t testing.TB) *assign.Rules {
	t.Helper()
	rules, err := assign.New(assign.Config{Rules: []assign.Rule{
		{Name: "crm", When: assign.When{Services: []string{"crm"}}, Group: "crm-admins",
			Strategy: assign.RoundRobin, Members: []string{"cora", "carl"}},
		{Name: "hardware", When: assign.When{Categories: []string{"hardware"}}, Group: "deskside",
			Strategy: assign.RoundRobin, Members: []string{"ann", "ben"}},
		{Name: "accounts", When: assign.When{Categories: []string{"people"}}, Group: "identity",
			Strategy: assign.LeastLoaded, Members: []string{"ida", "ivan"}},
	}})
	require.NoError(t, err)
	return rules
}

// TestTaskAssignmentOnCreation: the rules assign the tasks an approval or
// an order creates: by the item's category and an access item's service
// for templates without a group, by the group's rule for templates with
// one; a template's assignee stays; a group without a rule keeps its
// queue; the tasks one rule assigns in one commit share its turn; and two
// desks sharing a store take the round robin's turns in one order. On
// memstore and SQLite.
func TestTaskAssignmentOnCreation(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		ctx := t.Context()
		h := newHosts(t, db, 2, request.Config{Catalog: assignmentCatalog(t), Assignment: taskRules(t)})
		d := h.desks[0]
		order := func(d *request.Desk, item string) *request.Request {
			t.Helper()
			r, err := d.Order(ctx, request.Order{By: alice, Lines: []request.OrderLine{{Item: item}}})
			require.NoError(t, err)
			return r
		}
		tasks := func(r *request.Request) []*request.Task {
			t.Helper()
			return collect(t, d.Tasks(ctx, request.TaskQuery{Request: r.ID}))
		}

		kit := tasks(order(d, "kit"))
		require.Len(t, kit, 2)
		for _, tk := range kit {
			assert.Equal(t, "deskside", tk.Group)
			assert.Equal(t, "ann", tk.Assignee, "one turn for the request's tasks of one rule")
			assert.Contains(t, creationNote(t, d, tk.ID), "assigned to deskside (ann) by rule hardware")
		}
		kit = tasks(order(h.desks[1], "kit"))
		assert.Equal(t, []string{"ben", "ben"}, []string{kit[0].Assignee, kit[1].Assignee}, "the next turn, on the other desk")

		onboarding := tasks(order(d, "onboarding"))
		require.Len(t, onboarding, 3)
		assert.Equal(t, "identity", onboarding[0].Group)
		assert.Equal(t, "ida", onboarding[0].Assignee, "the identity group's rule")
		assert.Contains(t, creationNote(t, d, onboarding[0].ID), "by rule accounts")
		for _, tk := range onboarding[1:] {
			assert.Empty(t, tk.Assignee, "%s: no rule for the group", tk.Group)
			assert.NotContains(t, creationNote(t, d, tk.ID), "by rule")
		}
		onboarding = tasks(order(d, "onboarding"))
		assert.Equal(t, "ivan", onboarding[0].Assignee, "ida holds one")

		badge := tasks(order(d, "badge"))
		assert.Equal(t, []string{"identity", "zed"}, []string{badge[0].Group, badge[0].Assignee}, "the template's assignee")
		assert.NotContains(t, creationNote(t, d, badge[0].ID), "by rule")

		crm := order(d, "crm-agent")
		crm, err := d.Decide(ctx, request.DecideParams{ID: crm.ID, By: olga, Verdict: approval.Approve})
		require.NoError(t, err)
		grant := tasks(crm)
		require.Len(t, grant, 1)
		assert.Equal(t, []string{"crm-admins", "cora"}, []string{grant[0].Group, grant[0].Assignee}, "by the access item's service")
		_, err = d.CompleteTask(ctx, request.TaskParams{ID: grant[0].ID, By: itil.Actor{ID: "cora"}})
		require.NoError(t, err)
		crm, err = d.Get(ctx, crm.ID)
		require.NoError(t, err)
		require.Equal(t, request.StateFulfilled, crm.State)
		revocation, err := h.desks[1].Revoke(ctx, request.RevokeParams{ID: crm.Lines[0].Grant, By: mike, Note: "left the team"})
		require.NoError(t, err)
		revoke := tasks(revocation)
		require.Len(t, revoke, 1)
		assert.Equal(t, []string{"crm-admins", "carl"}, []string{revoke[0].Group, revoke[0].Assignee}, "the revocation's task, the next turn")
		assert.Equal(t, "for "+revocation.Number+": CRM agent\nassigned to crm-admins (carl) by rule crm", creationNote(t, d, revoke[0].ID))
	})
}

// TestTaskAssignmentAcrossDesks: two desks sharing a store, ordering from
// several goroutines, take the round robin's members in equal turns. On
// memstore and SQLite.
func TestTaskAssignmentAcrossDesks(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		ctx := t.Context()
		h := newHosts(t, db, 2, request.Config{Catalog: assignmentCatalog(t), Assignment: taskRules(t)})
		const n = 6
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				_, err := h.desks[i%2].Order(ctx, request.Order{By: alice, Lines: []request.OrderLine{{Item: "monitor"}}})
				assert.NoError(t, err)
			})
		}
		wg.Wait()
		turns := map[string]int{}
		for tk, err := range h.desks[0].Tasks(ctx, request.TaskQuery{Group: "deskside"}) {
			require.NoError(t, err)
			turns[tk.Assignee]++
		}
		assert.Equal(t, map[string]int{"ann": n / 2, "ben": n / 2}, turns)
	})
}

// TestAssignTask: AssignTask hands a task to a group and a person, the
// group's rule choosing the person when none is named, with the rule in
// the journal; it refuses a task that is done and leaves a task in
// progress without an assignee. On memstore and SQLite.
func TestAssignTask(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		ctx := t.Context()
		h := newHosts(t, db, 1, request.Config{Catalog: assignmentCatalog(t), Assignment: taskRules(t)})
		d := h.desks[0]
		r, err := d.Order(ctx, request.Order{By: alice, Lines: []request.OrderLine{{Item: "onboarding"}}})
		require.NoError(t, err)
		badge := r.Tasks[1].ID // facilities: no rule

		tests := []struct {
			name string
			p    request.AssignTaskParams
			want []string // group, assignee
			note string
		}{
			{"the group's rule chooses", request.AssignTaskParams{Group: "deskside", Note: "not a badge job"},
				[]string{"deskside", "ann"}, "not a badge job\nassigned to deskside (ann) by rule hardware"},
			{"the rule's next turn", request.AssignTaskParams{Group: "deskside"},
				[]string{"deskside", "ben"}, "assigned to deskside (ben) by rule hardware"},
			{"a person named", request.AssignTaskParams{Group: "deskside", Assignee: "dora"},
				[]string{"deskside", "dora"}, ""},
			{"a group without a rule", request.AssignTaskParams{Group: "facilities"},
				[]string{"facilities", ""}, ""},
			{"least loaded", request.AssignTaskParams{Group: "identity"},
				[]string{"identity", "ivan"}, "assigned to identity (ivan) by rule accounts"},
		}
		for _, tt := range tests {
			tt.p.ID, tt.p.By = badge, mike
			tk, err := d.AssignTask(ctx, tt.p)
			require.NoError(t, err, tt.name)
			assert.Equal(t, tt.want, []string{tk.Group, tk.Assignee}, tt.name)
			assert.Equal(t, request.TaskOpen, tk.State, "%s: the state is kept", tt.name)
			changes := journal(t, d, badge)
			last := changes[len(changes)-1]
			assert.Equal(t, "assign", last.Event, tt.name)
			assert.Equal(t, tt.note, last.Note, tt.name)
		}

		started, err := d.StartTask(ctx, request.TaskParams{ID: badge, By: itil.Actor{ID: "ivan"}})
		require.NoError(t, err)
		_, err = d.AssignTask(ctx, request.AssignTaskParams{ID: badge, By: mike, Group: "facilities"})
		var ve *itil.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "assignee", ve.Field, "a task in progress keeps someone")
		same, err := d.GetTask(ctx, badge)
		require.NoError(t, err)
		assert.Equal(t, started.Version, same.Version, "nothing written")
		_, err = d.AssignTask(ctx, request.AssignTaskParams{ID: badge, By: mike, Group: "facilities", Assignee: "fay"})
		require.NoError(t, err)

		_, err = d.CompleteTask(ctx, request.TaskParams{ID: badge, By: itil.Actor{ID: "fay"}})
		require.NoError(t, err)
		_, err = d.AssignTask(ctx, request.AssignTaskParams{ID: badge, By: mike, Group: "deskside"})
		var te *lifecycle.TransitionError
		require.ErrorAs(t, err, &te, "a done task")
		assert.Equal(t, "assign", te.Event)

		_, err = d.AssignTask(ctx, request.AssignTaskParams{ID: uuid.Must(uuid.NewV7()), By: mike, Group: "deskside"})
		assert.ErrorIs(t, err, lifecycle.ErrNotFound)
	})
}

// TestAssignTaskWithoutRules: a desk without Assignment assigns only whom
// it is told.
func TestAssignTaskWithoutRules(t *testing.T) {
	t.Parallel()
	f := newFixture(t, request.Config{})
	r := f.order(t, "mouse", nil)
	tk, err := f.desk.AssignTask(t.Context(), request.AssignTaskParams{ID: r.Tasks[0].ID, By: mike, Group: "imaging"})
	require.NoError(t, err)
	assert.Equal(t, []string{"imaging", ""}, []string{tk.Group, tk.Assignee})
	created := f.tasks(t, r.ID)[0]
	assert.Equal(t, "for "+r.Number+": Wireless mouse", creationNote(t, f.desk, created.ID))
}

// TestAssignmentConfig: a desk refuses, naming the field, a catalog item
// whose template names no group that its rules do not give one, at
// NewDesk for the catalog it is given and at Order for an item added
// since.
func TestAssignmentConfig(t *testing.T) {
	t.Parallel()
	onlyPeople, err := assign.New(assign.Config{Rules: []assign.Rule{
		{Name: "people", When: assign.When{Categories: []string{"people"}}, Group: "identity"}}})
	require.NoError(t, err)
	byPriority, err := assign.New(assign.Config{Rules: []assign.Rule{
		{Name: "urgent", When: assign.When{Priorities: []itil.Priority{itil.P4}}, Group: "deskside"}}})
	require.NoError(t, err)
	tests := []struct {
		name  string
		item  request.Item
		rules *assign.Rules
		field string
	}{
		{"no rules", monitorItem(), nil, "Catalog[monitor].tasks[0].group"},
		{"no rule matches", monitorItem(), onlyPeople, "Catalog[monitor].tasks[0].group"},
		{"requests have no priority", monitorItem(), byPriority, "Catalog[monitor].tasks[0].group"},
		{"revocation task", func() request.Item {
			it := crmItem()
			it.Category = "people"
			it.Access.RevokeTasks[0].Group = ""
			it.Tasks[0].Group = "crm-admins"
			return it
		}(), nil, "Catalog[crm-agent].access.revoke_tasks[0].group"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cat, err := request.NewCatalog(tt.item)
			require.NoError(t, err, "the catalog takes a template without a group")
			_, err = request.NewDesk(teststores.Memstore(t).Host(t), request.Config{Catalog: cat, Assignment: tt.rules})
			var ve *itil.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
		})
	}

	t.Run("an item added since", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, request.Config{Assignment: onlyPeople})
		require.NoError(t, f.desk.Catalog().Add(monitorItem()))
		before := snapshot(t, f.store)
		_, err := f.desk.Order(t.Context(), request.Order{By: alice, Lines: []request.OrderLine{{Item: "mouse"}, {Item: "monitor"}}})
		var le *request.LineError
		require.ErrorAs(t, err, &le)
		assert.Equal(t, 1, le.Line)
		var ve *itil.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "tasks[0].group", ve.Field)
		assert.True(t, errors.Is(err, itil.ErrInvalid))
		assert.Equal(t, before, snapshot(t, f.store), "nothing written")
	})
}
