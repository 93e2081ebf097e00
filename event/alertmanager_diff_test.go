package event

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/itil-go/itil"
)

// sameAsEncodingJSON checks that DecodeAlertmanager and the decoder it
// replaced, decodeAlertmanagerJSON, both decode body into equal events
// (Raw compared as compacted JSON), or both refuse it naming the same
// field, for the same reason but where the old one quoted encoding/json
// (malformed JSON, and its Go types: a "[]json.RawMessage").
func sameAsEncodingJSON(t *testing.T, body []byte) {
	t.Helper()
	want, wantErr := decodeAlertmanagerJSON(bytes.NewReader(body))
	got, gotErr := DecodeAlertmanager(bytes.NewReader(body))
	if wantErr != nil || gotErr != nil {
		var we, ge *itil.ValidationError
		if !errors.As(wantErr, &we) || !errors.As(gotErr, &ge) {
			t.Fatalf("%q:\nencoding/json: %v\njsonReader:    %v", body, wantErr, gotErr)
		}
		sameReason := !strings.HasPrefix(we.Reason, "malformed JSON") && !strings.Contains(we.Reason, "json.RawMessage")
		if we.Field != ge.Field || sameReason && we.Reason != ge.Reason {
			t.Fatalf("%q:\nencoding/json: %v\njsonReader:    %v", body, wantErr, gotErr)
		}
		return
	}
	if len(got) != len(want) {
		t.Fatalf("%q: %d events, want %d", body, len(got), len(want))
	}
	for i := range want {
		w, g := want[i], got[i]
		if compact(t, w.Raw) != compact(t, g.Raw) {
			t.Fatalf("%q: event %d: Raw %s, want %s", body, i, g.Raw, w.Raw)
		}
		w.Raw, g.Raw = nil, nil
		if !reflect.DeepEqual(w, g) {
			t.Fatalf("%q: event %d:\n got %#v\nwant %#v", body, i, g, w)
		}
	}
}

func compact(t *testing.T, raw []byte) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		t.Fatalf("Raw %q: %v", raw, err)
	}
	return b.String()
}

// amBody is a payload of the alerts given, each JSON.
func amBody(alerts ...string) string {
	return `{"version":"4","status":"firing","groupKey":"g","alerts":[` + strings.Join(alerts, ",") + `]}`
}

// amAlertJSON is a valid alert with more members.
func amAlertJSON(more string) string {
	return `{"status":"firing","labels":{"alertname":"A","instance":"i"},"fingerprint":"f"` + more + `}`
}

