package cluster

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/event"
)

func TestWireRoundTrip(t *testing.T) {
	t.Parallel()
	ev := event.Event{Source: "alertmanager", Node: "web-1", Check: "up", Severity: event.SeverityCritical,
		Labels: map[string]string{"site": "fra"}, Raw: []byte(`{"a":1}`), Group: "g", Stream: event.Position{Sequence: 9}}
	b, err := encode(ev)
	require.NoError(t, err)
	got, err := decode(b)
	require.NoError(t, err)
	ev.Stream = event.Position{}
	assert.Equal(t, ev, got)
}

func TestWireRefusals(t *testing.T) {
	t.Parallel()
	for body, field := range map[string]string{
		`{"source":"a","severity":"major"} {}`:                      "body",
		`{"source":"a","severity":"major","x":1}`:                   "body",
		`{"source":"a"}`:                                            "body.severity",
		`{"source":"a","severity":"major","stream":{"sequence":3}}`: "body.stream",
		`[]`: "body",
	} {
		_, err := decode([]byte(body))
		var ve *itil.ValidationError
		if assert.ErrorAs(t, err, &ve, body) {
			assert.Equal(t, field, ve.Field, body)
		}
	}
	_, err := decode(make([]byte, MaxMessage+1))
	assert.ErrorIs(t, err, itil.ErrInvalid)
}

func TestPartitionOfIsStable(t *testing.T) {
	t.Parallel()
	// FNV-1a 32 of "abc" is 0x1a47e90b.
	assert.Equal(t, int(uint32(0x1a47e90b)%7), partitionOf("abc", 7))
	for n := 1; n < 40; n++ {
		p := partitionOf("group-key", n)
		assert.True(t, p >= 0 && p < n)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"source":"alertmanager","node":"web-1","check":"up","severity":"critical","labels":{"site":"fra"}}`))
	f.Add([]byte(`{"source":"a","ack":true,"dedup_key":"k"}`))
	f.Add([]byte(`{"source":"a","severity":"ok","raw":"eyJhIjoxfQ=="}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := decode(body)
		if err != nil {
			var ve *itil.ValidationError
			require.ErrorAs(t, err, &ve)
			return
		}
		require.NoError(t, ev.Validate(""))
		again, err := encode(ev)
		require.NoError(t, err)
		back, err := decode(again)
		require.NoError(t, err)
		assert.Equal(t, ev, back)
	})
}
