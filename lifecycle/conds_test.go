package lifecycle_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"

	"github.com/itil-go/itil/lifecycle"
)

func TestConds(t *testing.T) {
	id := uuid.MustParse("01900000-0000-7000-8000-000000000001")
	var w lifecycle.Conds
	w.States(false, nil, nil)
	w.Eq("group")
	w.Eq("assignee", "")
	w.ID("parent", uuid.Nil)
	assert.Empty(t, w, "zero fields do not filter")

	w.States(true, []lifecycle.Category{lifecycle.Resolved}, []string{"new", ""})
	w.Eq("group", "network", "", "desk")
	w.ID("parent", uuid.Nil, id)
	assert.Equal(t, lifecycle.Conds{
		lifecycle.Active(),
		lifecycle.InCategories(lifecycle.Resolved),
		lifecycle.Eq("state", "new"),
		lifecycle.Eq("group", "network", "desk"),
		lifecycle.Eq("parent", id.String()),
	}, w)
}
