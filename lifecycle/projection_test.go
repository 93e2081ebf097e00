package lifecycle_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/lifecycle"
)

// groups is a read model: the group of every ticket, from the log.
type groups struct {
	mu sync.Mutex
	m  map[uuid.UUID]string
}

func (g *groups) apply(_ context.Context, ch lifecycle.Change) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, f := range ch.Fields {
		if f.Field == "group" {
			g.m[ch.RecordID] = f.New
		}
	}
	return nil
}

func TestProjectionFollowsTheLog(t *testing.T) {
	ctx := context.Background()
	p := newTickets(t, nil, lifecycle.ProcessConfig{})
	g := &groups{m: map[uuid.UUID]string{}}
	proj := lifecycle.NewProjection(p.Store(), g.apply)
	assert.Zero(t, proj.Seq()) // no I/O before the first catch-up

	a, err := p.Create(ctx, &ticket{Title: "a"}, alice, "")
	require.NoError(t, err)
	_, err = p.Fire(ctx, a.ID, lifecycle.Action[*ticket]{Event: "assign", Actor: alice, Apply: setGroup("desk")})
	require.NoError(t, err)
	require.NoError(t, proj.CatchUp(ctx))
	assert.Equal(t, "desk", g.m[a.ID])
	assert.EqualValues(t, 2, proj.Seq())

	// Many pages of changes are applied in order.
	for i := range 1200 {
		_, err = p.Fire(ctx, a.ID, lifecycle.Action[*ticket]{Event: "assign", Actor: alice, Apply: setGroup([]string{"ops", "desk"}[i%2])})
		require.NoError(t, err)
	}
	require.NoError(t, proj.CatchUp(ctx))
	assert.Equal(t, "desk", g.m[a.ID])
	assert.EqualValues(t, 1202, proj.Seq())
}

func TestProjectionRetriesAFailedChange(t *testing.T) {
	ctx := context.Background()
	p := newTickets(t, nil, lifecycle.ProcessConfig{})
	a, err := p.Create(ctx, &ticket{Title: "a"}, alice, "")
	require.NoError(t, err)
	var seen []int64
	fail := true
	proj := lifecycle.NewProjection(p.Store(), func(_ context.Context, ch lifecycle.Change) error {
		if fail {
			fail = false
			return errors.New("model busy")
		}
		seen = append(seen, ch.Seq)
		return nil
	})
	_, err = p.Fire(ctx, a.ID, lifecycle.Action[*ticket]{Event: "assign", Actor: alice, Apply: setGroup("desk")})
	require.NoError(t, err)
	require.Error(t, proj.CatchUp(ctx))
	require.NoError(t, proj.CatchUp(ctx))
	assert.Equal(t, []int64{1, 2}, seen)
}