// amCases are payloads where a decoder of its own could most easily part
// from encoding/json.
func amCases() []string {
	deep := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	cases := []string{
		"", " ", "null", "[]", "5", `"x"`, "{", "}", "{}", "{} x", "{}{}", "{} ]", "\ufeff{}", "\t\n\r {} \t\n\r",
		amBody(amAlertJSON("")),
		amBody(amAlertJSON(""), amAlertJSON(`,"fingerprint":"g"`)) + " \n",
		amBody(amAlertJSON("")) + " x",
		// duplicate keys: the last wins; maps given twice merge; null empties a map
		amBody(amAlertJSON(`,"status":"resolved","endsAt":"2026-01-01T00:00:00Z"`)),
		`{"version":"3","version":"4","status":"resolved","status":"firing","alerts":[` + amAlertJSON("") + `]}`,
		amBody(amAlertJSON(`,"labels":{"severity":"critical"}`)),
		amBody(amAlertJSON(`,"labels":null`)),
		amBody(amAlertJSON(`,"labels":null,"labels":{"alertname":"B"}`)),
		amBody(amAlertJSON(`,"labels":{"alertname":"B","alertname":"C"}`)),
		amBody(amAlertJSON(`,"annotations":{"summary":"s"},"annotations":{"description":"d"}`)),
		amBody(amAlertJSON(`,"annotations":{"summary":"s"},"annotations":null,"annotations":{"description":"d"}`)),
		amBody(amAlertJSON(`,"annotations":{"summary":null,"description":"d"}`)),
		amBody(amAlertJSON(`,"annotations":{"summary":"s","summary":null}`)),
		`{"version":"4","status":"firing","alerts":[{"labels":5}],"alerts":[` + amAlertJSON("") + `]}`,
		`{"version":"4","status":"firing","alerts":[` + amAlertJSON("") + `],"alerts":null}`,
		`{"version":"4","status":"firing","alerts":[` + amAlertJSON("") + `],"alerts":{}}`,
		`{"version":"4","status":"firing","alerts":[` + amAlertJSON("") + `],"alerts":[]}`,
		// keys matched to fields as encoding/json matches them
		`{"VERSION":"4","Status":"firing","ALERTS":[{"STATUS":"firing","Labels":{"alertname":"A"},"FingerPrint":"f"}]}`,
		`{"version":"4","\u017ftatus":"firing","alerts":[{"ſtatus":"firing","labels":{"alertname":"A"},"fingerprint":"f"}]}`,
		`{"version":"4","status":"firing","group\u212aey":"K","alerts":[` + amAlertJSON("") + `]}`,
		`{"v\u0065rsion":"4","status":"firing","alerts":[{"st\u0061tus":"firing","labels":{"alert\u006eame":"A"},"fingerprint":"f"}]}`,
		`{"version":"4","status":"firing","alerts":[{"status":"firing","LABELS":{"Alertname":"A"},"fingerprint":"f"}]}`,
		`{"version":"4","status":"firing","versions":"5","alerts":[` + amAlertJSON(`,"label":{"x":1}`) + `]}`,
		// null
		`{"version":"4","status":"firing","status":null,"groupKey":null,"truncatedAlerts":null,"receiver":null,"groupLabels":null,"alerts":[` +
			amAlertJSON(`,"status":null,"startsAt":null,"endsAt":null,"generatorURL":null,"annotations":null`) + `]}`,
		amBody(amAlertJSON(`,"labels":{"alertname":null}`)),
		amBody(amAlertJSON(`,"labels":{"severity":null}`)),
		amBody("null"), amBody("5"), amBody(`"x"`), amBody("[]"), amBody("true"), amBody(amAlertJSON(""), "null"),
		`{"version":"4","status":"firing","alerts":null}`,
		`{"version":"4","status":"firing","alerts":{}}`,
		`{"version":"4","status":"firing","alerts":"x"}`,
		`{"version":"4","status":"firing","alerts":5}`,
		`{"version":"4","status":"firing","alerts":true}`,
		// values of the wrong type, at each level
		`{"version":4,"status":"firing","alerts":[` + amAlertJSON("") + `]}`,
		`{"version":"4","status":["firing"],"alerts":[` + amAlertJSON("") + `]}`,
		`{"version":"4","status":"firing","receiver":{},"alerts":[` + amAlertJSON("") + `]}`,
		`{"version":"4","status":"firing","externalURL":false,"alerts":[` + amAlertJSON("") + `]}`,
		`{"version":"4","status":"firing","groupLabels":[],"alerts":[` + amAlertJSON("") + `]}`,
		`{"version":"4","status":"firing","commonLabels":{"a":1},"alerts":[` + amAlertJSON("") + `]}`,
		`{"version":"4","status":"firing","commonAnnotations":"x","alerts":[` + amAlertJSON("") + `]}`,
		`{"version":"4","status":"firing","commonLabels":{"a":1},"version":5,"alerts":[` + amAlertJSON("") + `]}`,
		amBody(amAlertJSON(`,"labels":{"alertname":7}`)),
		amBody(amAlertJSON(`,"labels":{"alertname":"A","x":true,"y":{}}`)),
		amBody(amAlertJSON(`,"labels":"x"`)),
		amBody(amAlertJSON(`,"annotations":[1]`)),
		amBody(amAlertJSON(`,"annotations":{"summary":1}`)),
		amBody(amAlertJSON(`,"status":1`)),
		amBody(amAlertJSON(`,"startsAt":1`)),
		amBody(amAlertJSON(`,"endsAt":{}`)),
		amBody(amAlertJSON(`,"generatorURL":[]`)),
		amBody(amAlertJSON(`,"fingerprint":false`)),
		amBody(amAlertJSON(`,"labels":{"alertname":7},"status":1`)),
		amBody(amAlertJSON(`,"labels":{"alertname":7}`), "5"),
		amBody(amAlertJSON(""), amAlertJSON(`,"labels":{"alertname":7}`)),
		// errors in their order: syntax, then the payload's types, trailing
		// data, the payload's fields, then each alert's
		`{"version":"3","status":"firing","alerts":[{"labels":5}]}`,
		`{"status":"firing","alerts":[{"labels":5}],"version":"4"`,
		`{"status":"firing","alerts":[{"labels":5}],"version":4}`,
		`{"status":"firing","alerts":[{"labels":5}],"version":4} x`,
		`{"status":"firing","alerts":[{"labels":5}],"version":"4"} x`,
		`{"version":"4","status":"firing","alerts":[{"labels":5},{"labels":{"alertname":"A"}}],"truncatedAlerts":-1}`,
		`{"version":"4","status":"firing","alerts":[{"labels":{"alertname":"A"}},{"labels":5}]}`,
		`{"version":"4","status":"firing","alerts":[` + amAlertJSON("") + `,` + amAlertJSON(`,"x":[1,]`) + `]}`,
		// truncatedAlerts: an int, as encoding/json reads one
		`{"version":"4","status":"firing","truncatedAlerts":3,"alerts":[` + amAlertJSON("") + `]}`,
		`{"version":"4","status":"firing","truncatedAlerts":-0,"alerts":[` + amAlertJSON("") + `]}`,
		`{"version":"4","status":"firing","truncatedAlerts":-1,"alerts":[` + amAlertJSON("") + `]}`,
		`{"version":"4","status":"firing","truncatedAlerts":1.5,"alerts":[` + amAlertJSON("") + `]}`,
		`{"version":"4","status":"firing","truncatedAlerts":1.0,"alerts":[` + amAlertJSON("") + `]}`,
		`{"version":"4","status":"firing","truncatedAlerts":1e2,"alerts":[` + amAlertJSON("") + `]}`,
		`{"version":"4","status":"firing","truncatedAlerts":"3","alerts":[` + amAlertJSON("") + `]}`,
		`{"version":"4","status":"firing","truncatedAlerts":true,"alerts":[` + amAlertJSON("") + `]}`,
		`{"version":"4","status":"firing","truncatedAlerts":9223372036854775807,"alerts":[` + amAlertJSON("") + `]}`,
		`{"version":"4","status":"firing","truncatedAlerts":9223372036854775808,"alerts":[` + amAlertJSON("") + `]}`,
		`{"version":"4","status":"firing","truncatedAlerts":-9223372036854775809,"alerts":[` + amAlertJSON("") + `]}`,
		`{"version":"4","status":"firing","truncatedAlerts":01,"alerts":[` + amAlertJSON("") + `]}`,
		`{"version":"4","status":"firing","truncatedAlerts":2,"truncatedAlerts":null,"alerts":[` + amAlertJSON("") + `]}`,
		// malformed JSON anywhere, unknown members too
		amBody(amAlertJSON(`,"x":[1,2,{"a":[true,false,null,-1.5e+3,0.0,"\u00e9\n"]}]`)),
		amBody(amAlertJSON(`,"x":01`)), amBody(amAlertJSON(`,"x":1.`)), amBody(amAlertJSON(`,"x":.5`)),
		amBody(amAlertJSON(`,"x":-`)), amBody(amAlertJSON(`,"x":1e`)), amBody(amAlertJSON(`,"x":+1`)),
		amBody(amAlertJSON(`,"x":tru`)), amBody(amAlertJSON(`,"x":nul`)), amBody(amAlertJSON(`,"x":NaN`)),
		amBody(amAlertJSON(`,"x":{"a"}`)), amBody(amAlertJSON(`,"x":{"a":1,}`)), amBody(amAlertJSON(`,"x":{1:2}`)),
		amBody(amAlertJSON(`,"x":"\x"`)), amBody(amAlertJSON(`,"x":"\u12"`)), amBody(amAlertJSON(`,"x":"\u12g4"`)),
		amBody(amAlertJSON(`,"x":"a` + "\x01" + `b"`)), amBody(amAlertJSON(`,"x":"a` + "\t" + `b"`)),
		amBody(amAlertJSON(`,"x":"a` + "\x7f" + `b"`)), amBody(amAlertJSON(`,"x":"`)),
		amBody(amAlertJSON("") + ","), amBody(amAlertJSON("")) + "]",
		amBody(amAlertJSON(`,"x":` + deep(9997))),
		amBody(amAlertJSON(`,"x":` + deep(9998))),
		amBody(amAlertJSON(`,"x":` + deep(20000))),
		`{"x":` + deep(9999) + `}`, `{"x":` + deep(10000) + `}`,
		// text: escapes, surrogate pairs, halves of them, NUL, not UTF-8
		amBody(`{"status":"firing","labels":{"alertname":"A\"\\\/\b\f\n\r\t\u00e9\u20ac\ud83d\ude00"},"fingerprint":"f"}`),
		amBody(`{"status":"firing","labels":{"alertname":"A","k\u00e9y":"\uD83D\uDE00"},"fingerprint":"f\u0066"}`),
		amBody(`{"status":"firing","labels":{"alertname":"A\ud83d"},"fingerprint":"f"}`),
		amBody(`{"status":"firing","labels":{"alertname":"A\ude00x"},"fingerprint":"f"}`),
		amBody(`{"status":"firing","labels":{"alertname":"A\ud83d\u0041"},"fingerprint":"f"}`),
		amBody(`{"status":"firing","labels":{"alertname":"A\u0000"},"fingerprint":"f"}`),
		amBody(`{"status":"firing","labels":{"alertname":"A","a\u0000":"v"},"fingerprint":"f"}`),
		amBody("{\"status\":\"firing\",\"labels\":{\"alertname\":\"A\xff\"},\"fingerprint\":\"f\"}"),
		amBody(`{"status":"firing","labels":{"alertname":"\ufffd"},"fingerprint":"f"}`),
		amBody(`{"status":"firing","labels":{"alertname":"é€😀"},"annotations":{"summary":"` + strings.Repeat("€", 5000) + `"},"fingerprint":"f"}`),
		// what the events make of the alerts
		amBody(amAlertJSON(`,"startsAt":"2026-03-02T10:00:00.123+01:00","endsAt":"0001-01-01T00:00:00Z"`)),
		amBody(amAlertJSON(`,"startsAt":"yesterday"`)), amBody(amAlertJSON(`,"endsAt":"2026-03-02"`)),
		amBody(amAlertJSON(`,"startsAt":"bad","startsAt":null`)), amBody(amAlertJSON(`,"startsAt":"bad","startsAt":""`)),
		amBody(amAlertJSON(`,"status":"pending"`)), amBody(amAlertJSON(`,"status":"Firing"`)),
		amBody(amAlertJSON(`,"fingerprint":""`)), amBody(amAlertJSON(`,"labels":{}`)),
		amBody(amAlertJSON(`,"labels":{"alertname":"A","severity":"PAGE"}`)),
		amBody(amAlertJSON(`,"labels":{"alertname":"A","severity":"none"}`)),
		amBody(amAlertJSON(`,"labels":{"alertname":"A","instance":"` + strings.Repeat("x", 600) + `"}`)),
		amBody(amAlertJSON(`,"labels":{"alertname":"A","` + strings.Repeat("x", 600) + `":"v"}`)),
		amBody(amAlertJSON(`,"labels":{"alertname":"A","":"v"}`)),
		amBody(amAlertJSON(`,"fingerprint":"` + strings.Repeat("f", 600) + `"`)),
		`{"version":"4","status":"resolved","groupKey":"` + strings.Repeat("g", 600) + `","alerts":[` + amAlertJSON("") + `]}`,
		`{"version":"4","status":"firing","groupKey":"g\u0000","alerts":[` + amAlertJSON("") + `]}`,
	}
	var many []string
	for i := range 70 {
		many = append(many, fmt.Sprintf(`"l%02d":"v"`, i))
	}
	cases = append(cases, amBody(amAlertJSON(`,"labels":{"alertname":"A",`+strings.Join(many, ",")+`}`)))
	return cases
}

