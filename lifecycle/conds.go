package lifecycle

import (
	"github.com/google/uuid"
)

// Conds builds the conditions of a process's query from its optional
// fields: each method adds one condition, and only when its value is set,
// so that the zero fields of a query do not filter. The conditions of a
// query all hold (fields AND); the values given to one field are
// alternatives (values OR). Every process translates its Query this way:
//
//	var w lifecycle.Conds
//	w.States(q.Open, q.Categories, q.States)
//	w.Eq("group", q.Group)
//	w.ID("parent", q.Parent)
//	st.Find(ctx, lifecycle.Query{Kind: "incident", Where: w})
type Conds []Cond

// Eq adds "attribute key is one of values", leaving out empty values; it
// adds nothing when no value is left.
func (c *Conds) Eq(key string, values ...string) {
	var keep []string
	for _, v := range values {
		if v != "" {
			keep = append(keep, v)
		}
	}
	if len(keep) > 0 {
		*c = append(*c, Cond{Key: key, Values: keep})
	}
}

// ID adds "attribute key is one of ids", leaving out nil IDs.
func (c *Conds) ID(key string, ids ...uuid.UUID) {
	var keep []string
	for _, id := range ids {
		if id != uuid.Nil {
			keep = append(keep, id.String())
		}
	}
	if len(keep) > 0 {
		*c = append(*c, Cond{Key: key, Values: keep})
	}
}

// States adds the three state filters every process's Query has, each as
// a condition of its own: open (the record still needs work: an open or
// paused state), one of cats, one of states. Open with Categories
// {Resolved} therefore matches nothing: both must hold.
func (c *Conds) States(open bool, cats []Category, states []string) {
	if open {
		*c = append(*c, Active())
	}
	if len(cats) > 0 {
		*c = append(*c, InCategories(cats...))
	}
	c.Eq("state", states...)
}
