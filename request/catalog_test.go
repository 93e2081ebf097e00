package request_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/approval"
	"github.com/itil-go/itil/request"
)

func TestCatalogAddValidates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		edit  func(*request.Item)
		field string
	}{
		{"bad id", func(it *request.Item) { it.ID = "Laptop!" }, "id"},
		{"no name", func(it *request.Item) { it.Name = " " }, "name"},
		{"no category", func(it *request.Item) { it.Category = "" }, "category"},
		{"bad kind", func(it *request.Item) { it.Kind = "robot" }, "kind"},
		{"bad order", func(it *request.Item) { it.TaskOrder = "random" }, "task_order"},
		{"bad variable name", func(it *request.Item) { it.Variables[0].Name = "1ram" }, "variables[0].name"},
		{"duplicate variable", func(it *request.Item) { it.Variables[1].Name = "ram" }, "variables[ram].name"},
		{"bad variable kind", func(it *request.Item) { it.Variables[0].Kind = "colour" }, "variables[ram].kind"},
		{"min above max", func(it *request.Item) { it.Variables[0].Min = request.Float(100) }, "variables[ram].max"},
		{"bounds on a boolean", func(it *request.Item) { it.Variables[3].Max = request.Float(1) }, "variables[dock].max"},
		{"fractional length", func(it *request.Item) { it.Variables[4].Max = request.Float(2.5) }, "variables[asset_tag].max"},
		{"bad pattern", func(it *request.Item) { it.Variables[4].Pattern = "([" }, "variables[asset_tag].pattern"},
		{"pattern on a number", func(it *request.Item) { it.Variables[0].Pattern = "[0-9]+" }, "variables[ram].pattern"},
		{"no choices", func(it *request.Item) { it.Variables[1].Choices = nil }, "variables[os].choices"},
		{"duplicate choice", func(it *request.Item) { it.Variables[1].Choices = []string{"a", "a"} }, "variables[os].choices[1]"},
		{"choices on text", func(it *request.Item) { it.Variables[4].Choices = []string{"a"} }, "variables[asset_tag].choices"},
		{"bad default", func(it *request.Item) { it.Variables[0].Default = "4" }, "variables[ram].default"},
		{"bad date default", func(it *request.Item) { it.Variables[2].Default = "soon" }, "variables[needed_by].default"},
		{"approval without slots", func(it *request.Item) { it.Approval.Slots = nil }, "approval.slots"},
		{"bad quorum", func(it *request.Item) { it.Approval.Policy = approval.Quorum(3) }, "approval.policy.n"},
		{"blank task group", func(it *request.Item) { it.Tasks[1].Group = "  " }, "tasks[1].group"},
		{"assignee without group", func(it *request.Item) { it.Tasks[1].Group, it.Tasks[1].Assignee = "", "tom" }, "tasks[1].group"},
		{"blank assignee", func(it *request.Item) { it.Tasks[1].Assignee = " " }, "tasks[1].assignee"},
		{"revoke task assignee without group", func(it *request.Item) {
			it.Kind, it.Access = request.KindAccess, &request.Access{Service: "x", Role: "y", Owner: "z",
				RevokeTasks: []request.TaskTemplate{{Title: "Revoke", Assignee: "tom"}}}
		}, "access.revoke_tasks[0].group"},
		{"task without title", func(it *request.Item) { it.Tasks[0].Title = "" }, "tasks[0].title"},
		{"negative sla", func(it *request.Item) { it.SLA.Resolution.Within = -1 }, "sla.resolution.within"},
		{"bad currency", func(it *request.Item) { it.Price.Currency = "euro" }, "price.currency"},
		{"negative price", func(it *request.Item) { it.Price.Amount = -1 }, "price.amount"},
		{"access on a laptop", func(it *request.Item) { it.Access = &request.Access{Service: "x", Role: "y", Owner: "z"} }, "access"},
		{"access item without access", func(it *request.Item) { it.Kind = request.KindAccess }, "access"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			it := laptopItem()
			tt.edit(&it)
			cat := &request.Catalog{}
			err := cat.Add(it)
			var ve *itil.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
			_, err = cat.Get(it.ID)
			assert.ErrorIs(t, err, lifecycle.ErrNotFound, "a refused item is not added")
		})
	}
	t.Run("access owner required", func(t *testing.T) {
		it := erpItem()
		it.Access.Owner = ""
		var ve *itil.ValidationError
		require.ErrorAs(t, it.Validate(), &ve)
		assert.Equal(t, "access.owner", ve.Field)
	})
}

