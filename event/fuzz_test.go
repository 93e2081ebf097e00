package event_test

import (
	"bytes"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/itil-go/itil/event"
)

// fuzzDecoder checks that a decoder never panics, that whatever it accepts
// is a valid event, and that it never alters text: a replacement character
// in an event came with the input. Seeds live in testdata/fuzz/<FuzzName>/,
// NUL bytes, bytes that are not UTF-8 and halves of surrogate pairs among
// them.
func fuzzDecoder(f *testing.F, decode func(io.Reader) ([]event.Event, error)) {
	f.Fuzz(func(t *testing.T, b []byte) {
		evs, err := decode(bytes.NewReader(b))
		if err != nil {
			return
		}
		if len(evs) == 0 {
			t.Fatal("no error and no events")
		}
		given := bytes.Contains(b, []byte("\uFFFD")) || bytes.Contains(bytes.ToLower(b), []byte(`\ufffd`))
		for i := range evs {
			if err := evs[i].Validate(""); err != nil {
				t.Fatalf("decoded an invalid event: %v", err)
			}
			if !given && slices.ContainsFunc(texts(&evs[i]), func(s string) bool { return strings.ContainsRune(s, '\uFFFD') }) {
				t.Fatalf("decoded %q into text with a replacement character", b)
			}
		}
	})
}

// texts returns every text of an event.
func texts(ev *event.Event) []string {
	out := []string{ev.Source, ev.Node, ev.CI, ev.Check, ev.Message, ev.DedupKey}
	for k, v := range ev.Labels {
		out = append(out, k, v)
	}
	return out
}

func FuzzDecodeAlertmanager(f *testing.F) { fuzzDecoder(f, event.DecodeAlertmanager) }
func FuzzDecodePagerDuty(f *testing.F)    { fuzzDecoder(f, event.DecodePagerDuty) }
func FuzzDecodeCloudEvents(f *testing.F)  { fuzzDecoder(f, event.DecodeCloudEvents) }

// FuzzDecodeCloudEventsHeaders is fuzzDecoder's check for the binary
// mode: a subject and a severity header, the content type and the body.
func FuzzDecodeCloudEventsHeaders(f *testing.F) {
	f.Fuzz(func(t *testing.T, subject, severity, ctype string, body []byte) {
		hdr := http.Header{}
		for k, v := range map[string]string{"ce-specversion": "1.0", "ce-id": "1", "ce-source": "s", "ce-type": "t",
			"ce-subject": subject, "ce-severity": severity, "Content-Type": ctype} {
			if v != "" {
				hdr.Set(k, v)
			}
		}
		ev, err := event.DecodeCloudEventsHeaders(hdr, body)
		if err != nil {
			return
		}
		if err := ev.Validate(""); err != nil {
			t.Fatalf("decoded an invalid event: %v", err)
		}
		given := strings.Contains(subject+severity, "\uFFFD") || strings.Contains(strings.ToLower(subject), "%ef%bf%bd") ||
			bytes.Contains(body, []byte("\uFFFD")) || bytes.Contains(bytes.ToLower(body), []byte(`\ufffd`))
		if !given && slices.ContainsFunc(texts(&ev), func(s string) bool { return strings.ContainsRune(s, '\uFFFD') }) {
			t.Fatalf("decoded %q, %q into text with a replacement character", subject, body)
		}
	})
}
