package itil_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
)

type colour int8

var colourNames = itil.Names[colour]{Field: "colour", List: []string{"", "red", "green", "blue"}}

func TestNames(t *testing.T) {
	assert.Equal(t, "green", colourNames.String(2))
	assert.Equal(t, "colour(7)", colourNames.String(7))
	assert.False(t, colourNames.Valid(0))
	assert.Equal(t, "red, green or blue", colourNames.Want())

	b, err := colourNames.Marshal(3)
	require.NoError(t, err)
	assert.Equal(t, "blue", string(b))
	_, err = colourNames.Marshal(0)
	var ve *itil.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "colour", ve.Field)

	var c colour = 1
	require.ErrorAs(t, colourNames.Unmarshal(&c, []byte("purple")), &ve)
	assert.Equal(t, `unknown colour "purple" (want red, green or blue)`, ve.Reason)
	assert.Equal(t, colour(1), c, "unchanged on error")
	require.NoError(t, colourNames.Unmarshal(&c, []byte("green")))
	assert.Equal(t, colour(2), c)
	require.ErrorAs(t, colourNames.Unmarshal(nil, []byte("green")), &ve)

	_, err = colourNames.ParseAt("items[2].colour", "")
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "items[2].colour", ve.Field)
}
