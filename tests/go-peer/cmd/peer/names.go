package main

import (
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// goGeneratorModule is the Go generator's module, whose committed output
// (gen/) runNames reads.
const goGeneratorModule = "github.com/cludden/protoc-gen-go-temporal"

// temporalName is a Temporal name the Go generator's committed output
// declares: a name constant (<X>WorkflowName, <X>ActivityName, ...), or an
// alias, an extra name a workflow or activity is registered under with a
// string literal.
type temporalName struct {
	// File is the proto file, relative to its proto root
	// (test/simple/v1/simple.proto).
	File  string `json:"file"`
	Kind  string `json:"kind"`
	Name  string `json:"name"`
	Alias bool   `json:"alias"`
}

// nameSuffixes maps the suffix of a name constant to its kind.
var nameSuffixes = map[string]string{
	"WorkflowName": "workflow",
	"ActivityName": "activity",
	"QueryName":    "query",
	"SignalName":   "signal",
	"UpdateName":   "update",
}

// registerKinds maps a registry method taking register options to the kind
// it registers.
var registerKinds = map[string]string{
	"RegisterWorkflowWithOptions": "workflow",
	"RegisterActivityWithOptions": "activity",
}

// runNames prints the Temporal names of the Go generator's committed output
// as one sorted JSON array, one compact object per line.
func runNames(args []string) error {
	flags := flag.NewFlagSet("names", flag.ContinueOnError)
	moduleDir := flags.String("module-dir", "", "the Go generator's module directory (default: the one this binary was built with, in the module cache)")
	peerDir := flags.String("peer-dir", "", "also the Go peer's own output: DIR/gen, generated from the protos under DIR/protos")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %q", flags.Args())
	}
	dir := *moduleDir
	if dir == "" {
		var err error
		if dir, err = goGeneratorDir(); err != nil {
			return err
		}
	}
	names, err := moduleNames(dir)
	if err != nil {
		return err
	}
	if *peerDir != "" {
		protos, err := protosUnder(filepath.Join(*peerDir, "protos"))
		if err != nil {
			return err
		}
		ours, err := genNames(filepath.Join(*peerDir, "gen"), protos)
		if err != nil {
			return err
		}
		names = append(names, ours...)
		sortNames(names)
	}
	return writeJSONArray(os.Stdout, names)
}

// goGeneratorDir is the module cache directory of the Go generator's module
// at the version this binary was built with.
func goGeneratorDir() (string, error) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "", fmt.Errorf("no build info: pass --module-dir")
	}
	var version string
	for _, dep := range info.Deps {
		if dep.Path != goGeneratorModule {
			continue
		}
		version = dep.Version
		if dep.Replace != nil {
			if dep.Replace.Version == "" {
				// A directory replacement.
				return dep.Replace.Path, nil
			}
			version = dep.Replace.Version
		}
	}
	if version == "" {
		return "", fmt.Errorf("%s is not a dependency of this binary: pass --module-dir", goGeneratorModule)
	}
	cache, err := moduleCache()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(cache, filepath.FromSlash(escapeModulePath(goGeneratorModule))+"@"+version)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return "", fmt.Errorf("%s@%s is not in the module cache (%s): run scripts/setup.sh", goGeneratorModule, version, dir)
	}
	return dir, nil
}

// moduleCache is $GOMODCACHE, else what `go env GOMODCACHE` says, else
// $GOPATH/pkg/mod (GOPATH defaulting to ~/go).
func moduleCache() (string, error) {
	if c := os.Getenv("GOMODCACHE"); c != "" {
		return c, nil
	}
	if out, err := exec.Command("go", "env", "GOMODCACHE").Output(); err == nil {
		if c := strings.TrimSpace(string(out)); c != "" {
			return c, nil
		}
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("no GOMODCACHE, GOPATH or home directory: %w", err)
		}
		gopath = filepath.Join(home, "go")
	}
	return filepath.Join(filepath.SplitList(gopath)[0], "pkg", "mod"), nil
}

