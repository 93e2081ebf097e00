package event

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readValue reads data as one JSON text with read, and reports what
// encoding/json's Unmarshal would: malformed JSON anywhere (trailing data
// too) first, then a type error.
func readValue(data []byte, read func(r *jsonReader) error) error {
	r := jsonReader{data: data}
	err := read(&r)
	var se *jsonSyntaxError
	if errors.As(err, &se) {
		return err
	}
	if !r.atEnd() {
		return &jsonSyntaxError{"trailing data", r.pos}
	}
	return err
}

// errorKind is "syntax", "type" or "" for the errors of jsonReader and
// of encoding/json.
func errorKind(err error) string {
	var se *jsonSyntaxError
	var te *jsonTypeError
	var jse *json.SyntaxError
	var jte *json.UnmarshalTypeError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &se), errors.As(err, &jse):
		return "syntax"
	case errors.As(err, &te), errors.As(err, &jte):
		return "type"
	}
	return "other: " + err.Error()
}

func TestJSONReaderStrings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want string
		kind     string // of the error
	}{
		{in: `""`, want: ""},
		{in: `"plain ASCII, long enough for a word or two"`, want: "plain ASCII, long enough for a word or two"},
		{in: `"é€😀 in UTF-8"`, want: "é€😀 in UTF-8"},
		{in: `"\"\\\/\b\f\n\r\t"`, want: "\"\\/\b\f\n\r\t"},
		{in: `"\u0041\u00e9\u20AC"`, want: "Aé€"},
		{in: `"\u0000"`, want: "\x00"},
		{in: `"x\ud83d\ude00y"`, want: "x😀y", kind: ""},
		{in: `"\uD83D\uDE00"`, want: "😀"},
		{in: `"\ud83d"`, want: "\uFFFD"},
		{in: `"\ude00"`, want: "\uFFFD"},
		{in: `"\ud83dx"`, want: "\uFFFDx"},
		{in: `"\ud83d\u0041"`, want: "\uFFFDA"},
		{in: `"\ude00\ud83d"`, want: "\uFFFD\uFFFD"},
		{in: `"\ud83d\ud83d\ude00"`, want: "\uFFFD😀"},
		{in: "\"a\xffb\"", want: "a\uFFFDb"},
		{in: "\"\xe2\x82\"", want: "\uFFFD\uFFFD"},
		{in: "\"\x7f\"", want: "\x7f"},
		{in: `"\ufffd"`, want: "\uFFFD"},
		{in: "\"a\x00b\"", kind: "syntax"},
		{in: "\"a\x1fb\"", kind: "syntax"},
		{in: "\"a\nb\"", kind: "syntax"},
		{in: "\"a\tb\"", kind: "syntax"},
		{in: `"\x"`, kind: "syntax"},
		{in: `"\'"`, kind: "syntax"},
		{in: `"\U0041"`, kind: "syntax"},
		{in: `"\u004"`, kind: "syntax"},
		{in: `"\u004g"`, kind: "syntax"},
		{in: `"\ud83d\u"`, kind: "syntax"},
		{in: `"\ud83d\ude0"`, kind: "syntax"},
		{in: `"\`, kind: "syntax"},
		{in: `"abc`, kind: "syntax"},
		{in: `"abcdefghijklmnop`, kind: "syntax"},
		{in: `"a" "b"`, kind: "syntax"},
		{in: `'a'`, kind: "syntax"},
		{in: `5`, kind: "type"},
		{in: `{}`, kind: "type"},
		{in: `[""]`, kind: "type"},
		{in: `true`, kind: "type"},
		{in: `null`, want: "unchanged"},
	} {
		got := "unchanged"
		err := readValue([]byte(tc.in), func(r *jsonReader) error { return r.stringInto(&got) })
		assert.Equal(t, tc.kind, errorKind(err), "%s: %v", tc.in, err)
		if tc.kind == "" {
			assert.Equal(t, tc.want, got, tc.in)
		}
		want := "unchanged"
		assert.Equal(t, errorKind(err), errorKind(json.Unmarshal([]byte(tc.in), &want)), "%s: as encoding/json", tc.in)
		if err == nil {
			assert.Equal(t, want, got, "%s: as encoding/json", tc.in)
		}
	}
}

