package request

import (
	"context"
	"fmt"
	"iter"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Query selects requests. Zero fields do not filter; the set ones must all
// hold (fields AND), and a field of several values holds when the request
// has one of them (values OR): Open with Categories {lifecycle.Resolved}
// matches nothing, since no request is both, while States {"submitted",
// "approved"} matches either.
type Query struct {
	// Requester keeps the requests a user made; For those made for a user.
	Requester string
	For       string
	// Open keeps requests that still need work (open or paused states).
	Open bool
	// Categories keeps requests whose state is in one of these categories.
	Categories []lifecycle.Category
	// States keeps requests in one of these states.
	States []string
	// Item keeps the requests that order a catalog item; CatalogCategory
	// those that order an item of a catalog category; Service the access
	// requests and revocations for a service.
	Item            string
	CatalogCategory string
	Service         string
	// Revokes keeps the revocation requests of a grant.
	Revokes uuid.UUID
	// After and Limit page through the results: pass the last ID of one
	// page as After for the next.
	After uuid.UUID
	Limit int
}

// where translates q into the store's conditions: one per set field, all
// of which must hold; the values of one field are alternatives.
func (q Query) where() lifecycle.Conds {
	var w lifecycle.Conds
	w.States(q.Open, q.Categories, q.States)
	w.Eq("requester", q.Requester)
	w.Eq("for", q.For)
	w.Eq("item", q.Item)
	w.Eq("catalog_category", q.CatalogCategory)
	w.Eq("service", q.Service)
	w.ID("revokes", q.Revokes)
	return w
}

// check reports the first field of q that is not fit text (UTF-8 without
// NUL characters, at most MaxNameLength characters), a category that is
// not one, or a state the lifecycle def does not have.
func (q Query) check(def *lifecycle.Definition) error {
	if err := checkTexts(text{"requester", q.Requester, MaxNameLength}, text{"for", q.For, MaxNameLength},
		text{"item", q.Item, MaxNameLength}, text{"catalog_category", q.CatalogCategory, MaxNameLength},
		text{"service", q.Service, MaxNameLength}); err != nil {
		return err
	}
	for i, c := range q.Categories {
		if !c.Valid() {
			return &itil.ValidationError{Field: fmt.Sprintf("categories[%d]", i), Reason: fmt.Sprintf("undefined category %d", c)}
		}
	}
	return checkStates(def, q.States)
}

// checkStates reports the first of states that def does not have, as a
// *itil.ValidationError on "states[N]".
func checkStates(def *lifecycle.Definition, states []string) error {
	for i, s := range states {
		if def.Category(s) == 0 {
			return &itil.ValidationError{Field: fmt.Sprintf("states[%d]", i), Reason: fmt.Sprintf("%s has no state %q", def.Name(), s)}
		}
	}
	return nil
}

// refused is a listing that yields err alone.
func refused[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}

// Find yields the requests that match q, oldest first. Requests by state,
// for a portal's lists, are Find(ctx, Query{States: []string{…}}). A text
// of q that is not fit (see Order), an undefined category or a state the
// lifecycle does not have yields a *itil.ValidationError naming it
// ("requester", "categories[0]", "states[1]").
func (d *Desk) Find(ctx context.Context, q Query) iter.Seq2[*Request, error] {
	if err := q.check(d.def); err != nil {
		return refused[*Request](err)
	}
	return d.proc.Find(ctx, lifecycle.Query{Where: q.where(), After: q.After, Limit: q.Limit})
}

// MyRequests yields the requests user made, oldest first; with open set,
// only those that still need work. A user ID that is not fit text yields
// a *itil.ValidationError on "user".
func (d *Desk) MyRequests(ctx context.Context, user string, open bool) iter.Seq2[*Request, error] {
	if err := itil.CheckText("user", user, MaxNameLength); err != nil {
		return refused[*Request](err)
	}
	if user == "" {
		return func(func(*Request, error) bool) {}
	}
	return d.Find(ctx, Query{Requester: user, Open: open})
}
