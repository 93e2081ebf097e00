package request

import (
	"context"
	"iter"

	"github.com/google/uuid"

	"github.com/itil-go/itil/lifecycle"
)

// Query selects requests. Zero fields do not filter; the set ones must all
// hold.
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

func (q Query) where() []lifecycle.Cond {
	var w []lifecycle.Cond
	cats := q.Categories
	if q.Open {
		cats = append(cats[:len(cats):len(cats)], lifecycle.Open, lifecycle.Paused)
	}
	if len(cats) > 0 {
		w = append(w, lifecycle.InCategories(cats...))
	}
	if len(q.States) > 0 {
		w = append(w, lifecycle.Eq("state", q.States...))
	}
	for _, kv := range [...][2]string{
		{"requester", q.Requester}, {"for", q.For}, {"item", q.Item},
		{"catalog_category", q.CatalogCategory}, {"service", q.Service},
	} {
		if kv[1] != "" {
			w = append(w, lifecycle.Eq(kv[0], kv[1]))
		}
	}
	if q.Revokes != uuid.Nil {
		w = append(w, lifecycle.Eq("revokes", q.Revokes.String()))
	}
	return w
}

// Find yields the requests that match q, oldest first. Requests by state,
// for a portal's lists, are Find(ctx, Query{States: []string{…}}).
func (d *Desk) Find(ctx context.Context, q Query) iter.Seq2[*Request, error] {
	return d.proc.Find(ctx, lifecycle.Query{Where: q.where(), After: q.After, Limit: q.Limit})
}

// MyRequests yields the requests user made, oldest first; with open set,
// only those that still need work.
func (d *Desk) MyRequests(ctx context.Context, user string, open bool) iter.Seq2[*Request, error] {
	if user == "" {
		return func(func(*Request, error) bool) {}
	}
	return d.Find(ctx, Query{Requester: user, Open: open})
}
