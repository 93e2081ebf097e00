package storetest_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/storetest"
)

func fullItem(t *testing.T) *storetest.Item {
	t.Helper()
	id, err := uuid.NewV7()
	require.NoError(t, err)
	at := time.Date(2025, 3, 4, 9, 30, 0, 0, time.UTC)
	return &storetest.Item{
		Record: lifecycle.Record{
			ID: id, Kind: "item", Number: "ITM0000001", State: "hold", StateCategory: lifecycle.Paused,
			Version: 3, CreatedAt: at, UpdatedAt: at.Add(time.Minute),
			Fields: map[string]string{"vendor_ticket": "V-1"},
		},
		Title:   "item",
		Owner:   "alice",
		Tags:    []string{"red", "blue"},
		Labels:  map[string]string{"colour": "red"},
		Counter: 7,
	}
}

// SQL stores keep records as JSON and decode them into NewItem().
func TestItemJSON(t *testing.T) {
	t.Parallel()
	it := fullItem(t)
	b, err := json.Marshal(it)
	require.NoError(t, err)
	e := storetest.NewItem()
	require.NoError(t, json.Unmarshal(b, e))
	assert.Equal(t, it, e)
}

func TestItemClone(t *testing.T) {
	t.Parallel()
	it := fullItem(t)
	c := it.Clone().(*storetest.Item)
	require.Equal(t, it, c)
	c.Tags[0], c.Labels["colour"], c.Fields["vendor_ticket"] = "x", "x", "x"
	assert.Equal(t, "red", it.Tags[0])
	assert.Equal(t, "red", it.Labels["colour"])
	assert.Equal(t, "V-1", it.Fields["vendor_ticket"])
}

func TestItemAttrs(t *testing.T) {
	t.Parallel()
	it := fullItem(t)
	assert.Equal(t, []lifecycle.Attr{
		{Key: "owner", Value: "alice"}, {Key: "tag", Value: "red"}, {Key: "tag", Value: "blue"},
	}, it.Attrs(nil))
	assert.Empty(t, (&storetest.Item{}).Attrs(nil), "an empty owner is not indexed")
}
