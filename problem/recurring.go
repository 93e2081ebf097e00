package problem

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
)

// GroupBy is what makes incidents recur together.
type GroupBy string

// The ways to group incidents.
const (
	// ByCI groups incidents by configuration item: an incident with two CIs
	// counts for both.
	ByCI GroupBy = "ci"
	// ByCategory groups incidents by category.
	ByCategory GroupBy = "category"
	// ByService groups incidents by the business services they affect
	// (incident.Incident.Services, which the desk records from its CMDB):
	// incidents on different CIs of one service recur together, and an
	// incident affecting two services counts for both.
	ByService GroupBy = "service"
)

// RecurringQuery asks for recurring incidents. The zero value means the
// defaults.
type RecurringQuery struct {
	// MinCount is how many incidents make a recurrence. Default 3; at
	// least 2.
	MinCount int
	// Window is how far before Now an incident must have been opened to
	// count. Default 7 days.
	Window time.Duration
	// Now ends the window. Default the manager's clock.
	Now time.Time
	// By groups incidents by CI, category or service. Default ByCI.
	By GroupBy
}

func (q *RecurringQuery) defaults(now func() time.Time) error {
	if q.MinCount == 0 {
		q.MinCount = 3
	}
	if q.MinCount < 2 {
		return &itil.ValidationError{Field: "min_count", Reason: "a recurrence takes at least 2 incidents"}
	}
	if q.Window == 0 {
		q.Window = 7 * 24 * time.Hour
	}
	if q.Window < 0 {
		return &itil.ValidationError{Field: "window", Reason: "must not be negative"}
	}
	if q.Now.IsZero() {
		q.Now = now()
	}
	if q.By == "" {
		q.By = ByCI
	}
	if q.By != ByCI && q.By != ByCategory && q.By != ByService {
		return &itil.ValidationError{Field: "by", Reason: fmt.Sprintf("unknown grouping %q (want ci, category or service)", q.By)}
	}
	return nil
}

// Proposal is a problem that recurring incidents suggest: what they have in
// common, the incidents, and a draft of the problem.
type Proposal struct {
	// By and Key say what the incidents share: the CI, the category or the
	// service.
	By  GroupBy
	Key string
	// Incidents are the recurring incidents, oldest first.
	Incidents []itil.Ref
	// First and Last are when the first and the last of them were opened.
	First, Last time.Time
	// Title is a suggested title: the count, the key and the incidents'
	// most common title, cut to MaxTitle characters.
	Title string
	// Description lists the incidents, as many as MaxText characters
	// hold, and counts the rest.
	Description string
	// Category is the key, or the incidents' most common category.
	Category string
	// CIs is the key when grouped by CI.
	CIs []string
	// Impact and Urgency are the highest among the incidents.
	Impact  itil.Impact
	Urgency itil.Urgency
}

// Recurring finds incidents that recur — at least q.MinCount with the same
// CI, category or affected service, opened within q.Window before q.Now — and that no problem
// covers yet, and proposes a problem for each group, largest first.
// Incidents linked to a problem are not counted, nor closed and cancelled
// ones, which a problem could not link. Every incident on the desk is read.
func (m *Manager) Recurring(ctx context.Context, q RecurringQuery) ([]Proposal, error) {
	if err := q.defaults(m.cfg.Now); err != nil {
		return nil, err
	}
	groups, err := m.recurring(ctx, q)
	if err != nil {
		return nil, err
	}
	out := make([]Proposal, len(groups))
	for i, g := range groups {
		out[i] = propose(q.By, g.key, g.incs)
	}
	return out, nil
}

// group is a set of recurring incidents, oldest first, and what they share.
type group struct {
	key  string
	incs []*incident.Incident
}

// recurring returns the groups of recurring incidents for q (with its
// defaults set), largest first.
func (m *Manager) recurring(ctx context.Context, q RecurringQuery) ([]group, error) {
	from := q.Now.Add(-q.Window)
	byKey := make(map[string][]*incident.Incident)
	for inc, err := range m.desk.Find(ctx, incident.Query{Categories: []lifecycle.Category{lifecycle.Open, lifecycle.Paused, lifecycle.Resolved}}) {
		if err != nil {
			return nil, err
		}
		if len(inc.Problems) > 0 || inc.CreatedAt.Before(from) || inc.CreatedAt.After(q.Now) {
			continue
		}
		switch q.By {
		case ByCI:
			for _, ci := range inc.CIs {
				byKey[ci] = append(byKey[ci], inc)
			}
		case ByCategory:
			if inc.Category != "" {
				byKey[inc.Category] = append(byKey[inc.Category], inc)
			}
		case ByService:
			for _, s := range inc.Services {
				byKey[s] = append(byKey[s], inc)
			}
		}
	}
	var out []group
	for key, incs := range byKey {
		if len(incs) >= q.MinCount {
			out = append(out, group{key: key, incs: incs})
		}
	}
	slices.SortFunc(out, func(a, b group) int {
		return cmp.Or(cmp.Compare(len(b.incs), len(a.incs)), strings.Compare(a.key, b.key))
	})
	return out, nil
}

