package main

import (
	"context"
	"net/http"
	"strings"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
)

func (s *server) getIncident(ctx context.Context, key string) (*incident.Incident, error) {
	return lookup(ctx, key, s.world.incidents.Get, s.world.incidents.GetByNumber)
}

// myIncidents returns the incidents u reported, open or not.
func (s *server) myIncidents(ctx context.Context, u *User) ([]*incident.Incident, error) {
	out := []*incident.Incident{}
	for inc, err := range s.world.incidents.Find(ctx, incident.Query{Caller: u.ID}) {
		if err != nil {
			return nil, err
		}
		out = append(out, inc)
	}
	return out, nil
}

// incidentListView lists the user's incidents.
type incidentListView struct {
	view
	Incidents []*incident.Incident
}

func (s *server) myIncidentsPage(w http.ResponseWriter, r *http.Request, u *User) error {
	incs, err := s.myIncidents(r.Context(), u)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "incidents.html", &incidentListView{view: view{Title: "My incidents", User: u}, Incidents: incs})
	return nil
}

// reportView is the form to report an incident.
type reportView struct {
	view
	Form    incidentForm
	Levels  []string
	Errors  fieldErrors
	Problem string
}

// incidentForm is what the report form and POST /api/incidents take.
type incidentForm struct {
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	Category    string `json:"category,omitempty"`
	// Impact and Urgency are "high", "medium" or "low".
	Impact  string `json:"impact"`
	Urgency string `json:"urgency"`
}

// draft turns the form into a draft for u, or a *itil.ValidationError
// naming the bad field.
func (f incidentForm) draft(u *User) (incident.Draft, error) {
	impact, err := itil.ParseImpact(f.Impact)
	if err != nil {
		return incident.Draft{}, err
	}
	urgency, err := itil.ParseUrgency(f.Urgency)
	if err != nil {
		return incident.Draft{}, err
	}
	return incident.Draft{Title: f.Title, Description: f.Description, Category: f.Category,
		Caller: u.Actor(), Impact: impact, Urgency: urgency, Channel: incident.ChannelPortal}, nil
}

func (s *server) reportPage(w http.ResponseWriter, r *http.Request, u *User) error {
	s.render(w, r, http.StatusOK, "report.html", &reportView{view: view{Title: "Report an incident", User: u},
		Form: incidentForm{Impact: "medium", Urgency: "medium"}, Levels: levels})
	return nil
}

var levels = []string{"high", "medium", "low"}

// openIncident validates f and opens the incident it reports.
func (s *server) openIncident(ctx context.Context, u *User, f incidentForm) (*incident.Incident, error) {
	f.Title = strings.TrimSpace(f.Title)
	dr, err := f.draft(u)
	if err != nil {
		return nil, err
	}
	inc, err := s.world.incidents.Open(ctx, dr)
	if err != nil {
		return nil, err
	}
	s.log.InfoContext(ctx, "incident reported", "incident", inc.Number, "by", u.ID, "priority", inc.Priority)
	return inc, nil
}

// report opens the incident of the form; bad input shows the form again
// with the field's error.
func (s *server) report(w http.ResponseWriter, r *http.Request, u *User) error {
	f := incidentForm{Title: r.PostFormValue("title"), Description: r.PostFormValue("description"),
		Category: r.PostFormValue("category"), Impact: r.PostFormValue("impact"), Urgency: r.PostFormValue("urgency")}
	inc, err := s.openIncident(r.Context(), u, f)
	if fe := formErrors(err); fe != nil {
		s.render(w, r, http.StatusBadRequest, "report.html", &reportView{view: view{Title: "Report an incident", User: u},
			Form: f, Levels: levels, Errors: fe, Problem: err.Error()})
		return nil
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/incidents/"+inc.Number, http.StatusSeeOther)
	return nil
}

// incidentView is one incident with its public comments and, for agents,
// its journal.
type incidentView struct {
	view
	Inc     *incident.Incident
	SLA     slaView
	Journal []lifecycle.Change
}

func (s *server) incidentPage(w http.ResponseWriter, r *http.Request, u *User) error {
	inc, err := s.getIncident(r.Context(), r.PathValue("number"))
	if err != nil {
		return err
	}
	if err := canSeeIncident(u, inc); err != nil {
		return err
	}
	v := &incidentView{view: view{Title: inc.Number, User: u}, Inc: inc, SLA: s.slaOf(inc)}
	for ch, err := range s.world.incidents.Journal(r.Context(), inc.ID) {
		if err != nil {
			return err
		}
		if u.Agent() || ch.Public || ch.Note == "" {
			v.Journal = append(v.Journal, ch)
		}
	}
	s.render(w, r, http.StatusOK, "incident.html", v)
	return nil
}

func (s *server) apiMyIncidents(w http.ResponseWriter, r *http.Request, u *User) error {
	incs, err := s.myIncidents(r.Context(), u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, incs)
	return nil
}

func (s *server) apiReport(w http.ResponseWriter, r *http.Request, u *User) error {
	var f incidentForm
	if err := decodeJSON(w, r, &f); err != nil {
		return err
	}
	inc, err := s.openIncident(r.Context(), u, f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, inc)
	return nil
}

func (s *server) apiIncident(w http.ResponseWriter, r *http.Request, u *User) error {
	inc, err := s.getIncident(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := canSeeIncident(u, inc); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, inc)
	return nil
}
