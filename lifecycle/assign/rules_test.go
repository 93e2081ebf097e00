package assign_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/assign"
	"github.com/itil-go/itil/lifecycle/memstore"
)

type skills map[string][]string

func (s skills) Skills(_ context.Context, p string) ([]string, error) { return s[p], nil }

func TestNewRefusesBadRules(t *testing.T) {
	t.Parallel()
	ok := assign.Rule{Name: "r", Group: "g"}
	for _, tc := range []struct {
		name  string
		cfg   assign.Config
		field string
	}{
		{"no name", assign.Config{Rules: []assign.Rule{{Group: "g"}}}, "rules[0].name"},
		{"twice", assign.Config{Rules: []assign.Rule{ok, ok}}, "rules[1].name"},
		{"no group", assign.Config{Rules: []assign.Rule{{Name: "r"}}}, "rules[0].group"},
		{"bad strategy", assign.Config{Rules: []assign.Rule{{Name: "r", Group: "g", Strategy: 9}}}, "rules[0].strategy"},
		{"no members", assign.Config{Rules: []assign.Rule{{Name: "r", Group: "g", Strategy: assign.RoundRobin}}}, "rules[0].members"},
		{"member twice", assign.Config{Rules: []assign.Rule{{Name: "r", Group: "g", Strategy: assign.RoundRobin, Members: []string{"a", "a"}}}}, "rules[0].members[1]"},
		{"empty member", assign.Config{Rules: []assign.Rule{{Name: "r", Group: "g", Strategy: assign.LeastLoaded, Members: []string{""}}}}, "rules[0].members[0]"},
		{"no skills", assign.Config{Directory: skills{}, Rules: []assign.Rule{{Name: "r", Group: "g", Strategy: assign.BySkills, Members: []string{"a"}}}}, "rules[0].skills"},
		{"no directory", assign.Config{Rules: []assign.Rule{{Name: "r", Group: "g", Strategy: assign.BySkills, Members: []string{"a"}, Skills: []string{"x"}}}}, "directory"},
		{"bad priority", assign.Config{Rules: []assign.Rule{{Name: "r", Group: "g", When: assign.When{Priorities: []itil.Priority{0}}}}}, "rules[0].when.priorities[0]"},
		{"NUL in category", assign.Config{Rules: []assign.Rule{{Name: "r", Group: "g", When: assign.When{Categories: []string{"a\x00"}}}}}, "rules[0].when.categories[0]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := assign.New(tc.cfg)
			var ve *itil.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tc.field, ve.Field)
		})
	}
}

func TestMatchTakesTheFirstRuleMet(t *testing.T) {
	t.Parallel()
	rules, err := assign.New(assign.Config{Rules: []assign.Rule{
		{Name: "p1 network", When: assign.When{Categories: []string{"network"}, Priorities: []itil.Priority{itil.P1}}, Group: "noc"},
		{Name: "network", When: assign.When{Categories: []string{"network"}}, Group: "network"},
		{Name: "databases", When: assign.When{CIClasses: []string{"database"}}, Group: "dba"},
		{Name: "shop", When: assign.When{Services: []string{"shop"}, Channels: []string{"monitoring"}}, Group: "shop-team"},
		{Name: "rest", Group: "service-desk"},
	}})
	require.NoError(t, err)
	for _, tc := range []struct {
		facts assign.Facts
		rule  string
	}{
		{assign.Facts{Category: "network", Priority: itil.P1}, "p1 network"},
		{assign.Facts{Category: "network", Priority: itil.P3}, "network"},
		{assign.Facts{CIClasses: []string{"server", "database"}}, "databases"},
		{assign.Facts{Services: []string{"shop"}, Channel: "monitoring"}, "shop"},
		{assign.Facts{Services: []string{"shop"}, Channel: "phone"}, "rest"},
		{assign.Facts{}, "rest"},
	} {
		r, ok := rules.Match(tc.facts)
		require.True(t, ok)
		assert.Equal(t, tc.rule, r.Name, "%+v", tc.facts)
	}
	none, err := assign.New(assign.Config{Rules: []assign.Rule{{Name: "only vpn", When: assign.When{Categories: []string{"vpn"}}, Group: "g"}}})
	require.NoError(t, err)
	_, ok := none.Match(assign.Facts{Category: "mail"})
	assert.False(t, ok)
}

