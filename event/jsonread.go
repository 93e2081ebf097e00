package event

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"strconv"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// maxJSONDepth bounds the nesting of arrays and objects, as encoding/json
// bounds it: reading recurses, and hostile input must not exhaust the
// stack.
const maxJSONDepth = 10000

// jsonReader reads one JSON text from data in one pass, without
// reflection. It accepts exactly what encoding/json accepts, and decodes
// as encoding/json decodes into strings, ints, maps of strings and
// structs: the last of duplicate keys wins, null leaves a string or an
// int as it was and makes a map nil, a string's bytes that are not UTF-8
// and halves of surrogate pairs become U+FFFD. A value of the wrong type
// is skipped and reported as a *jsonTypeError, after which reading may go
// on (encoding/json reports the first one once it has read everything,
// which jsonMismatch helps do); malformed JSON is a *jsonSyntaxError,
// after which it may not.
//
// Text that a method returns as []byte is a slice of data, or of a
// buffer of the reader's when the string holds escapes: a string's text
// is valid until the next string is read, an object's key until the next
// key.
type jsonReader struct {
	data   []byte
	pos    int    // the next byte to read
	depth  int    // the arrays and objects open
	buf    []byte // the decoded text of the last string with escapes
	keyBuf []byte // the same for keys

	// shared, when not nil, keeps short strings read, for strings of the
	// same text to share one rather than each allocating its own: the
	// labels of the alerts of a group are mostly the same.
	shared *stringCache
}

// jsonSyntaxError: the data is not JSON, or nested too deep.
type jsonSyntaxError struct {
	msg    string
	offset int
}

func (e *jsonSyntaxError) Error() string { return fmt.Sprintf("%s at offset %d", e.msg, e.offset) }

// jsonTypeError: a JSON value of another type than the one wanted, which
// the reader skipped.
type jsonTypeError struct {
	want string // the Go type, as encoding/json names it ("string", "int", "map[string]string"), or "object", "array"
	got  string // the JSON value: "string", "number", "bool", "array", "object"; "number 1.5" for an int
}

func (e *jsonTypeError) Error() string { return "want a JSON " + e.want + ", got " + e.got }

// jsonMismatch keeps the first value of the wrong type that reading a
// document meets, and the field it was in: encoding/json reports it only
// after reading everything, and malformed JSON further on comes first.
type jsonMismatch struct {
	field string
	err   *jsonTypeError
}

// keep keeps err, read from field, if it is the first type error, and
// returns nil for any type error, so that reading goes on; other errors,
// which stop reading, it returns.
func (m *jsonMismatch) keep(field string, err error) error {
	te, ok := err.(*jsonTypeError)
	if !ok {
		return err
	}
	if m.err == nil {
		m.field, m.err = field, te
	}
	return nil
}

// error returns the *itil.ValidationError of the type error kept, naming
// prefix.field (prefix alone for a value at the top), or nil.
func (m *jsonMismatch) error(prefix string) error {
	if m.err == nil {
		return nil
	}
	field := prefix
	if m.field != "" {
		field += "." + m.field
	}
	return invalid(field, "%v", m.err)
}

// peek skips whitespace and returns the next byte, 0 at the end of data
// (a NUL is no JSON either: syntaxError tells the two apart).
func (r *jsonReader) peek() byte {
	for ; r.pos < len(r.data); r.pos++ {
		switch c := r.data[r.pos]; c {
		case ' ', '\t', '\n', '\r':
		default:
			return c
		}
	}
	return 0
}

// offset skips whitespace and returns the offset of the next value, for
// since.
func (r *jsonReader) offset() int {
	r.peek()
	return r.pos
}

// since returns the bytes read from offset start on: with start from
// offset, the span of the value read since.
func (r *jsonReader) since(start int) []byte { return r.data[start:r.pos] }

// atEnd skips whitespace and reports whether nothing else is left.
func (r *jsonReader) atEnd() bool {
	r.peek()
	return r.pos == len(r.data)
}

// syntaxError reports the byte at the reading position as unexpected,
// where context says, in the words of encoding/json.
func (r *jsonReader) syntaxError(context string) error {
	if r.pos >= len(r.data) {
		return &jsonSyntaxError{"unexpected end of JSON input", r.pos}
	}
	c, _ := utf8.DecodeRune(r.data[r.pos:])
	return &jsonSyntaxError{fmt.Sprintf("invalid character %q %s", c, context), r.pos}
}

// jsonKind names the JSON value that starts with c, as encoding/json's
// type errors do.
func jsonKind(c byte) string {
	switch c {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "bool"
	case 'n':
		return "null"
	}
	return "number"
}

