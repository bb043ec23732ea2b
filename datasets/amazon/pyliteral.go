package amazon

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxLiteralDepth bounds the nesting of lists and dicts, so that a corrupt line cannot exhaust
// the stack. Amazon metadata nests three deep (a dict of lists of lists).
const maxLiteralDepth = 200

// ParsePythonLiteral parses one Python literal as repr() writes it, the format of the 2014
// Amazon metadata files ({'asin': 'B0001', 'categories': [['Books', 'Kindle Store']]}). It
// accepts strings in single or double quotes with an optional u, b or r prefix and Python's
// escapes, integers, floats, lists, tuples, dicts, True, False and None; JSON's true, false and
// null are accepted too. Results are string, int64 (float64 for integers beyond int64), float64,
// bool, nil, []any for lists and tuples, and map[string]any for dicts, whose keys must be
// strings. The whole input must be one literal, up to surrounding white space.
func ParsePythonLiteral(s string) (any, error) {
	p := &literalParser{src: s}
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos < len(p.src) {
		return nil, p.errorf("unexpected %q after the literal", p.src[p.pos])
	}
	return v, nil
}

type literalParser struct {
	src string
	pos int
}

func (p *literalParser) errorf(format string, args ...any) error {
	return fmt.Errorf("python literal at byte %d: %s", p.pos, fmt.Sprintf(format, args...))
}

func (p *literalParser) skipSpace() {
	for p.pos < len(p.src) && strings.IndexByte(" \t\r\n", p.src[p.pos]) >= 0 {
		p.pos++
	}
}

func (p *literalParser) value(depth int) (any, error) {
	if depth > maxLiteralDepth {
		return nil, p.errorf("nesting deeper than %d", maxLiteralDepth)
	}
	p.skipSpace()
	if p.pos >= len(p.src) {
		return nil, p.errorf("unexpected end of input")
	}
	switch c := p.src[p.pos]; {
	case c == '[':
		return p.sequence(']', depth)
	case c == '(':
		return p.sequence(')', depth)
	case c == '{':
		return p.dict(depth)
	case c == '\'' || c == '"':
		return p.str(false)
	case c == '-' || c == '+' || c == '.' || isDigit(c):
		return p.number()
	case isLetter(c):
		return p.word()
	default:
		return nil, p.errorf("unexpected %q", c)
	}
}

// sequence parses a list or tuple whose opening bracket is at p.pos; a trailing comma is allowed.
func (p *literalParser) sequence(closing byte, depth int) (any, error) {
	p.pos++
	items := []any{}
	for {
		p.skipSpace()
		if p.pos < len(p.src) && p.src[p.pos] == closing {
			p.pos++
			return items, nil
		}
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		items = append(items, v)
		if err := p.separator(closing); err != nil {
			return nil, err
		}
	}
}

// separator consumes a comma, or leaves a closing bracket for the caller to consume.
func (p *literalParser) separator(closing byte) error {
	p.skipSpace()
	if p.pos >= len(p.src) {
		return p.errorf("unexpected end of input, want ',' or %q", closing)
	}
	switch p.src[p.pos] {
	case ',':
		p.pos++
		return nil
	case closing:
		return nil
	}
	return p.errorf("unexpected %q, want ',' or %q", p.src[p.pos], closing)
}

func (p *literalParser) dict(depth int) (any, error) {
	p.pos++
	m := map[string]any{}
	for {
		p.skipSpace()
		if p.pos < len(p.src) && p.src[p.pos] == '}' {
			p.pos++
			return m, nil
		}
		k, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		key, ok := k.(string)
		if !ok {
			return nil, p.errorf("dict key %v is not a string", k)
		}
		p.skipSpace()
		if p.pos >= len(p.src) || p.src[p.pos] != ':' {
			return nil, p.errorf("want ':' after dict key %q", key)
		}
		p.pos++
		if m[key], err = p.value(depth + 1); err != nil {
			return nil, err
		}
		if err := p.separator('}'); err != nil {
			return nil, err
		}
	}
}

