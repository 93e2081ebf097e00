package main

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/sla"
	"github.com/itil-go/itil/request"
)

// slaView is an incident's SLA clocks as the queue shows them.
type slaView struct {
	Response   clockView `json:"response"`
	Resolution clockView `json:"resolution"`
}

// clockView is one SLA clock: its status and the business time left.
type clockView struct {
	Status string `json:"status"`
	// Left is the business time left before the target, negative once
	// past it.
	Left time.Duration `json:"left_ns"`
	// Text says the same in words: "3h12m left", "overdue by 20m",
	// "paused", "met".
	Text    string `json:"text"`
	Overdue bool   `json:"overdue"`
}

func (s *server) clockOf(c *sla.Clock, now time.Time) clockView {
	cal, err := s.world.sla.Calendar(c.Calendar)
	if err != nil {
		cal = nil // 24x7: the clock still reads sensibly
	}
	v := clockView{Status: c.Status.String(), Left: c.Remaining(cal, now)}
	v.Overdue = c.Target > 0 && v.Left < 0
	switch {
	case c.Status == sla.Stopped && !v.Overdue:
		v.Text = "met"
	case c.Status == sla.Stopped:
		v.Text = "missed"
	case v.Overdue:
		v.Text = "overdue by " + short(-v.Left)
	case c.Status == sla.Paused:
		v.Text = "paused, " + short(v.Left) + " left"
	case c.Target == 0:
		v.Text = "no target"
	default:
		v.Text = short(v.Left) + " left"
	}
	return v
}

// short writes d to the minute: "3h12m", "45m".
func short(d time.Duration) string {
	d = d.Round(time.Minute)
	if h := d / time.Hour; h > 0 {
		return fmt.Sprintf("%dh%02dm", h, (d%time.Hour)/time.Minute)
	}
	return fmt.Sprintf("%dm", d/time.Minute)
}

func (s *server) slaOf(inc *incident.Incident) slaView {
	now := s.world.now()
	return slaView{Response: s.clockOf(&inc.SLA.Response, now), Resolution: s.clockOf(&inc.SLA.Resolution, now)}
}

// queueView is the agent's queue: open incidents by priority, then by
// the resolution time left, and the fulfilment tasks of the agent's
// groups.
type queueView struct {
	view
	Incidents []queueEntry    `json:"incidents"`
	Tasks     []*request.Task `json:"tasks"`
}

// queueEntry is an incident in the queue with its SLA.
type queueEntry struct {
	Incident *incident.Incident `json:"incident"`
	SLA      slaView            `json:"sla"`
}

func (s *server) queue(r *http.Request, u *User) (*queueView, error) {
	ctx := r.Context()
	v := &queueView{view: view{Title: "Agent queue", User: u}, Incidents: []queueEntry{}, Tasks: []*request.Task{}}
	for inc, err := range s.world.incidents.Find(ctx, incident.Query{Open: true}) {
		if err != nil {
			return nil, err
		}
		v.Incidents = append(v.Incidents, queueEntry{Incident: inc, SLA: s.slaOf(inc)})
	}
	slices.SortStableFunc(v.Incidents, func(a, b queueEntry) int {
		return cmp.Or(cmp.Compare(a.Incident.Priority, b.Incident.Priority),
			cmp.Compare(a.SLA.Resolution.Left, b.SLA.Resolution.Left))
	})
	for t, err := range s.world.requests.Tasks(ctx, request.TaskQuery{Open: true}) {
		if err != nil {
			return nil, err
		}
		if canWorkTask(u, t) == nil {
			v.Tasks = append(v.Tasks, t)
		}
	}
	return v, nil
}

func (s *server) queuePage(w http.ResponseWriter, r *http.Request, u *User) error {
	v, err := s.queue(r, u)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "queue.html", v)
	return nil
}

// complete marks the task done after checking that u works its group.
func (s *server) complete(r *http.Request, u *User) (*request.Task, error) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		return nil, fmt.Errorf("task %q: %w", r.PathValue("id"), lifecycle.ErrNotFound)
	}
	t, err := s.world.requests.GetTask(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if err := canWorkTask(u, t); err != nil {
		return nil, err
	}
	t, err = s.world.requests.CompleteTask(r.Context(), request.TaskParams{ID: t.ID, By: u.Actor()})
	if err != nil {
		return nil, err
	}
	s.log.InfoContext(r.Context(), "task done", "task", t.Number, "request", t.RequestNumber, "by", u.ID)
	return t, nil
}

func (s *server) completeTask(w http.ResponseWriter, r *http.Request, u *User) error {
	if _, err := s.complete(r, u); err != nil {
		return err
	}
	http.Redirect(w, r, "/queue", http.StatusSeeOther)
	return nil
}

func (s *server) apiQueue(w http.ResponseWriter, r *http.Request, u *User) error {
	v, err := s.queue(r, u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"incidents": v.Incidents, "tasks": v.Tasks})
	return nil
}

func (s *server) apiCompleteTask(w http.ResponseWriter, r *http.Request, u *User) error {
	t, err := s.complete(r, u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, t)
	return nil
}
