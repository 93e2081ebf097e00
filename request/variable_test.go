package request_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/request"
)

// TestVariableParse checks every kind with good and bad values: good ones
// come back in canonical form, bad ones as a *itil.ValidationError on the
// variable.
func TestVariableParse(t *testing.T) {
	t.Parallel()
	num := request.Variable{Name: "ram", Kind: request.VarNumber, Min: request.Float(8), Max: request.Float(64)}
	text := request.Variable{Name: "tag", Kind: request.VarText, Min: request.Float(2), Max: request.Float(7), Pattern: `[A-Z]{2}-[0-9]+`}
	boolean := request.Variable{Name: "dock", Kind: request.VarBoolean}
	choice := request.Variable{Name: "os", Kind: request.VarChoice, Choices: []string{"linux", "windows"}}
	date := request.Variable{Name: "needed_by", Kind: request.VarDate, Min: request.Float(0), Max: request.Float(30)}
	user := request.Variable{Name: "manager", Kind: request.VarUser, Required: true}
	tests := []struct {
		v       request.Variable
		in      string
		want    string
		wantErr bool
	}{
		{num, "16", "16", false},
		{num, " 16.50 ", "16.5", false},
		{num, "8", "8", false},
		{num, "64.0", "64", false},
		{num, "+32", "32", false},
		{num, "7.99", "", true},
		{num, "65", "", true},
		{num, "1e2", "", true},
		{num, "0x10", "", true},
		{num, "NaN", "", true},
		{num, "Inf", "", true},
		{num, "sixteen", "", true},
		{num, "1_6", "", true},
		{num, "", "", false},
		{text, "AB-12", "AB-12", false},
		{text, "ab-12", "", true},
		{text, "AB-123456", "", true},
		{text, "XAB-12", "", true},
		{text, "\xff\xfe", "", true},
		{boolean, "true", "true", false},
		{boolean, "FALSE", "false", false},
		{boolean, "yes", "", true},
		{boolean, "1", "", true},
		{choice, "linux", "linux", false},
		{choice, "Linux", "", true},
		{choice, "bsd", "", true},
		{date, "2025-03-03", "2025-03-03", false},
		{date, "2025-04-02", "2025-04-02", false},
		{date, "2025-04-03", "", true},
		{date, "2025-03-02", "", true},
		{date, "2025-3-10", "", true},
		{date, "03/10/2025", "", true},
		{date, "2025-02-30", "", true},
		{user, " bob ", "bob", false},
		{user, "", "", true},
		{user, "   ", "", true},
		{user, "bo\nb", "", true},
	}
	for _, tt := range tests {
		t.Run(string(tt.v.Kind)+"/"+tt.in, func(t *testing.T) {
			got, err := tt.v.Parse(tt.in, monday9)
			if !tt.wantErr {
				require.NoError(t, err)
				assert.Equal(t, tt.want, got)
				return
			}
			var ve *itil.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, "variables["+tt.v.Name+"]", ve.Field)
			assert.ErrorIs(t, err, itil.ErrInvalid)
		})
	}
}

func TestItemValues(t *testing.T) {
	t.Parallel()
	it := laptopItem()
	got, err := it.Values(map[string]string{"os": "linux", "needed_by": "2025-03-10"}, monday9)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"ram": "16", "os": "linux", "dock": "true", "needed_by": "2025-03-10"}, got,
		"defaults fill missing values; unset optional ones are left out")

	for _, tt := range []struct {
		name  string
		in    map[string]string
		field string
	}{
		{"required missing", map[string]string{"ram": "16"}, "variables[os]"},
		{"bad choice", map[string]string{"os": "beos"}, "variables[os]"},
		{"too much ram", map[string]string{"os": "linux", "ram": "128"}, "variables[ram]"},
		{"bad pattern", map[string]string{"os": "linux", "asset_tag": "nope"}, "variables[asset_tag]"},
		{"unknown variable", map[string]string{"os": "linux", "colour": "red"}, "variables[colour]"},
		{"date in the past", map[string]string{"os": "linux", "needed_by": "2025-01-01"}, "variables[needed_by]"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := it.Values(tt.in, monday9)
			var ve *itil.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
		})
	}
}

// TestOrderVariableErrors checks that an order's bad values name the
// variable and the line, and that nothing is recorded.
func TestOrderVariableErrors(t *testing.T) {
	t.Parallel()
	f := newFixture(t, request.Config{Directory: directory{"bob": true}})
	ctx := t.Context()
	_, err := f.desk.Order(ctx, request.Order{By: alice, Lines: []request.OrderLine{
		{Item: "mouse"},
		{Item: "laptop", Values: map[string]string{"os": "linux", "ram": "lots"}},
	}})
	var ve *itil.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "variables[ram]", ve.Field)
	var le *request.LineError
	require.ErrorAs(t, err, &le)
	assert.Equal(t, 1, le.Line)
	assert.Equal(t, "laptop", le.Item)

	_, err = f.desk.Order(ctx, request.Order{By: alice, Lines: []request.OrderLine{
		{Item: "laptop", Values: map[string]string{"os": "linux", "deliver_to": "mallory"}},
	}})
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "variables[deliver_to]", ve.Field)
	assert.ErrorIs(t, err, request.ErrUnknownUser)

	r, err := f.desk.Order(ctx, request.Order{By: alice, Lines: []request.OrderLine{
		{Item: "laptop", Values: map[string]string{"os": "linux", "deliver_to": "bob"}},
	}})
	require.NoError(t, err)
	assert.Equal(t, "bob", r.Lines[0].Values["deliver_to"])

	_, err = f.desk.Order(ctx, request.Order{By: alice, Lines: []request.OrderLine{{Item: "yacht"}}})
	require.ErrorAs(t, err, &ve, "an item not in the catalog is bad input")
	assert.Equal(t, "item", ve.Field)
	require.ErrorAs(t, err, &le)
	assert.Equal(t, 0, le.Line)
	assert.Equal(t, itil.ErrInvalid, lifecycle.Class(err))
	_, err = f.desk.Order(ctx, request.Order{By: alice})
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "lines", ve.Field)
	_, err = f.desk.Order(ctx, request.Order{Lines: []request.OrderLine{{Item: "mouse"}}})
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "by", ve.Field)
	_, err = f.desk.Order(ctx, request.Order{By: alice, Lines: []request.OrderLine{{Item: "mouse", Quantity: -1}}})
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "quantity", ve.Field)

	n := len(collect(t, f.desk.Find(ctx, request.Query{})))
	assert.Equal(t, 1, n, "only the good order was recorded")
}
