package lifecycle_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

func vendorDefinition(t *testing.T) *lifecycle.Definition {
	t.Helper()
	d, err := ticketDefinition().Extend(
		[]lifecycle.State{{Name: "awaiting_vendor", Category: lifecycle.Paused}},
		[]lifecycle.Event{
			{Name: "wait_vendor", From: []string{"in_progress"}, To: "awaiting_vendor"},
			{Name: "vendor_replied", From: []string{"awaiting_vendor"}, To: "in_progress"},
		},
		lifecycle.WithFields(
			lifecycle.Field{Name: "vendor_ticket", RequiredIn: []string{"awaiting_vendor"}},
			lifecycle.Field{Name: "cost", Kind: lifecycle.FieldNumber},
			lifecycle.Field{Name: "warranty", Kind: lifecycle.FieldBool},
			lifecycle.Field{Name: "due", Kind: lifecycle.FieldDate},
			lifecycle.Field{Name: "seen", Kind: lifecycle.FieldTime},
			lifecycle.Field{Name: "tier", Kind: lifecycle.FieldChoice, Choices: []string{"gold", "silver"}},
			lifecycle.Field{Name: "short", MaxLength: 3},
		))
	require.NoError(t, err)
	return d
}

func TestFieldsRequiredOnEntry(t *testing.T) {
	ctx := context.Background()
	p := newTickets(t, vendorDefinition(t), lifecycle.ProcessConfig{})
	tk := toState(t, p, "in_progress")

	_, err := p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Event: "wait_vendor", Actor: alice})
	var ve *itil.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "fields.vendor_ticket", ve.Field)

	got, err := p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Event: "wait_vendor", Actor: alice,
		Fields: map[string]string{"vendor_ticket": "V-1", "cost": "12.5"}})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"vendor_ticket": "V-1", "cost": "12.5"}, got.Fields)
	j := journal(t, p, tk.ID)
	assert.Equal(t, []lifecycle.FieldChange{
		{Field: "fields.cost", New: "12.5"},
		{Field: "fields.vendor_ticket", New: "V-1"},
	}, j[len(j)-1].Fields)

	// An empty value unsets a field.
	got, err = p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Actor: alice, Fields: map[string]string{"cost": ""}})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"vendor_ticket": "V-1"}, got.Fields)
}

func TestFieldsRefused(t *testing.T) {
	ctx := context.Background()
	d := vendorDefinition(t)
	p := newTickets(t, d, lifecycle.ProcessConfig{})
	tk := toState(t, p, "in_progress")
	before := journal(t, p, tk.ID)
	for _, tc := range []struct {
		name, value, field string
	}{
		{"nope", "x", "fields.nope"},
		{"cost", "twelve", "fields.cost"},
		{"cost", "NaN", "fields.cost"},
		{"warranty", "yes", "fields.warranty"},
		{"due", "03/12/2026", "fields.due"},
		{"seen", "2026-12-03", "fields.seen"},
		{"tier", "bronze", "fields.tier"},
		{"short", "€€€€", "fields.short"},
		{"vendor_ticket", "a\x00b", "fields.vendor_ticket"},
		{"vendor_ticket", "a\xffb", "fields.vendor_ticket"},
	} {
		t.Run(tc.name+"="+tc.value, func(t *testing.T) {
			_, err := p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Actor: alice, Fields: map[string]string{tc.name: tc.value}})
			var ve *itil.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tc.field, ve.Field)
			assert.Equal(t, before, journal(t, p, tk.ID), "a refusal writes nothing")

			_, err = p.Create(ctx, &ticket{Title: "x", Record: lifecycle.Record{Fields: map[string]string{tc.name: tc.value}}}, alice, "")
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tc.field, ve.Field)
		})
	}
	assert.NoError(t, d.CheckField("short", "€€€"), "lengths count characters")
}

func TestFieldDeclarationsInvalid(t *testing.T) {
	for _, tc := range []struct {
		f     lifecycle.Field
		field string
	}{
		{lifecycle.Field{Name: ""}, "fields[0].name"},
		{lifecycle.Field{Name: "a b"}, "fields[0].name"},
		{lifecycle.Field{Name: "x", Kind: "colour"}, "fields[0].kind"},
		{lifecycle.Field{Name: "x", Kind: lifecycle.FieldChoice}, "fields[0].choices"},
		{lifecycle.Field{Name: "x", Kind: lifecycle.FieldChoice, Choices: []string{"a", "a"}}, "fields[0].choices[1]"},
		{lifecycle.Field{Name: "x", Choices: []string{"a"}}, "fields[0].choices"},
		{lifecycle.Field{Name: "x", MaxLength: -1}, "fields[0].max_length"},
		{lifecycle.Field{Name: "x", RequiredIn: []string{"nowhere"}}, "fields[0].required_in[0]"},
	} {
		_, err := lifecycle.NewDefinition("ticket", ticketStates, ticketEvents, lifecycle.WithFields(tc.f))
		var ve *itil.ValidationError
		if assert.ErrorAs(t, err, &ve, "%+v", tc.f) {
			assert.Equal(t, tc.field, ve.Field, "%+v", tc.f)
		}
	}
	_, err := lifecycle.NewDefinition("ticket", ticketStates, ticketEvents,
		lifecycle.WithFields(lifecycle.Field{Name: "x"}, lifecycle.Field{Name: "x"}))
	var ve *itil.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "fields[1].name", ve.Field)
}