func TestJSONReaderNumbers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want int
		kind string // of the error
		got  string // the type error's
	}{
		{in: "0", want: 0},
		{in: "-0", want: 0},
		{in: "42", want: 42},
		{in: "-42", want: -42},
		{in: " 7 ", want: 7},
		{in: "9223372036854775807", want: 9223372036854775807},
		{in: "-9223372036854775808", want: -9223372036854775808},
		{in: "null", want: -1},
		{in: "9223372036854775808", kind: "type", got: "number 9223372036854775808"},
		{in: "1.5", kind: "type", got: "number 1.5"},
		{in: "1.0", kind: "type", got: "number 1.0"},
		{in: "1e2", kind: "type", got: "number 1e2"},
		{in: "-1E-2", kind: "type", got: "number -1E-2"},
		{in: "1e+400", kind: "type", got: "number 1e+400"},
		{in: `"1"`, kind: "type", got: "string"},
		{in: "true", kind: "type", got: "bool"},
		{in: "[1]", kind: "type", got: "array"},
		{in: `{"a":1}`, kind: "type", got: "object"},
		{in: "01", kind: "syntax"},
		{in: "-", kind: "syntax"},
		{in: "-a", kind: "syntax"},
		{in: "+1", kind: "syntax"},
		{in: ".5", kind: "syntax"},
		{in: "1.", kind: "syntax"},
		{in: "1.e2", kind: "syntax"},
		{in: "1e", kind: "syntax"},
		{in: "1e+", kind: "syntax"},
		{in: "0x1f", kind: "syntax"},
		{in: "1_000", kind: "syntax"},
		{in: "NaN", kind: "syntax"},
		{in: "Infinity", kind: "syntax"},
		{in: "1 2", kind: "syntax"},
		{in: "[1.5", kind: "syntax"},
	} {
		got := -1
		err := readValue([]byte(tc.in), func(r *jsonReader) error { return r.intInto(&got) })
		assert.Equal(t, tc.kind, errorKind(err), "%s: %v", tc.in, err)
		switch tc.kind {
		case "":
			assert.Equal(t, tc.want, got, tc.in)
		case "type":
			var te *jsonTypeError
			require.ErrorAs(t, err, &te, tc.in)
			assert.Equal(t, jsonTypeError{want: "int", got: tc.got}, *te, tc.in)
		}
		want := -1
		assert.Equal(t, errorKind(err), errorKind(json.Unmarshal([]byte(tc.in), &want)), "%s: as encoding/json", tc.in)
		if err == nil {
			assert.Equal(t, want, got, "%s: as encoding/json", tc.in)
		}
	}
}

func TestJSONReaderStringMaps(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		was  map[string]string
		want map[string]string
		kind string // of the error
	}{
		{in: `{}`, want: map[string]string{}},
		{in: `{"a":"1","b":"2"}`, want: map[string]string{"a": "1", "b": "2"}},
		{in: ` { "a" : "1" , "b" : "2" } `, want: map[string]string{"a": "1", "b": "2"}},
		{in: `{"a":"1","a":"2"}`, want: map[string]string{"a": "2"}},
		{in: `{"a":"1","A":"2"}`, want: map[string]string{"a": "1", "A": "2"}},
		{in: `{"a":null}`, want: map[string]string{"a": ""}},
		{in: `{"a":"1","a":null}`, want: map[string]string{"a": ""}},
		{in: `{"\u0061\ud83d\ude00":"\n"}`, want: map[string]string{"a😀": "\n"}},
		{in: `{"a":"1"}`, was: map[string]string{"b": "2"}, want: map[string]string{"a": "1", "b": "2"}},
		{in: `null`, was: map[string]string{"b": "2"}, want: nil},
		{in: `[]`, was: map[string]string{"b": "2"}, want: map[string]string{"b": "2"}, kind: "type"},
		{in: `"a"`, kind: "type"},
		{in: `1`, kind: "type"},
		{in: `{"a":1}`, kind: "type"},
		{in: `{"a":1,"b":"x","c":[true]}`, kind: "type"},
		{in: `{"a":{}}`, kind: "type"},
		{in: `{"a":1,}`, kind: "syntax"},
		{in: `{"a":1 "b":2}`, kind: "syntax"},
		{in: `{"a" 1}`, kind: "syntax"},
		{in: `{a:"1"}`, kind: "syntax"},
		{in: `{"a":"1"`, kind: "syntax"},
		{in: `{"a":"1"}}`, kind: "syntax"},
		{in: `{"a":1} x`, kind: "syntax"},
		{in: `{"a":[1,{"b":nul}]}`, kind: "syntax"},
	} {
		got := cloneMap(tc.was)
		err := readValue([]byte(tc.in), func(r *jsonReader) error { return r.stringMapInto(&got) })
		assert.Equal(t, tc.kind, errorKind(err), "%s: %v", tc.in, err)
		if tc.kind != "syntax" && tc.want != nil {
			assert.Equal(t, tc.want, got, tc.in)
		}
		want := cloneMap(tc.was)
		assert.Equal(t, errorKind(err), errorKind(json.Unmarshal([]byte(tc.in), &want)), "%s: as encoding/json", tc.in)
		if err == nil {
			assert.Equal(t, want, got, "%s: as encoding/json", tc.in)
		}
	}
}

func cloneMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// TestJSONReaderSkip: skip accepts what encoding/json does, values of
// every kind nested, no more.
func TestJSONReaderSkip(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		`null`, `true`, `false`, `0`, `-1.5e+10`, `""`, `"\u00e9"`, `[]`, `{}`, `[[]]`, `[1,"a",null,{"b":[true]}]`,
		` {"a" : [ 1 , 2 ] , "b" : { } } `, "\t\n\r[\t\n\r]\t\n\r",
		``, ` `, `nul`, `nulll`, `True`, `[`, `]`, `{`, `}`, `[1,]`, `[,1]`, `[1 2]`, `{"a":}`, `{"a"}`, `{,}`, `{"a":1,,"b":2}`,
		`{"a":1}{}`, `[]]`, `"\q"`, "\"\x01\"", `/* no comments */ 1`, `[1] // no comments`, "\ufeff[]", "[\u00a0]", "\x00",
		strings.Repeat("[", 10000) + strings.Repeat("]", 10000),
		strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
		strings.Repeat(`{"a":`, 10000) + "1" + strings.Repeat("}", 10000),
		strings.Repeat(`{"a":`, 10001) + "1" + strings.Repeat("}", 10001),
		strings.Repeat("[", 100000),
	} {
		err := readValue([]byte(in), func(r *jsonReader) error { return r.skip() })
		assert.Equal(t, json.Valid([]byte(in)), err == nil, "%.40q: %v", in, err)
	}
}

// TestJSONReaderDepth: nesting deeper than encoding/json's bound is
// malformed, at any depth that reading starts at.
func TestJSONReaderDepth(t *testing.T) {
	t.Parallel()
	nested := func(n int) []byte { return []byte(strings.Repeat("[", n) + strings.Repeat("]", n)) }
	r := jsonReader{data: nested(maxJSONDepth)}
	require.NoError(t, r.skip())
	r = jsonReader{data: nested(maxJSONDepth + 1)}
	var se *jsonSyntaxError
	require.ErrorAs(t, r.skip(), &se)
	assert.Contains(t, se.Error(), "exceeded max depth")

	var got map[string]string
	data := []byte(`{"a":"1","b":` + string(nested(maxJSONDepth)) + `}`)
	require.ErrorAs(t, readValue(data, func(r *jsonReader) error { return r.stringMapInto(&got) }), &se,
		"the map is one level more")
}