// seedFiles returns the inputs of the fuzz corpora and files given, by
// path patterns.
func seedFiles(t testing.TB, patterns ...string) [][]byte {
	t.Helper()
	var out [][]byte
	for _, p := range patterns {
		names, err := filepath.Glob(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range names {
			b, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			if filepath.Ext(name) == ".json" {
				out = append(out, b)
				continue
			}
			out = append(out, corpusBytes(t, name, b))
		}
	}
	return out
}

// corpusBytes returns the []byte of a file of a fuzz corpus, whose format
// is "go test fuzz v1" and a line []byte("…") with a Go string.
func corpusBytes(t testing.TB, name string, file []byte) []byte {
	t.Helper()
	head, arg, _ := strings.Cut(strings.TrimSpace(string(file)), "\n")
	quoted, ok := strings.CutPrefix(arg, "[]byte(")
	quoted, ok2 := strings.CutSuffix(quoted, ")")
	if head != "go test fuzz v1" || !ok || !ok2 {
		t.Fatalf("%s: not a corpus file of one []byte", name)
	}
	s, err := strconv.Unquote(quoted)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return []byte(s)
}

// alertmanagerSeeds are the inputs the differential tests start from.
func alertmanagerSeeds(t testing.TB) [][]byte {
	seeds := seedFiles(t, "testdata/alertmanager.json", "testdata/fuzz/FuzzDecodeAlertmanager/*")
	for _, c := range amCases() {
		seeds = append(seeds, []byte(c))
	}
	return seeds
}

// TestAlertmanagerAgainstEncodingJSON: on the seed corpus and the cases
// where they could most easily part, DecodeAlertmanager does what the
// decoder with encoding/json did.
func TestAlertmanagerAgainstEncodingJSON(t *testing.T) {
	t.Parallel()
	for _, body := range alertmanagerSeeds(t) {
		sameAsEncodingJSON(t, body)
	}
}

// FuzzAlertmanagerAgainstEncodingJSON: for any input, DecodeAlertmanager
// does what the decoder with encoding/json did. Its corpus, in
// testdata/fuzz/FuzzAlertmanagerAgainstEncodingJSON, holds what the
// fuzzer found worth keeping.
func FuzzAlertmanagerAgainstEncodingJSON(f *testing.F) {
	for _, body := range alertmanagerSeeds(f) {
		f.Add(body)
	}
	f.Fuzz(sameAsEncodingJSON)
}