func TestParseDefinitionExtends(t *testing.T) {
	base := ticketDefinition()
	doc := []byte(`{"extends": "ticket",
	 "states": [{"name": "awaiting_vendor", "category": "paused"}],
	 "events": [{"name": "wait_vendor", "from": ["in_progress"], "to": "awaiting_vendor"},
	            {"name": "vendor_replied", "from": ["awaiting_vendor"], "to": "in_progress"},
	            {"name": "cancel", "from": ["awaiting_vendor"], "to": "cancelled"}],
	 "fields": [{"name": "vendor_ticket", "required_in": ["awaiting_vendor"], "max_length": 40}]}`)
	d, err := lifecycle.ParseDefinition(doc, lifecycle.WithBase(base))
	require.NoError(t, err)
	assert.Equal(t, "ticket", d.Name())
	assert.Len(t, d.States(), len(base.States())+1)
	assert.Contains(t, d.Allowed("awaiting_vendor"), "cancel")
	assert.Equal(t, []string{"fields.vendor_ticket"}, d.Requires("awaiting_vendor"))
	f, ok := d.Field("vendor_ticket")
	require.True(t, ok)
	assert.Equal(t, 40, f.MaxLength)

	// The extension round-trips as a whole definition.
	data, err := d.MarshalJSON()
	require.NoError(t, err)
	again, err := lifecycle.ParseDefinition(data)
	require.NoError(t, err)
	assert.Equal(t, d.Fields(), again.Fields())
	assert.Equal(t, d.States(), again.States())

	for _, tc := range []struct {
		doc   string
		field string
	}{
		{`{"extends": "incident", "states": []}`, "extends"},
		{`{"extends": "ticket", "name": "other"}`, "name"},
		{`{"extends": "ticket", "fields": [{"name": "x", "kind": "colour"}]}`, "fields[0].kind"},
		{`{"extends": "ticket", "fields": [{"name": "x", "max_length": 1.5}]}`, "fields[0].max_length"},
		{`{"extends": "ticket", "fields": [{"name": "x", "colour": 1}]}`, "fields[0].colour"},
	} {
		_, err := lifecycle.ParseDefinition([]byte(tc.doc), lifecycle.WithBase(base))
		var ve *itil.ValidationError
		if assert.ErrorAs(t, err, &ve, tc.doc) {
			assert.Equal(t, tc.field, ve.Field, tc.doc)
		}
	}
}

func TestRequiresDeclaresTextField(t *testing.T) {
	d, err := ticketDefinition().Extend([]lifecycle.State{{Name: "parked", Category: lifecycle.Paused, Requires: []string{"fields.reason"}}},
		[]lifecycle.Event{{Name: "park", From: []string{"new"}, To: "parked"}})
	require.NoError(t, err)
	f, ok := d.Field("reason")
	require.True(t, ok)
	assert.Equal(t, lifecycle.FieldText, f.Kind)
	data, err := d.MarshalJSON()
	require.NoError(t, err)
	assert.NotContains(t, string(data), `"fields"`, "a field only required is not declared again")
}

func TestParseDefinitionExtendsNamesTheDocument(t *testing.T) {
	base := ticketDefinition()
	for doc, field := range map[string]string{
		`{"extends": "ticket", "events": [{"name": "park", "from": ["nowhere"], "to": "new"}]}`:        "events[0].from[0]",
		`{"extends": "ticket", "states": [{"name": "parked", "category": "paused"}, {"name": "x y"}]}`: "states[1].name",
		`{"extends": "ticket", "states": [{"name": "new", "category": "open"}]}`:                       "states[0].name",
		`{"extends": "ticket", "fields": [{"name": "a"}, {"name": "b", "required_in": ["nowhere"]}]}`:  "fields[1].required_in[0]",
	} {
		_, err := lifecycle.ParseDefinition([]byte(doc), lifecycle.WithBase(base))
		var ve *itil.ValidationError
		if assert.ErrorAs(t, err, &ve, doc) {
			assert.Equal(t, field, ve.Field, doc)
		}
	}
}

func TestGetByNumberRefusesBadText(t *testing.T) {
	p := newTickets(t, nil, lifecycle.ProcessConfig{})
	for _, n := range []string{"TIC\x00001", "TIC\xff", string(make([]byte, 65))} {
		_, err := p.Records().GetByNumber(context.Background(), n)
		var ve *itil.ValidationError
		if assert.ErrorAs(t, err, &ve, "%q", n) {
			assert.Equal(t, "number", ve.Field)
		}
	}
	_, err := p.Records().GetByNumber(context.Background(), "TIC0000099")
	assert.ErrorIs(t, err, lifecycle.ErrNotFound)
}

func TestParseDefinitionNamedBase(t *testing.T) {
	quick, err := ticketDefinition().Extend(nil, []lifecycle.Event{{Name: "fast_close", From: []string{"new"}, To: "closed"}})
	require.NoError(t, err)
	opts := []lifecycle.Option{lifecycle.WithNamedBase("plain", ticketDefinition()), lifecycle.WithNamedBase("quick", quick)}
	d, err := lifecycle.ParseDefinition([]byte(`{"extends": "quick", "states": [{"name": "parked", "category": "paused"}],
		"events": [{"name": "park", "from": ["new"], "to": "parked"}]}`), opts...)
	require.NoError(t, err)
	assert.Equal(t, "ticket", d.Name(), "the result keeps the base's name")
	assert.Contains(t, d.Allowed("new"), "fast_close")

	_, err = lifecycle.ParseDefinition([]byte(`{"extends": "ticket"}`), opts...)
	var ve *itil.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "extends", ve.Field)
	assert.Contains(t, ve.Reason, "want plain or quick")
}