// word parses a keyword constant or a prefixed string such as u'x'.
func (p *literalParser) word() (any, error) {
	start := p.pos
	for p.pos < len(p.src) && isLetter(p.src[p.pos]) {
		p.pos++
	}
	w := p.src[start:p.pos]
	if p.pos < len(p.src) && (p.src[p.pos] == '\'' || p.src[p.pos] == '"') {
		switch strings.ToLower(w) {
		case "u", "b":
			return p.str(false)
		case "r", "ur", "br", "rb":
			return p.str(true)
		}
	}
	switch w {
	case "True", "true":
		return true, nil
	case "False", "false":
		return false, nil
	case "None", "null":
		return nil, nil
	}
	p.pos = start
	return nil, p.errorf("unknown name %q", w)
}

func (p *literalParser) number() (any, error) {
	start := p.pos
	if c := p.src[p.pos]; c == '-' || c == '+' {
		p.pos++
	}
	for p.pos < len(p.src) && strings.IndexByte("0123456789.eE+-_", p.src[p.pos]) >= 0 {
		if c := p.src[p.pos]; (c == '+' || c == '-') && !(p.src[p.pos-1] == 'e' || p.src[p.pos-1] == 'E') {
			break
		}
		p.pos++
	}
	text := strings.ReplaceAll(p.src[start:p.pos], "_", "")
	if !strings.ContainsAny(text, ".eE") {
		if v, err := strconv.ParseInt(text, 10, 64); err == nil {
			return v, nil
		}
	}
	v, err := strconv.ParseFloat(text, 64)
	if err != nil {
		p.pos = start
		return nil, p.errorf("invalid number %q", p.src[start:start+len(text)])
	}
	return v, nil
}

// str parses a quoted string whose opening quote is at p.pos. raw disables escapes.
func (p *literalParser) str(raw bool) (any, error) {
	quote := p.src[p.pos]
	start := p.pos
	p.pos++
	var b strings.Builder
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == quote:
			p.pos++
			return b.String(), nil
		case c == '\n':
			return nil, p.errorf("line break inside the string that starts at byte %d", start)
		case c == '\\' && raw:
			if p.pos+1 < len(p.src) {
				b.WriteString(p.src[p.pos : p.pos+2])
				p.pos += 2
				continue
			}
			p.pos++
		case c == '\\':
			if err := p.escape(&b); err != nil {
				return nil, err
			}
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
	return nil, p.errorf("unterminated string that starts at byte %d", start)
}

// escape decodes the escape sequence at p.pos (a backslash) into b. Unknown escapes keep the
// backslash, as Python does.
func (p *literalParser) escape(b *strings.Builder) error {
	if p.pos+1 >= len(p.src) {
		return p.errorf("backslash at the end of input")
	}
	c := p.src[p.pos+1]
	p.pos += 2
	if r, ok := simpleEscapes[c]; ok {
		b.WriteString(r)
		return nil
	}
	switch c {
	case '\n':
		return nil // line continuation
	case 'x':
		return p.hexEscape(b, 2)
	case 'u':
		return p.hexEscape(b, 4)
	case 'U':
		return p.hexEscape(b, 8)
	}
	if c >= '0' && c <= '7' {
		n := int(c - '0')
		for i := 0; i < 2 && p.pos < len(p.src) && p.src[p.pos] >= '0' && p.src[p.pos] <= '7'; i++ {
			n = n*8 + int(p.src[p.pos]-'0')
			p.pos++
		}
		b.WriteRune(rune(n))
		return nil
	}
	b.WriteByte('\\')
	b.WriteByte(c)
	return nil
}

// simpleEscapes maps the character after a backslash to its value. "\/" is JSON's escape for
// "/", accepted because the parser also reads JSON.
var simpleEscapes = map[byte]string{
	'\\': "\\", '\'': "'", '"': "\"", '/': "/", 'a': "\a", 'b': "\b", 'f': "\f",
	'n': "\n", 'r': "\r", 't': "\t", 'v': "\v",
}

func (p *literalParser) hexEscape(b *strings.Builder, digits int) error {
	if p.pos+digits > len(p.src) {
		return p.errorf("truncated \\x, \\u or \\U escape")
	}
	v, err := strconv.ParseUint(p.src[p.pos:p.pos+digits], 16, 32)
	if err != nil {
		return p.errorf("invalid hex digits %q in an escape", p.src[p.pos:p.pos+digits])
	}
	p.pos += digits
	if !utf8.ValidRune(rune(v)) {
		b.WriteRune(utf8.RuneError) // a lone surrogate or a value beyond Unicode
		return nil
	}
	b.WriteRune(rune(v))
	return nil
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' }
