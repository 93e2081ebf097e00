package event_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/itil-go/itil/event"
)

// fuzzDecoder checks that a decoder never panics and that whatever it
// accepts is a valid event. Seeds live in testdata/fuzz/<FuzzName>/.
func fuzzDecoder(f *testing.F, decode func(io.Reader) ([]event.Event, error)) {
	f.Fuzz(func(t *testing.T, b []byte) {
		evs, err := decode(bytes.NewReader(b))
		if err != nil {
			return
		}
		if len(evs) == 0 {
			t.Fatal("no error and no events")
		}
		for i := range evs {
			if err := evs[i].Validate(""); err != nil {
				t.Fatalf("decoded an invalid event: %v", err)
			}
		}
	})
}

func FuzzDecodeAlertmanager(f *testing.F) { fuzzDecoder(f, event.DecodeAlertmanager) }
func FuzzDecodePagerDuty(f *testing.F)    { fuzzDecoder(f, event.DecodePagerDuty) }
func FuzzDecodeCloudEvents(f *testing.F)  { fuzzDecoder(f, event.DecodeCloudEvents) }