// escapeModulePath escapes a module path for the module cache: each upper
// case letter becomes '!' and its lower case.
func escapeModulePath(path string) string {
	var b strings.Builder
	for _, r := range path {
		if unicode.IsUpper(r) {
			b.WriteByte('!')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// moduleNames reads the names of every *_temporal.pb.go under dir/gen,
// except the subpackages of a proto's output (the xns packages, which
// repeat its names, and the nexus handler package), sorted.
func moduleNames(dir string) ([]temporalName, error) {
	protos, err := moduleProtos(dir)
	if err != nil {
		return nil, err
	}
	return genNames(filepath.Join(dir, "gen"), protos)
}

// genNames reads the names of every *_temporal.pb.go under gen, whose protos
// must be in protos (paths relative to their proto root).
func genNames(gen string, protos map[string]bool) ([]temporalName, error) {
	var files []string
	err := filepath.WalkDir(gen, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, "_temporal.pb.go") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	seen := map[temporalName]bool{}
	var names []temporalName
	for _, path := range files {
		rel, err := filepath.Rel(gen, path)
		if err != nil {
			return nil, err
		}
		rel = filepath.ToSlash(rel)
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		source, err := sourceProto(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", rel, err)
		}
		file := strings.TrimSuffix(rel, "_temporal.pb.go") + ".proto"
		if file != source {
			// The Go package of a proto is the directory of its primary
			// output; other packages generated from it live below.
			if !strings.HasPrefix(rel, pathDir(source)+"/") {
				return nil, fmt.Errorf("%s: generated from %s, neither its primary output nor in a subpackage of it", rel, source)
			}
			continue
		}
		if !protos[file] {
			return nil, fmt.Errorf("%s: its proto %s is not among the protos it was generated from", rel, file)
		}
		found, err := fileNames(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", rel, err)
		}
		for _, n := range found {
			n.File = file
			if !seen[n] {
				seen[n] = true
				names = append(names, n)
			}
		}
	}
	sortNames(names)
	return names, nil
}

// sortNames sorts by file, kind, name, primary names before aliases.
func sortNames(names []temporalName) {
	sort.Slice(names, func(i, j int) bool {
		a, b := names[i], names[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return !a.Alias && b.Alias
	})
}

func pathDir(p string) string {
	if i := strings.LastIndex(p, "/"); i >= 0 {
		return p[:i]
	}
	return "."
}

// moduleProtos is the set of protos of the module's proto roots
// (examples/*/proto, test/*/proto), relative to their root.
func moduleProtos(dir string) (map[string]bool, error) {
	protos := map[string]bool{}
	for _, group := range []string{"examples", "test"} {
		roots, err := filepath.Glob(filepath.Join(dir, group, "*", "proto"))
		if err != nil {
			return nil, err
		}
		for _, root := range roots {
			found, err := protosUnder(root)
			if err != nil {
				return nil, err
			}
			for p := range found {
				protos[p] = true
			}
		}
	}
	if len(protos) == 0 {
		return nil, fmt.Errorf("%s has no protos under examples/*/proto or test/*/proto", dir)
	}
	return protos, nil
}

// protosUnder is the set of protos under root, relative to it.
func protosUnder(root string) (map[string]bool, error) {
	protos := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".proto") {
			rel, err := filepath.Rel(root, path)
			if err != nil {
				return err
			}
			protos[filepath.ToSlash(rel)] = true
		}
		return nil
	})
	return protos, err
}

// sourceProto is the proto a generated file says it was generated from
// (its header's `// source: <file>` line).
func sourceProto(f *ast.File) (string, error) {
	for _, group := range f.Comments {
		if group.Pos() > f.Package {
			break
		}
		for _, c := range group.List {
			if s, ok := strings.CutPrefix(c.Text, "// source: "); ok {
				return strings.TrimSpace(s), nil
			}
		}
	}
	return "", fmt.Errorf("no `// source:` line before the package clause")
}

// fileNames reads the name constants of one generated file and the string
// literals it registers workflows and activities under (the aliases). The
// File of each is left empty.
func fileNames(f *ast.File) ([]temporalName, error) {
	var names []temporalName
	consts := map[string]string{} // constant -> kind
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, ident := range vs.Names {
				kind := constKind(ident.Name)
				if kind == "" {
					continue
				}
				if i >= len(vs.Values) {
					return nil, fmt.Errorf("constant %s has no value of its own", ident.Name)
				}
				value, err := stringLit(vs.Values[i])
				if err != nil {
					return nil, fmt.Errorf("constant %s: %w", ident.Name, err)
				}
				consts[ident.Name] = kind
				names = append(names, temporalName{Kind: kind, Name: value})
			}
		}
	}
	var err error
	ast.Inspect(f, func(n ast.Node) bool {
		if err != nil {
			return false
		}
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		kind, ok := registerKinds[sel.Sel.Name]
		if !ok {
			return true
		}
		if len(call.Args) != 2 {
			err = fmt.Errorf("%s with %d arguments", sel.Sel.Name, len(call.Args))
			return false
		}
		opts, ok := call.Args[1].(*ast.CompositeLit)
		if !ok {
			err = fmt.Errorf("%s without a register options literal", sel.Sel.Name)
			return false
		}
		for _, elt := range opts.Elts {
			kv, ok := elt.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			if key, ok := kv.Key.(*ast.Ident); !ok || key.Name != "Name" {
				continue
			}
			switch v := kv.Value.(type) {
			case *ast.BasicLit:
				name, e := stringLit(v)
				if e != nil {
					err = fmt.Errorf("%s: %w", sel.Sel.Name, e)
					return false
				}
				names = append(names, temporalName{Kind: kind, Name: name, Alias: true})
			case *ast.Ident:
				if consts[v.Name] != kind {
					err = fmt.Errorf("%s under %s, not a %s name constant of this file", sel.Sel.Name, v.Name, kind)
					return false
				}
			default:
				err = fmt.Errorf("%s under an expression that is neither a name constant nor a string", sel.Sel.Name)
				return false
			}
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	return names, nil
}

// constKind is the kind of a name constant (FooWorkflowName: workflow), or
// "" if ident is not one.
func constKind(ident string) string {
	for suffix, kind := range nameSuffixes {
		if len(ident) > len(suffix) && strings.HasSuffix(ident, suffix) {
			return kind
		}
	}
	return ""
}

func stringLit(e ast.Expr) (string, error) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", fmt.Errorf("not a string literal")
	}
	return strconv.Unquote(lit.Value)
}