// mismatch skips the next value and reports it as not the one wanted.
func (r *jsonReader) mismatch(want string) error {
	got := jsonKind(r.peek())
	if err := r.skip(); err != nil {
		return err
	}
	return &jsonTypeError{want: want, got: got}
}

// enter opens an array or an object, at most maxJSONDepth deep.
func (r *jsonReader) enter() error {
	if r.depth == maxJSONDepth {
		return &jsonSyntaxError{"exceeded max depth", r.pos}
	}
	r.depth++
	r.pos++
	return nil
}

// object reads an object, calling member for each member with its key
// and the reader at the member's value, which member must read. null is
// an object without members, as it leaves a struct as it was; another
// value is a *jsonTypeError. An error from member stops the reading and
// is returned.
func (r *jsonReader) object(member func(key []byte) error) error {
	switch r.peek() {
	case '{':
	case 'n':
		return r.literal("null")
	default:
		return r.mismatch("object")
	}
	if err := r.enter(); err != nil {
		return err
	}
	if r.peek() == '}' {
		r.pos++
		r.depth--
		return nil
	}
	for {
		if r.peek() != '"' {
			return r.syntaxError("looking for beginning of object key string")
		}
		key, err := r.stringLiteral(&r.keyBuf)
		if err != nil {
			return err
		}
		if r.peek() != ':' {
			return r.syntaxError("after object key")
		}
		r.pos++
		if err := member(key); err != nil {
			return err
		}
		switch r.peek() {
		case ',':
			r.pos++
		case '}':
			r.pos++
			r.depth--
			return nil
		default:
			return r.syntaxError("after object key:value pair")
		}
	}
}

// array reads an array, calling elem with the index of each element and
// the reader at it, which elem must read. null is an array without
// elements; another value is a *jsonTypeError, before any call of elem.
// An error from elem stops the reading and is returned.
func (r *jsonReader) array(elem func(i int) error) error {
	switch r.peek() {
	case '[':
	case 'n':
		return r.literal("null")
	default:
		return r.mismatch("array")
	}
	if err := r.enter(); err != nil {
		return err
	}
	if r.peek() == ']' {
		r.pos++
		r.depth--
		return nil
	}
	for i := 0; ; i++ {
		if err := elem(i); err != nil {
			return err
		}
		switch r.peek() {
		case ',':
			r.pos++
		case ']':
			r.pos++
			r.depth--
			return nil
		default:
			return r.syntaxError("after array element")
		}
	}
}

// skip reads any value, checking it and decoding nothing but what
// checking needs.
func (r *jsonReader) skip() error {
	switch c := r.peek(); c {
	case '{':
		return r.object(func([]byte) error { return r.skip() })
	case '[':
		return r.array(func(int) error { return r.skip() })
	case '"':
		_, err := r.stringLiteral(&r.buf)
		return err
	case 't':
		return r.literal("true")
	case 'f':
		return r.literal("false")
	case 'n':
		return r.literal("null")
	default:
		if c == '-' || isDigit(c) {
			_, err := r.number()
			return err
		}
		return r.syntaxError("looking for beginning of value")
	}
}

// raw reads any value and returns its bytes.
func (r *jsonReader) raw() ([]byte, error) {
	start := r.offset()
	err := r.skip()
	return r.since(start), err
}

// literal reads true, false or null, the word given.
func (r *jsonReader) literal(word string) error {
	for i := range len(word) {
		if r.pos >= len(r.data) || r.data[r.pos] != word[i] {
			return r.syntaxError("in literal " + word)
		}
		r.pos++
	}
	return nil
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// digits returns the offset of the first byte from i on that is no digit.
func (r *jsonReader) digits(i int) int {
	for i < len(r.data) && isDigit(r.data[i]) {
		i++
	}
	return i
}

// number reads a number and returns its text:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (r *jsonReader) number() ([]byte, error) {
	d, start := r.data, r.pos
	if r.pos < len(d) && d[r.pos] == '-' {
		r.pos++
	}
	switch {
	case r.pos < len(d) && d[r.pos] == '0':
		r.pos++
	case r.pos < len(d) && isDigit(d[r.pos]):
		r.pos = r.digits(r.pos)
	default:
		return nil, r.syntaxError("in numeric literal")
	}
	if r.pos < len(d) && d[r.pos] == '.' {
		r.pos++
		if r.pos >= len(d) || !isDigit(d[r.pos]) {
			return nil, r.syntaxError("after decimal point in numeric literal")
		}
		r.pos = r.digits(r.pos)
	}
	if r.pos < len(d) && (d[r.pos] == 'e' || d[r.pos] == 'E') {
		r.pos++
		if r.pos < len(d) && (d[r.pos] == '+' || d[r.pos] == '-') {
			r.pos++
		}
		if r.pos >= len(d) || !isDigit(d[r.pos]) {
			return nil, r.syntaxError("in exponent of numeric literal")
		}
		r.pos = r.digits(r.pos)
	}
	return d[start:r.pos], nil
}