// TestRoundRobinTakesTurnsInTheStore: the rotation is the version of a
// lock record, so turns follow commits, and a Tx that is not committed
// takes none.
func TestRoundRobinTakesTurnsInTheStore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := memstore.New(memstore.Config{})
	rules, err := assign.New(assign.Config{Rules: []assign.Rule{{Name: "rr", Group: "g", Strategy: assign.RoundRobin, Members: []string{"a", "b", "c"}}}})
	require.NoError(t, err)
	r, _ := rules.ForGroup("g")
	var got []string
	for range 7 {
		require.NoError(t, lifecycle.Atomic(ctx, st, 0, func(tx *lifecycle.Tx) error {
			who, err := rules.Choose(ctx, tx, r, nil)
			got = append(got, who)
			return err
		}))
	}
	assert.Equal(t, []string{"a", "b", "c", "a", "b", "c", "a"}, got)

	abandoned := lifecycle.NewTx(st)
	who, err := rules.Choose(ctx, abandoned, r, nil)
	require.NoError(t, err)
	assert.Equal(t, "b", who)
	require.NoError(t, lifecycle.Atomic(ctx, st, 0, func(tx *lifecycle.Tx) error {
		who, err = rules.Choose(ctx, tx, r, nil)
		return err
	}))
	assert.Equal(t, "b", who, "the uncommitted turn is taken again")
}

func TestLeastLoadedAndSkills(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	load := map[string]int{"a": 3, "b": 1, "c": 1, "d": 0}
	byLoad := func(_ context.Context, p string) (int, error) { return load[p], nil }
	rules, err := assign.New(assign.Config{
		Directory: skills{"a": {"oracle", "linux"}, "b": {"linux"}, "c": {"oracle", "linux"}},
		Rules: []assign.Rule{
			{Name: "least", Group: "g", Strategy: assign.LeastLoaded, Members: []string{"a", "b", "c"}},
			{Name: "oracle", Group: "dba", Strategy: assign.BySkills, Members: []string{"a", "b", "c"}, Skills: []string{"oracle", "linux"}},
			{Name: "cobol", Group: "legacy", Strategy: assign.BySkills, Members: []string{"a", "b"}, Skills: []string{"cobol"}},
		}})
	require.NoError(t, err)
	choose := func(group string, l assign.Load) (string, error) {
		r, ok := rules.ForGroup(group)
		require.True(t, ok)
		return rules.Choose(ctx, nil, r, l)
	}
	who, err := choose("g", byLoad)
	require.NoError(t, err)
	assert.Equal(t, "b", who, "the least loaded, the first on a tie")
	who, err = choose("dba", byLoad)
	require.NoError(t, err)
	assert.Equal(t, "c", who, "the least loaded of those with every skill")
	who, err = choose("legacy", byLoad)
	require.NoError(t, err)
	assert.Empty(t, who, "no one has the skill: the group's queue")

	_, err = choose("g", nil)
	assert.ErrorIs(t, err, itil.ErrInvalid)
	bad := errors.New("directory down")
	_, err = choose("g", func(context.Context, string) (int, error) { return 0, bad })
	assert.ErrorIs(t, err, bad)
	_, err = rules.Choose(ctx, nil, assign.Rule{Name: "rr", Group: "g", Strategy: assign.RoundRobin, Members: []string{"a"}}, nil)
	assert.ErrorIs(t, err, itil.ErrInvalid, "round robin needs a Tx")
}
