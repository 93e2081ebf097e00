package main

import (
	"context"
	"net/http"
	"strings"

	"github.com/google/uuid"

	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/approval"
	"github.com/itil-go/itil/request"
)

// lookup finds a record by its ID or, when key is no UUID, by its number.
func lookup[T any](ctx context.Context, key string,
	byID func(context.Context, uuid.UUID) (T, error), byNumber func(context.Context, string) (T, error)) (T, error) {
	if id, err := uuid.Parse(key); err == nil {
		return byID(ctx, id)
	}
	return byNumber(ctx, strings.ToUpper(key))
}

func (s *server) getRequest(ctx context.Context, key string) (*request.Request, error) {
	return lookup(ctx, key, s.world.requests.Get, s.world.requests.GetByNumber)
}

// requestListView lists the user's requests.
type requestListView struct {
	view
	Requests []*request.Request
}

func (s *server) myRequests(ctx context.Context, u *User) ([]*request.Request, error) {
	out := []*request.Request{}
	for req, err := range s.world.requests.MyRequests(ctx, u.ID, false) {
		if err != nil {
			return nil, err
		}
		out = append(out, req)
	}
	return out, nil
}

func (s *server) myRequestsPage(w http.ResponseWriter, r *http.Request, u *User) error {
	reqs, err := s.myRequests(r.Context(), u)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "requests.html", &requestListView{view: view{Title: "My requests", User: u}, Requests: reqs})
	return nil
}

// requestView is one request: its lines, approval, tasks and journal, and
// the decision form for an approver who may decide now.
type requestView struct {
	view
	Req       *request.Request
	Tasks     []*request.Task
	Journal   []lifecycle.Change
	CanDecide bool
	Comment   string
	Errors    fieldErrors
}

func (s *server) requestView(ctx context.Context, u *User, req *request.Request) (*requestView, error) {
	v := &requestView{view: view{Title: req.Number, User: u}, Req: req,
		CanDecide: canDecideRequest(u, req) == nil && req.Approval.Eligible(u.Actor())}
	for t, err := range s.world.requests.Tasks(ctx, request.TaskQuery{Request: req.ID}) {
		if err != nil {
			return nil, err
		}
		v.Tasks = append(v.Tasks, t)
	}
	for ch, err := range s.world.requests.Journal(ctx, req.ID) {
		if err != nil {
			return nil, err
		}
		v.Journal = append(v.Journal, ch)
	}
	return v, nil
}

func (s *server) requestPage(w http.ResponseWriter, r *http.Request, u *User) error {
	req, err := s.getRequest(r.Context(), r.PathValue("number"))
	if err != nil {
		return err
	}
	if err := canSeeRequest(u, req); err != nil {
		return err
	}
	v, err := s.requestView(r.Context(), u, req)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "request.html", v)
	return nil
}

// decide records u's verdict on the request after the portal's own check.
func (s *server) decide(ctx context.Context, u *User, key string, approve bool, comment string) (*request.Request, error) {
	req, err := s.getRequest(ctx, key)
	if err != nil {
		return nil, err
	}
	if err := canDecideRequest(u, req); err != nil {
		return nil, err
	}
	verdict := approval.Reject
	if approve {
		verdict = approval.Approve
	}
	req, err = s.world.requests.Decide(ctx, request.DecideParams{ID: req.ID, By: u.Actor(), Verdict: verdict, Note: comment})
	if err != nil {
		return nil, noteAsComment(err)
	}
	s.log.InfoContext(ctx, "decided", "request", req.Number, "by", u.ID, "verdict", verdict, "state", req.State)
	return req, nil
}

// decideRequest takes the decision form: verdict approve or reject, and a
// comment, which a rejection needs.
func (s *server) decideRequest(w http.ResponseWriter, r *http.Request, u *User) error {
	comment := strings.TrimSpace(r.PostFormValue("comment"))
	req, err := s.decide(r.Context(), u, r.PathValue("number"), r.PostFormValue("verdict") == "approve", comment)
	if fe := formErrors(err); fe != nil {
		req, gerr := s.getRequest(r.Context(), r.PathValue("number"))
		if gerr != nil {
			return gerr
		}
		v, verr := s.requestView(r.Context(), u, req)
		if verr != nil {
			return verr
		}
		v.Errors, v.Comment = fe, comment
		s.render(w, r, http.StatusBadRequest, "request.html", v)
		return nil
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/requests/"+req.Number, http.StatusSeeOther)
	return nil
}

// approvalsView lists what waits for the user's decision.
type approvalsView struct {
	view
	Requests []*request.Request
	Changes  []*changeItem
}

// approvals returns the requests and changes u may decide now.
func (s *server) approvals(r *http.Request, u *User) (*approvalsView, error) {
	v := &approvalsView{view: view{Title: "Approvals", User: u}, Requests: []*request.Request{}}
	for req, err := range s.world.requests.MyApprovals(r.Context(), u.Actor()) {
		if err != nil {
			return nil, err
		}
		v.Requests = append(v.Requests, req)
	}
	var err error
	if v.Changes, err = s.changesAwaiting(r.Context(), u); err != nil {
		return nil, err
	}
	return v, nil
}

func (s *server) approvalsPage(w http.ResponseWriter, r *http.Request, u *User) error {
	v, err := s.approvals(r, u)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "approvals.html", v)
	return nil
}

func (s *server) apiMyRequests(w http.ResponseWriter, r *http.Request, u *User) error {
	reqs, err := s.myRequests(r.Context(), u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, reqs)
	return nil
}

func (s *server) apiRequest(w http.ResponseWriter, r *http.Request, u *User) error {
	req, err := s.getRequest(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := canSeeRequest(u, req); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, req)
	return nil
}

// decisionBody is the optional body of an approve or reject call.
type decisionBody struct {
	// Comment is journaled; a rejection needs one.
	Comment string `json:"comment"`
}

func (s *server) apiDecideRequest(approve bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, u *User) error {
		var body decisionBody
		if r.ContentLength != 0 {
			if err := decodeJSON(w, r, &body); err != nil {
				return err
			}
		}
		req, err := s.decide(r.Context(), u, r.PathValue("id"), approve, strings.TrimSpace(body.Comment))
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, req)
		return nil
	}
}

func (s *server) apiApprovals(w http.ResponseWriter, r *http.Request, u *User) error {
	v, err := s.approvals(r, u)
	if err != nil {
		return err
	}
	changes := make([]any, 0, len(v.Changes))
	for _, c := range v.Changes {
		changes = append(changes, c.Change)
	}
	writeJSON(w, http.StatusOK, map[string]any{"requests": v.Requests, "changes": changes})
	return nil
}
