package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/request"
)

// catalogView is the catalog: items by category, or the hits of a search.
type catalogView struct {
	view
	Query      string
	Categories []catalogCategory
}

type catalogCategory struct {
	Name  string
	Items []request.Item
}

func (s *server) catalogPage(w http.ResponseWriter, r *http.Request, u *User) error {
	cat := s.world.requests.Catalog()
	v := &catalogView{view: view{Title: "Service catalog", User: u}, Query: strings.TrimSpace(r.URL.Query().Get("q"))}
	if v.Query != "" {
		v.Categories = []catalogCategory{{Name: fmt.Sprintf("Results for %q", v.Query), Items: slices.Collect(cat.Search(v.Query))}}
	} else {
		for _, c := range cat.Categories() {
			v.Categories = append(v.Categories, catalogCategory{Name: c, Items: slices.Collect(cat.Browse(c))})
		}
	}
	s.render(w, r, http.StatusOK, "catalog.html", v)
	return nil
}

// orderView is the order form of one item, with the problems of the last
// submission next to their fields.
type orderView struct {
	view
	Item     request.Item
	Quantity string
	// Description is the requester's own words, kept across a failed
	// submission.
	Description string
	Fields      []orderField
	Errors      fieldErrors
	Problem     string
}

// orderField is one variable of the item as a form field.
type orderField struct {
	Name     string // the form field: "var-ram"
	Label    string
	Help     string
	Input    string // text, number, date, checkbox or select
	Value    string
	Choices  []string
	Required bool
	Error    string
}

// newOrderView builds the form for it, filled with the values given and
// showing err: field errors next to their fields, others on top.
func newOrderView(u *User, it request.Item, quantity string, values map[string]string, err error) *orderView {
	v := &orderView{view: view{Title: "Order: " + it.Name, User: u}, Item: it, Quantity: quantity, Errors: formErrors(err)}
	if err != nil {
		v.Problem = err.Error()
	}
	for _, vr := range it.Variables {
		f := orderField{Name: "var-" + vr.Name, Label: vr.Label, Help: vr.Help, Value: values[vr.Name],
			Choices: vr.Choices, Required: vr.Required, Error: v.Errors["variables["+vr.Name+"]"]}
		if f.Label == "" {
			f.Label = vr.Name
		}
		if _, given := values[vr.Name]; !given && err == nil {
			f.Value = vr.Default
		}
		switch vr.Kind {
		case request.VarNumber:
			f.Input = "number"
		case request.VarDate:
			f.Input = "date"
		case request.VarBoolean:
			f.Input = "checkbox"
		case request.VarChoice:
			f.Input = "select"
		default:
			f.Input = "text"
		}
		v.Fields = append(v.Fields, f)
	}
	return v
}

func (s *server) orderPage(w http.ResponseWriter, r *http.Request, u *User) error {
	it, err := s.world.requests.Catalog().Get(r.PathValue("item"))
	if err != nil || it.Retired {
		return fmt.Errorf("catalog item %q: %w", r.PathValue("item"), lifecycle.ErrNotFound)
	}
	s.render(w, r, http.StatusOK, "order.html", newOrderView(u, it, "1", nil, nil))
	return nil
}

// order places the order of the form; bad input shows the form again with
// the field's error.
func (s *server) order(w http.ResponseWriter, r *http.Request, u *User) error {
	it, err := s.world.requests.Catalog().Get(r.PathValue("item"))
	if err != nil || it.Retired {
		return fmt.Errorf("catalog item %q: %w", r.PathValue("item"), lifecycle.ErrNotFound)
	}
	if err := r.ParseForm(); err != nil {
		return &itil.ValidationError{Field: "form", Reason: err.Error()}
	}
	values := map[string]string{}
	for _, vr := range it.Variables {
		if x := strings.TrimSpace(r.PostForm.Get("var-" + vr.Name)); x != "" {
			values[vr.Name] = x
		}
	}
	quantity := strings.TrimSpace(r.PostForm.Get("quantity"))
	req, err := s.placeOrder(r, u, request.Order{By: u.Actor(), Description: r.PostForm.Get("description"),
		Lines: []request.OrderLine{{Item: it.ID, Values: values}}}, quantity)
	if err != nil {
		if formErrors(err) == nil {
			return err
		}
		v := newOrderView(u, it, quantity, values, err)
		v.Description = r.PostForm.Get("description")
		s.render(w, r, http.StatusBadRequest, "order.html", v)
		return nil
	}
	http.Redirect(w, r, "/requests/"+req.Number, http.StatusSeeOther)
	return nil
}

// placeOrder orders o, with the quantity of its one line given as text.
func (s *server) placeOrder(r *http.Request, u *User, o request.Order, quantity string) (*request.Request, error) {
	if quantity != "" {
		n, err := strconv.Atoi(quantity)
		if err != nil || n < 1 || n > 100 {
			return nil, &itil.ValidationError{Field: "quantity", Reason: "a whole number from 1 to 100"}
		}
		o.Lines[0].Quantity = n
	}
	req, err := s.world.requests.Order(r.Context(), o)
	if err != nil {
		return nil, err
	}
	s.log.InfoContext(r.Context(), "ordered", "request", req.Number, "by", u.ID, "state", req.State)
	return req, nil
}

func (s *server) apiCatalog(w http.ResponseWriter, r *http.Request, _ *User) error {
	cat := s.world.requests.Catalog()
	items := slices.Collect(cat.Browse(""))
	if q := strings.TrimSpace(r.URL.Query().Get("q")); q != "" {
		items = slices.Collect(cat.Search(q))
	}
	if items == nil {
		items = []request.Item{}
	}
	writeJSON(w, http.StatusOK, items)
	return nil
}

// orderBody is the body of POST /api/requests.
type orderBody struct {
	// Item is the catalog item's ID.
	Item string `json:"item"`
	// Quantity defaults to 1.
	Quantity int `json:"quantity,omitempty"`
	// Values are the variables' values as text, by name.
	Values map[string]string `json:"values,omitempty"`
	// Description is the requester's own words.
	Description string `json:"description,omitempty"`
}

// apiOrder orders one item: 201 with the request, 400 naming the field.
func (s *server) apiOrder(w http.ResponseWriter, r *http.Request, u *User) error {
	var body orderBody
	if err := decodeJSON(w, r, &body); err != nil {
		return err
	}
	if _, err := s.world.requests.Catalog().Get(body.Item); err != nil {
		return &itil.ValidationError{Field: "item", Reason: fmt.Sprintf("no catalog item %q", body.Item)}
	}
	quantity := ""
	if body.Quantity != 0 {
		quantity = strconv.Itoa(body.Quantity)
	}
	req, err := s.placeOrder(r, u, request.Order{By: u.Actor(), Description: body.Description,
		Lines: []request.OrderLine{{Item: body.Item, Values: body.Values}}}, quantity)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, req)
	return nil
}

// decodeJSON decodes a request body of at most 64 KiB into v; unknown
// fields are errors.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return &itil.ValidationError{Field: "body", Reason: err.Error()}
	}
	return nil
}
