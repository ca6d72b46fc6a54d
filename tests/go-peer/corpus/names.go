package corpus

import (
	"github.com/cludden/protoc-gen-go-temporal/pkg/strcase"
)

// The Go generator names a workflow's client method
// caser.ToCamel(GoName + "Async"), where GoName is protogen's Go name of the
// proto method and caser is its strcase.Caser configured with the
// ignore-acronyms plugin option. The committed output was generated with
// ignore-acronyms=API;AWS;FOO;URN (buf.gen.yaml, buf.patch.gen.yaml) except
// for the files generated with buf.cliv3.gen.yaml and buf.nexus.gen.yaml,
// which set no acronyms.
var (
	acronymCaser = strcase.NewCaser(strcase.WithAcronyms("API", "AWS", "FOO", "URN"))
	plainCaser   = strcase.NewCaser()

	// filesWithoutAcronyms are the corpus files generated without
	// ignore-acronyms.
	filesWithoutAcronyms = map[string]bool{
		"example/v1/example.proto":     true, // buf.cliv3.gen.yaml
		"test/cliv3/cliv3.proto":       true, // buf.cliv3.gen.yaml
		"example/nexus/v1/nexus.proto": true, // buf.nexus.gen.yaml
	}
)

// AsyncMethodName returns the name of the Go-generated client method that
// starts w without waiting for it: <Workflow>Async.
func AsyncMethodName(w Workflow) string {
	caser := acronymCaser
	if filesWithoutAcronyms[w.File] {
		caser = plainCaser
	}
	return caser.ToCamel(GoCamelCase(w.Method) + "Async")
}

// GoCamelCase converts a proto name to the Go identifier protoc-gen-go (and
// protogen's GoName) uses: an underscore or dot followed by a lower case
// letter is dropped and the letter upper-cased, a leading underscore becomes
// "X", other dots become underscores, and each run of lower case letters
// starts with an upper case one.
func GoCamelCase(s string) string {
	isLower := func(c byte) bool { return 'a' <= c && c <= 'z' }
	isDigit := func(c byte) bool { return '0' <= c && c <= '9' }
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		nextLower := i+1 < len(s) && isLower(s[i+1])
		switch {
		case c == '.' && nextLower:
			// dropped: the next letter is upper-cased below
		case c == '.':
			out = append(out, '_')
		case c == '_' && (i == 0 || s[i-1] == '.'):
			out = append(out, 'X')
		case c == '_' && nextLower:
			// dropped: the next letter is upper-cased below
		case isDigit(c):
			out = append(out, c)
		default:
			if isLower(c) {
				c -= 'a' - 'A'
			}
			out = append(out, c)
			for i+1 < len(s) && isLower(s[i+1]) {
				i++
				out = append(out, s[i])
			}
		}
	}
	return string(out)
}
