package memstore_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/memstore"
	"github.com/itil-go/itil/lifecycle/storetest"
)

// TestFindMatchesScan checks filtered pages over many index blocks against a
// plain scan: the join over the index sets finds exactly the records whose
// attributes match, in ID order, page after page.
func TestFindMatchesScan(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := memstore.New(memstore.Config{})
	rng := rand.New(rand.NewPCG(7, 11))
	const n = 6000
	var all []*storetest.Item
	for i := range n {
		it := &storetest.Item{Title: fmt.Sprint(i), Owner: fmt.Sprintf("o%d", rng.IntN(12))} // more values than a family lists: a map
		it.ID = uuid.Must(uuid.NewV7())
		it.Kind, it.State, it.Version = "item", []string{"open", "done"}[rng.IntN(2)], 1
		for _, tag := range []string{"red", "green", "blue"} {
			if rng.IntN(3) == 0 {
				it.Tags = append(it.Tags, tag)
			}
		}
		require.NoError(t, st.Create(ctx, it, &lifecycle.Change{ID: uuid.New(), Kind: "item", RecordID: it.ID, Event: lifecycle.EventCreate, To: it.State}))
		all = append(all, it)
	}
	has := func(it *storetest.Item, key, value string) bool {
		switch key {
		case "owner":
			return it.Owner == value
		case "state":
			return it.State == value
		case "tag":
			return slices.Contains(it.Tags, value)
		}
		return false
	}
	for _, where := range [][]lifecycle.Cond{
		{lifecycle.Eq("owner", "o3"), lifecycle.Eq("state", "open")},
		{lifecycle.Eq("tag", "red", "blue"), lifecycle.Eq("owner", "o1", "o2"), lifecycle.Eq("state", "done")},
		{lifecycle.Eq("tag", "green"), lifecycle.Eq("tag", "red")},
		{lifecycle.Eq("owner", "o11", "o9"), lifecycle.Eq("state", "open", "done")},
	} {
		var want []uuid.UUID
		for _, it := range all {
			ok := true
			for _, c := range where {
				ok = ok && slices.ContainsFunc(c.Values, func(v string) bool { return has(it, c.Key, v) })
			}
			if ok {
				want = append(want, it.ID)
			}
		}
		slices.SortFunc(want, func(a, b uuid.UUID) int { return slices.Compare(a[:], b[:]) })
		var got []uuid.UUID
		q := lifecycle.Query{Kind: "item", Where: where, Limit: 37}
		for {
			page := 0
			for e, err := range st.Find(ctx, q) {
				require.NoError(t, err)
				got = append(got, e.Base().ID)
				q.After = e.Base().ID
				page++
			}
			if page < q.Limit {
				break
			}
		}
		assert.Equal(t, want, got, "%v", where)
	}
}
