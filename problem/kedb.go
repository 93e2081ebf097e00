package problem

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
)

// DefaultSearchLimit is how many hits Search returns when the query names no
// limit, and the most Match returns.
const DefaultSearchLimit = 10

// KnownErrorQuery searches the known error database. At least one of Text,
// CI and Category must be given.
type KnownErrorQuery struct {
	// Text holds words of the symptom, in at most MaxText characters; hits
	// are ranked by how many of them they contain, and must contain at
	// least one.
	Text string
	// CI keeps known errors that affect this configuration item.
	CI string
	// Category keeps known errors of this category.
	Category string
	// Limit caps the hits. Default DefaultSearchLimit.
	Limit int
	// IncludeClosed also searches closed problems, for their history;
	// by default only problems still being worked or resolved are hits.
	IncludeClosed bool
}

// Hit is one known error found by Search.
type Hit struct {
	Problem *Problem
	// Words are the query's words the known error contains, in the query's
	// order (lower-cased, plural "s" taken off).
	Words []string
}

// Search finds known errors by words of the symptom, CI and category, best
// first: most words matched, then the longest known. Words are looked up in
// the title, description, root cause and workaround. The index catches up
// with the store's log first, so the hits reflect every change committed
// before the search, on any host.
func (m *Manager) Search(ctx context.Context, q KnownErrorQuery) ([]Hit, error) {
	if err := itil.CheckText("text", q.Text, MaxText); err != nil {
		return nil, err
	}
	if err := itil.CheckText("ci", q.CI, MaxName); err != nil {
		return nil, err
	}
	if err := itil.CheckText("category", q.Category, MaxName); err != nil {
		return nil, err
	}
	words := tokens(q.Text)
	switch {
	case q.Limit < 0:
		return nil, &itil.ValidationError{Field: "limit", Reason: "must not be negative"}
	case strings.TrimSpace(q.Text) != "" && len(words) == 0 && q.CI == "" && q.Category == "":
		return nil, &itil.ValidationError{Field: "text", Reason: "no searchable words"}
	case len(words) == 0 && q.CI == "" && q.Category == "":
		return nil, &itil.ValidationError{Field: "text", Reason: "give words of the symptom, a CI or a category"}
	}
	if q.Limit == 0 {
		q.Limit = DefaultSearchLimit
	}
	if err := m.Start(ctx); err != nil {
		return nil, err
	}
	var cis []string
	if q.CI != "" {
		cis = []string{q.CI}
	}
	var found []candidate
	for _, c := range m.index.candidates(words, cis, q.Category) {
		switch {
		case c.closed && !q.IncludeClosed,
			len(words) > 0 && len(c.words) == 0,
			q.CI != "" && len(c.cis) == 0,
			q.Category != "" && !c.category:
			continue
		}
		found = append(found, c)
	}
	// Candidates come in ID order, so the stable sort keeps the longest
	// known first among equals.
	slices.SortStableFunc(found, func(a, b candidate) int { return cmp.Compare(len(b.words), len(a.words)) })
	problems, err := m.load(ctx, found, q.Limit, func(p *Problem) bool {
		return p.KnownError && (q.IncludeClosed || !p.StateCategory.Terminal()) &&
			(q.CI == "" || slices.Contains(p.CIs, q.CI)) && (q.Category == "" || p.Category == q.Category)
	})
	if err != nil {
		return nil, err
	}
	hits := make([]Hit, len(problems))
	for i, p := range problems {
		hits[i] = Hit{Problem: p, Words: found[slices.IndexFunc(found, func(c candidate) bool { return c.id == p.ID })].words}
	}
	return hits, nil
}

// Match answers "is there a known error for this?" for an incident, as a
// desk asks when the incident opens: the known errors, not yet closed, that
// share at least one word of its title and description and one of its CIs
// or its category, or that share Config.MatchWords words without either.
// They come best first (words, then CIs, then category in common), at most
// DefaultSearchLimit of them; LinkIncident links the incident to one.
func (m *Manager) Match(ctx context.Context, inc *incident.Incident) ([]*Problem, error) {
	if inc == nil {
		return nil, &itil.ValidationError{Field: "incident", Reason: "required"}
	}
	if err := m.Start(ctx); err != nil {
		return nil, err
	}
	words := tokens(inc.Title, inc.Description)
	score := func(c candidate) int {
		s := 2*len(c.words) + 2*len(c.cis)
		if c.category {
			s++
		}
		return s
	}
	var found []candidate
	for _, c := range m.index.candidates(words, inc.CIs, inc.Category) {
		if c.closed || len(c.words) == 0 {
			continue
		}
		if len(c.cis) == 0 && !c.category && len(c.words) < m.cfg.MatchWords {
			continue
		}
		found = append(found, c)
	}
	slices.SortStableFunc(found, func(a, b candidate) int { return cmp.Compare(score(b), score(a)) })
	return m.load(ctx, found, DefaultSearchLimit, func(p *Problem) bool {
		return p.KnownError && !p.StateCategory.Terminal()
	})
}

// load reads the candidates' problems from the store, in order, keeping up
// to limit of those that still pass keep: a problem may have changed since
// the index caught up.
func (m *Manager) load(ctx context.Context, found []candidate, limit int, keep func(*Problem) bool) ([]*Problem, error) {
	var out []*Problem
	for _, c := range found {
		if len(out) == limit {
			break
		}
		p, err := m.proc.Get(ctx, c.id)
		if errors.Is(err, lifecycle.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if keep(p) {
			out = append(out, p)
		}
	}
	return out, nil
}

// indexChange brings the known error index up to date with one change of
// the log: a change to a problem the index has not seen at that version
// yet puts the problem as it is stored now (so that replaying a problem's
// changes reads it once).
func (m *Manager) indexChange(ctx context.Context, ch lifecycle.Change) error {
	if ch.Kind != Kind || m.index.seen(ch.RecordID, ch.Version) {
		return nil
	}
	p, err := m.proc.Get(ctx, ch.RecordID)
	if errors.Is(err, lifecycle.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: %w", ch.Number, err)
	}
	m.index.put(p)
	return nil
}