func TestJSONReaderObjects(t *testing.T) {
	t.Parallel()
	fields := []string{"status", "groupKey", "labels"}
	type member struct{ key, field, value string }
	for _, tc := range []struct {
		in   string
		want []member
		kind string // of the error
	}{
		{in: `{}`},
		{in: `null`},
		{in: `{"status":"a","STATUS":"b","Status":"c","ſtatus":"d","\u017ftatus":"e","statuſ":"f"}`, want: []member{
			{"status", "status", "a"}, {"STATUS", "status", "b"}, {"Status", "status", "c"},
			{"ſtatus", "status", "d"}, {"ſtatus", "status", "e"}, {"statuſ", "status", "f"},
		}},
		{in: `{"groupKey":"a","groupkey":"b","GROUP\u212aEY":"c","groupKe":"d","groupKeys":"e"}`, want: []member{
			{"groupKey", "groupKey", "a"}, {"groupkey", "groupKey", "b"}, {"GROUP\u212aEY", "groupKey", "c"},
			{"groupKe", "", "d"}, {"groupKeys", "", "e"},
		}},
		{in: `{"stätus":"a","statu":"b","status ":"c","":"d","st\u0061tus":"e"}`, want: []member{
			{"stätus", "", "a"}, {"statu", "", "b"}, {"status ", "", "c"}, {"", "", "d"}, {"status", "status", "e"},
		}},
		{in: `{"labels":"a","labels":"b"}`, want: []member{{"labels", "labels", "a"}, {"labels", "labels", "b"}}},
		{in: `[]`, kind: "type"},
		{in: `"{}"`, kind: "type"},
		{in: `{"a":"1",}`, kind: "syntax"},
		{in: `{"a":"1"`, kind: "syntax"},
	} {
		var got []member
		err := readValue([]byte(tc.in), func(r *jsonReader) error {
			return r.object(func(key []byte) error {
				k := string(key)
				field := jsonField(key, fields)
				text, _, err := r.str()
				got = append(got, member{k, field, string(text)})
				return err
			})
		})
		assert.Equal(t, tc.kind, errorKind(err), "%s: %v", tc.in, err)
		if tc.kind == "" {
			assert.Equal(t, tc.want, got, tc.in)
		}
	}
}

// TestJSONFieldAsEncodingJSON: jsonField matches keys to fields as
// encoding/json does, case folding and all.
func TestJSONFieldAsEncodingJSON(t *testing.T) {
	t.Parallel()
	type fields struct {
		Status   string `json:"status"`
		GroupKey string `json:"groupKey"`
		SKey     string `json:"sKey"`
	}
	names := []string{"status", "groupKey", "sKey"}
	for _, key := range []string{
		"status", "Status", "STATUS", "ſtatus", "ſTATUſ", "ßtatus", "groupKey", "groupkey", "GROUPKEY", "group\u212aey",
		"groupK", "sKey", "SKEY", "ſ\u212aey", "s\u212aEY", "skey\u0301", "", "\xff", "\uFFFD", "statuses",
	} {
		var f fields
		require.NoError(t, json.Unmarshal([]byte(`{"`+key+`":"x"}`), &f), key)
		want := ""
		for i, v := range []string{f.Status, f.GroupKey, f.SKey} {
			if v != "" {
				want = names[i]
			}
		}
		assert.Equal(t, want, jsonField([]byte(key), names), key)
	}
}

func TestJSONReaderRaw(t *testing.T) {
	t.Parallel()
	r := jsonReader{data: []byte(` [ {"a" : [1, 2]} , "x" ] `)}
	var raws []string
	require.NoError(t, r.array(func(int) error {
		raw, err := r.raw()
		raws = append(raws, string(raw))
		return err
	}))
	assert.True(t, r.atEnd())
	assert.Equal(t, []string{`{"a" : [1, 2]}`, `"x"`}, raws)
}

// FuzzJSONReader: for any input, the reader's methods accept it, refuse
// it as malformed or of the wrong type, and decode it as encoding/json's
// Unmarshal does.
func FuzzJSONReader(f *testing.F) {
	for _, s := range []string{
		`{"a":"b","c":null}`, `"\ud83d\ude00\u0041\n"`, `-12`, `1.5e3`, `[1,"a",{"b":[true,false,null]}]`, `{"a":1}`, "\"\xff\"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		err := readValue(data, func(r *jsonReader) error { return r.skip() })
		if valid := json.Valid(data); valid != (err == nil) {
			t.Fatalf("%q: json.Valid %v, skip: %v", data, valid, err)
		}
		same := func(got, want any, read func(r *jsonReader) error) {
			err := readValue(data, read)
			jerr := json.Unmarshal(data, want)
			if errorKind(err) != errorKind(jerr) {
				t.Fatalf("%q: %v, encoding/json: %v", data, err, jerr)
			}
			if err == nil && !reflect.DeepEqual(got, want) {
				t.Fatalf("%q: %#v, encoding/json: %#v", data, got, want)
			}
		}
		var s, js string
		same(&s, &js, func(r *jsonReader) error { return r.stringInto(&s) })
		var n, jn int
		same(&n, &jn, func(r *jsonReader) error { return r.intInto(&n) })
		var m, jm map[string]string
		same(&m, &jm, func(r *jsonReader) error { return r.stringMapInto(&m) })
	})
}