// str reads a string and returns its text, or reads null and returns
// false; another value is a *jsonTypeError.
func (r *jsonReader) str() (text []byte, ok bool, err error) {
	switch r.peek() {
	case '"':
		text, err = r.stringLiteral(&r.buf)
		return text, err == nil, err
	case 'n':
		return nil, false, r.literal("null")
	}
	return nil, false, r.mismatch("string")
}

// stringInto reads a string into dst; null leaves dst as it was.
func (r *jsonReader) stringInto(dst *string) error {
	text, ok, err := r.str()
	if ok {
		*dst = r.string(text)
	}
	return err
}

// string returns text as a string, shared when it can be.
func (r *jsonReader) string(text []byte) string {
	if r.shared == nil {
		return string(text)
	}
	return r.shared.get(text)
}

// intInto reads into dst a number that encoding/json would decode into
// an int: an integer, without fraction or exponent, that fits; null
// leaves dst as it was.
func (r *jsonReader) intInto(dst *int) error {
	switch c := r.peek(); {
	case c == 'n':
		return r.literal("null")
	case c == '-' || isDigit(c):
		num, err := r.number()
		if err != nil {
			return err
		}
		n, err := strconv.ParseInt(string(num), 10, strconv.IntSize)
		if err != nil {
			return &jsonTypeError{want: "int", got: "number " + string(num)}
		}
		*dst = int(n)
		return nil
	}
	return r.mismatch("int")
}

// stringObject reads an object of strings, calling member with each key
// and text, the text of null being empty (encoding/json maps the key to
// ""). null is an object without members; another value is a
// *jsonTypeError, wanting a map[string]string. A member that is no
// string nor null is a *jsonTypeError too, reported once the whole object
// is read, as encoding/json does.
func (r *jsonReader) stringObject(member func(key, text []byte)) error {
	switch r.peek() {
	case '{', 'n':
	default:
		return r.mismatch("map[string]string")
	}
	var bad jsonMismatch
	err := r.object(func(key []byte) error {
		text, _, err := r.str()
		if err = bad.keep("", err); err == nil {
			member(key, text)
		}
		return err
	})
	if err == nil && bad.err != nil {
		err = &jsonTypeError{want: "string", got: bad.err.got}
	}
	return err
}

// stringMapInto reads an object of strings into dst, adding to the map
// dst holds, as encoding/json does with a key given twice; null makes dst
// nil. See stringObject.
func (r *jsonReader) stringMapInto(dst *map[string]string) error {
	switch r.peek() {
	case 'n':
		*dst = nil
	case '{':
		if *dst == nil {
			*dst = make(map[string]string)
		}
	}
	m := *dst
	return r.stringObject(func(key, text []byte) { m[r.string(key)] = r.string(text) })
}

