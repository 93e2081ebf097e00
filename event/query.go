package event

import (
	"context"
	"fmt"
	"iter"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Query selects persisted alerts. Zero fields do not filter; the set ones
// must all hold (fields AND), and a record matches a field of several
// values when it has any of them (values OR):
//
//	event.Query{Open: true, Severities: []event.Severity{event.SeverityMajor, event.SeverityCritical}, Source: []string{"nagios"}}
//
// is the open alerts from nagios that are major or critical. Severity is an
// alert's as last persisted (see the package documentation).
type Query struct {
	// Open keeps alerts that have not cleared (open, acknowledged or
	// suppressed).
	Open bool
	// Categories keeps alerts whose state is in one of these categories.
	Categories []lifecycle.Category
	// States keeps alerts in one of these states.
	States []string
	// Severities keeps alerts of one of these severities.
	Severities []Severity
	// Source, Node, Check, CI and DedupKey keep alerts with one of the
	// given values.
	Source, Node, Check, CI, DedupKey []string
	// Group keeps the alerts of a correlation group; Incident those linked
	// to an incident, by its ID.
	Group, Incident uuid.UUID
	// After and Limit page through the results: pass the last ID of one
	// page as After for the next.
	After uuid.UUID
	Limit int
}

// check refuses what no alert could match, as a *itil.ValidationError
// naming the field.
func (q Query) check() error {
	for i, s := range q.Severities {
		if !s.Valid() || s == SeverityOK {
			return invalid(fmt.Sprintf("severities[%d]", i), "%s is not info to critical", s)
		}
	}
	for i, c := range q.Categories {
		if !c.Valid() {
			return invalid(fmt.Sprintf("categories[%d]", i), "undefined category %d", c)
		}
	}
	for _, f := range [...]struct {
		name   string
		values []string
	}{{"states", q.States}, {"source", q.Source}, {"node", q.Node}, {"check", q.Check}, {"ci", q.CI}, {"dedup_key", q.DedupKey}} {
		if err := itil.CheckTexts(f.name, f.values, MaxKeyLen); err != nil {
			return err
		}
	}
	if q.Limit < 0 {
		return invalid("limit", "must not be negative")
	}
	return nil
}

// where returns q's conditions, the narrow ones first.
func (q Query) where() lifecycle.Conds {
	var w lifecycle.Conds
	w.Eq("dedup_key", q.DedupKey...)
	w.ID("incident", q.Incident)
	w.ID("group", q.Group)
	w.Eq("ci", q.CI...)
	w.Eq("node", q.Node...)
	w.Eq("check", q.Check...)
	w.Eq("source", q.Source...)
	sev := make([]string, len(q.Severities))
	for i, s := range q.Severities {
		sev[i] = s.String()
	}
	w.Eq("severity", sev...)
	w.States(q.Open, q.Categories, q.States)
	return w
}

// Find yields the persisted alerts that match q, open or closed, oldest
// first. A bad query (a severity that is not info to critical, a text that
// is not valid UTF-8, holds a NUL or is longer than MaxKeyLen) yields a
// *itil.ValidationError naming the field.
func (e *Engine) Find(ctx context.Context, q Query) iter.Seq2[*Alert, error] {
	if err := q.check(); err != nil {
		return func(yield func(*Alert, error) bool) { yield(nil, err) }
	}
	return e.proc.Find(ctx, lifecycle.Query{Where: q.where(), After: q.After, Limit: q.Limit})
}