func TestCatalogBrowseAndSearch(t *testing.T) {
	t.Parallel()
	retired := mouseItem()
	retired.ID, retired.Name, retired.Retired = "old-mouse", "Corded mouse", true
	cat, err := request.NewCatalog(laptopItem(), mouseItem(), onboardingItem(), erpItem(), wikiItem(), retired)
	require.NoError(t, err)

	ids := func(seq func(func(request.Item) bool)) []string {
		var out []string
		for it := range seq {
			out = append(out, it.ID)
		}
		return out
	}
	assert.Equal(t, []string{"access", "hardware", "people"}, cat.Categories())
	assert.Equal(t, []string{"laptop", "mouse"}, ids(cat.Browse("hardware")), "by name; retired items left out")
	assert.Len(t, ids(cat.Browse("")), 5)
	assert.Empty(t, ids(cat.Browse("furniture")))

	assert.Equal(t, []string{"laptop"}, ids(cat.Search("Laptop")))
	assert.Equal(t, []string{"laptop"}, ids(cat.Search("note")), "keyword prefixes match")
	assert.Equal(t, []string{"erp-ap-clerk"}, ids(cat.Search("supplier invoices")), "description words match")
	assert.Equal(t, []string{"mouse"}, ids(cat.Search("mouse")), "retired items are not found")
	assert.Equal(t, []string{"erp-ap-clerk", "wiki-editor"}, ids(cat.Search("access")))
	assert.Empty(t, ids(cat.Search("laptop erp")), "every word must match")
	assert.Empty(t, ids(cat.Search("  ")))

	it, err := cat.Get("old-mouse")
	require.NoError(t, err)
	assert.True(t, it.Retired, "Get finds retired items")

	// Items go in and come out as copies.
	it, _ = cat.Get("laptop")
	it.Variables[0].Name = "changed"
	*it.Variables[0].Min = 1
	again, _ := cat.Get("laptop")
	assert.Equal(t, "ram", again.Variables[0].Name)
	assert.Equal(t, 8.0, *again.Variables[0].Min)

	upd := laptopItem()
	upd.Name = "Developer laptop"
	require.NoError(t, cat.Update(upd))
	it, _ = cat.Get("laptop")
	assert.Equal(t, "Developer laptop", it.Name)
	upd.ID = "nope"
	assert.ErrorIs(t, cat.Update(upd), lifecycle.ErrNotFound)
	assert.ErrorIs(t, cat.Add(mouseItem()), lifecycle.ErrExists)
}

func TestCatalogConcurrent(t *testing.T) {
	t.Parallel()
	cat := &request.Catalog{}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			it := mouseItem()
			it.ID = fmt.Sprintf("mouse-%d", i)
			assert.NoError(t, cat.Add(it))
			it.Name = "Renamed mouse"
			assert.NoError(t, cat.Update(it))
			for range cat.Search("mouse") {
			}
			for range cat.Browse("hardware") {
			}
		})
	}
	wg.Wait()
	assert.Len(t, slices.Collect(cat.Browse("")), 8)
}

func TestItemJSONRoundTrip(t *testing.T) {
	t.Parallel()
	for _, it := range []request.Item{laptopItem(), mouseItem(), onboardingItem(), erpItem(), wikiItem()} {
		b, err := json.Marshal(it)
		require.NoError(t, err)
		back, err := request.ParseItem(b)
		require.NoError(t, err, string(b))
		assert.Equal(t, it, back)
	}
	_, err := request.ParseItem([]byte(`{"id":"x","name":"X","category":"c","varaibles":[]}`))
	var ve *itil.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "item", ve.Field, "unknown fields are refused")
	_, err = request.ParseItem([]byte(`{"id":"x","name":"X","category":"c","variables":[{"name":"n","kind":"number","min":5,"max":1}]}`))
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "variables[n].max", ve.Field)
}