// plainByte marks the bytes that stand for themselves in a JSON string:
// ASCII but for the quote, the backslash and the control characters.
var plainByte = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// plainEnd returns the offset of the first byte of d from i on that is
// not plain, len(d) if none. It tests eight bytes at once: a byte of v is
// zero, or below n, when (v - 0x01…01*n) &^ v has its top bit set, and
// the lowest such bit is exact (a borrow only goes up).
func plainEnd(d []byte, i int) int {
	const ones, tops = 0x0101010101010101, 0x8080808080808080
	for ; i+8 <= len(d); i += 8 {
		x := binary.LittleEndian.Uint64(d[i:])
		quote, backslash := x^(ones*'"'), x^(ones*'\\')
		if m := ((quote-ones)&^quote | (backslash-ones)&^backslash | (x-ones*0x20)&^x | x) & tops; m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for i < len(d) && d[i] < utf8.RuneSelf && plainByte[d[i]] {
		i++
	}
	return i
}

// stringLiteral reads the string that starts at the reading position and
// returns its text: a slice of data when it holds no escape and only
// valid UTF-8, the common case, which copies nothing; else decoded into
// *buf.
func (r *jsonReader) stringLiteral(buf *[]byte) ([]byte, error) {
	d := r.data
	start := r.pos + 1
	i := start
	for {
		i = plainEnd(d, i)
		if i >= len(d) || d[i] < utf8.RuneSelf {
			break
		}
		c, n := utf8.DecodeRune(d[i:])
		if c == utf8.RuneError && n == 1 {
			break
		}
		i += n
	}
	if i < len(d) && d[i] == '"' {
		r.pos = i + 1
		return d[start:i], nil
	}
	return r.decodeString(buf, start, i)
}

// decodeString decodes into *buf the string whose text starts at start,
// and is plain up to i, as encoding/json decodes it.
func (r *jsonReader) decodeString(buf *[]byte, start, i int) ([]byte, error) {
	d := r.data
	b := append((*buf)[:0], d[start:i]...)
	for i < len(d) {
		switch c := d[i]; {
		case c == '"':
			r.pos, *buf = i+1, b
			return b, nil
		case c == '\\':
			if i+1 >= len(d) {
				r.pos = i + 1
				return nil, r.syntaxError("")
			}
			switch e := d[i+1]; e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				rr, n := hex4(d[i+2:])
				if n < 4 {
					r.pos = i + 2 + n
					return nil, r.syntaxError("in \\u hexadecimal character escape")
				}
				i += 6
				if utf16.IsSurrogate(rr) {
					// The low half of a pair must follow at once, else
					// (and for a low half first) U+FFFD, as in
					// encoding/json; what follows is read on its own.
					hi := rr
					rr = unicode.ReplacementChar
					if i+1 < len(d) && d[i] == '\\' && d[i+1] == 'u' {
						if lo, n := hex4(d[i+2:]); n == 4 {
							if dec := utf16.DecodeRune(hi, lo); dec != unicode.ReplacementChar {
								rr = dec
								i += 6
							}
						}
					}
				}
				b = utf8.AppendRune(b, rr)
				continue
			default:
				r.pos = i + 1
				return nil, r.syntaxError("in string escape code")
			}
			i += 2
		case c < 0x20:
			r.pos = i
			return nil, r.syntaxError("in string literal")
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			rr, n := utf8.DecodeRune(d[i:])
			b = utf8.AppendRune(b, rr) // U+FFFD for a byte that is not UTF-8
			i += n
		}
	}
	r.pos = len(d)
	return nil, r.syntaxError("")
}

// hex4 decodes the four hexadecimal digits that start b, returning how
// many of them there are: less than four when b is too short or has a
// byte that is none.
func hex4(b []byte) (rune, int) {
	var r rune
	for n := range 4 {
		if n >= len(b) {
			return 0, n
		}
		c := b[n]
		switch {
		case isDigit(c):
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, n
		}
		r = r<<4 | rune(c)
	}
	return r, 4
}

// stringCache keeps short strings for reuse: up to maxCachedLen bytes,
// in 256 sets of two, the set chosen by a hash of the string's length and
// three of its bytes, which is cheaper than a map's (whose hash would cost
// about what the allocation it saves does). A set keeps the two strings
// used last.
type stringCache [256][2]string

const maxCachedLen = 64

// get returns text as a string, the cache's when it has it.
func (c *stringCache) get(text []byte) string {
	n := len(text)
	if n == 0 || n > maxCachedLen {
		return string(text)
	}
	x := uint32(n) | uint32(text[0])<<8 | uint32(text[n/2])<<16 | uint32(text[n-1])<<24
	set := &c[(x*0x9e3779b1)>>24] // Fibonacci hashing: the top byte mixes all four
	switch {
	case set[0] == string(text):
	case set[1] == string(text):
		set[0], set[1] = set[1], set[0]
	default:
		set[0], set[1] = string(text), set[0]
	}
	return set[0]
}

// jsonField returns the one of names, the JSON names of a struct's fields,
// that key names as encoding/json matches keys to fields: the name equal
// to key, else the first equal to it under Unicode case folding
// ("Status", "STATUS" and "ſtatus" are "status"); "" for none.
func jsonField(key []byte, names []string) string {
	for _, n := range names {
		if string(key) == n {
			return n
		}
	}
	for _, n := range names {
		if foldEqual(key, n) {
			return n
		}
	}
	return ""
}

// foldEqual reports whether key and name are equal under simple Unicode
// case folding, a byte that is not UTF-8 being U+FFFD, as encoding/json
// compares them.
func foldEqual(key []byte, name string) bool {
	for len(key) > 0 && len(name) > 0 {
		kr, kn := utf8.DecodeRune(key)
		nr, nn := utf8.DecodeRuneInString(name)
		if kr != nr && foldRune(kr) != foldRune(nr) {
			return false
		}
		key, name = key[kn:], name[nn:]
	}
	return len(key) == 0 && len(name) == 0
}

// foldRune returns the smallest rune of r's case folding orbit, as
// encoding/json folds names.
func foldRune(r rune) rune {
	for {
		r2 := unicode.SimpleFold(r)
		if r2 <= r {
			return r2
		}
		r = r2
	}
}