// propose drafts the problem for a group of recurring incidents, which come
// oldest first.
func propose(by GroupBy, key string, incs []*incident.Incident) Proposal {
	pr := Proposal{By: by, Key: key, First: incs[0].CreatedAt, Last: incs[len(incs)-1].CreatedAt,
		Impact: itil.ImpactLow, Urgency: itil.UrgencyLow}
	for _, inc := range incs {
		pr.Incidents = append(pr.Incidents, itil.Ref{Kind: incident.Kind, ID: inc.ID, Number: inc.Number})
		pr.Impact = min(pr.Impact, inc.Impact)
		pr.Urgency = min(pr.Urgency, inc.Urgency)
	}
	title := mostCommon(incs, func(inc *incident.Incident) string { return inc.Title })
	switch by {
	case ByCI:
		pr.CIs = []string{key}
		pr.Category = mostCommon(incs, func(inc *incident.Incident) string { return inc.Category })
		pr.Title = fmt.Sprintf("%d incidents on %s: %s", len(incs), key, title)
	case ByCategory:
		pr.Category = key
		pr.Title = fmt.Sprintf("%d %s incidents: %s", len(incs), key, title)
	case ByService:
		pr.Category = mostCommon(incs, func(inc *incident.Incident) string { return inc.Category })
		pr.Title = fmt.Sprintf("%d incidents affecting %s: %s", len(incs), key, title)
	}
	pr.Title = itil.Shorten(pr.Title, MaxTitle, "...")
	what := map[GroupBy]string{ByCI: "CI", ByCategory: "category", ByService: "service"}[by]
	var b strings.Builder
	fmt.Fprintf(&b, "%d incidents with %s %s recurred between %s and %s:",
		len(incs), what, key, pr.First.Format(time.DateTime), pr.Last.Format(time.DateTime))
	n := utf8.RuneCountInString(b.String())
	for i, inc := range incs {
		line := fmt.Sprintf("\n- %s %s: %s", inc.Number, inc.CreatedAt.Format(time.DateTime), inc.Title)
		room := MaxText - n - utf8.RuneCountInString(line)
		if rest := len(incs) - i - 1; rest > 0 { // keep room to say how many are left out
			room -= utf8.RuneCountInString(fmt.Sprintf("\n- and %d more", rest))
		}
		if room < 0 {
			fmt.Fprintf(&b, "\n- and %d more", len(incs)-i)
			break
		}
		b.WriteString(line)
		n += utf8.RuneCountInString(line)
	}
	pr.Description = b.String()
	return pr
}

// mostCommon returns the most frequent non-empty value of field among incs,
// the earliest one among equals.
func mostCommon(incs []*incident.Incident, field func(*incident.Incident) string) string {
	counts := make(map[string]int)
	best := ""
	for _, inc := range incs {
		v := field(inc)
		if v == "" {
			continue
		}
		counts[v]++
		if counts[v] > counts[best] {
			best = v
		}
	}
	return best
}

// OpenProposal opens the problem p.Proposal suggests, in its words, and
// links its incidents, as p.By, with p.Note (default: how many recurring
// incidents it was proposed for) and p.Fields. Incidents closed or linked
// to a problem since the proposal was made are left out; if none is left
// the error is a *itil.ValidationError naming "incidents". Impact and
// urgency, when unset, are taken as low.
func (m *Manager) OpenProposal(ctx context.Context, p ProposalParams) (*Problem, error) {
	if err := checkActor(p.By); err != nil {
		return nil, err
	}
	pr := p.Proposal
	note := p.Note
	if note == "" {
		note = fmt.Sprintf("proposed for %d recurring incidents", len(pr.Incidents))
	}
	dr := Draft{ID: p.ID, Title: pr.Title, Description: pr.Description, Category: pr.Category,
		Impact: cmp.Or(pr.Impact, itil.ImpactLow), Urgency: cmp.Or(pr.Urgency, itil.UrgencyLow),
		CIs: slices.Clone(pr.CIs), By: p.By, Note: note, Fields: p.Fields}
	for _, r := range pr.Incidents {
		inc, err := m.desk.Get(ctx, r.ID)
		if err != nil || inc.StateCategory.Terminal() || len(inc.Problems) > 0 || slices.Contains(dr.Incidents, inc.ID) {
			continue
		}
		dr.Incidents = append(dr.Incidents, inc.ID)
	}
	if len(dr.Incidents) == 0 {
		return nil, &itil.ValidationError{Field: "incidents", Reason: "every incident of the proposal is closed or covered by a problem now"}
	}
	return m.Open(ctx, dr)
}

// ProposeAll opens a problem for every group of recurring incidents that
// Recurring finds for p.Query, largest first, each as p.By with p.Note and
// p.Fields, and returns them. An incident goes to the first problem that
// takes it; a group left with fewer than the query's MinCount incidents by
// those before it is not opened. On an error it returns the problems
// opened so far with it.
func (m *Manager) ProposeAll(ctx context.Context, p ProposeAllParams) ([]*Problem, error) {
	if err := checkActor(p.By); err != nil {
		return nil, err
	}
	if err := itil.CheckText("note", p.Note, MaxText); err != nil {
		return nil, err
	}
	q := p.Query
	if err := q.defaults(m.cfg.Now); err != nil {
		return nil, err
	}
	groups, err := m.recurring(ctx, q)
	if err != nil {
		return nil, err
	}
	taken := make(map[uuid.UUID]bool)
	var out []*Problem
	for _, g := range groups {
		incs := slices.DeleteFunc(g.incs, func(inc *incident.Incident) bool { return taken[inc.ID] })
		if len(incs) < q.MinCount {
			continue
		}
		pr, err := m.OpenProposal(ctx, ProposalParams{By: p.By, Note: p.Note, Fields: p.Fields, Proposal: propose(q.By, g.key, incs)})
		if err != nil {
			return out, err
		}
		for _, r := range pr.Incidents {
			taken[r.ID] = true
		}
		out = append(out, pr)
	}
	return out, nil
}
