// Package gopeer holds the Go generator's output for the interop proto
// (protos/gopeer/v1/gopeer.proto) in v1 (package gopeerv1, XNS package
// v1/gopeerv1xns). The files are committed; this test regenerates them with
// the real generators and fails if they differ.
//
// To rewrite them (needs protoc on PATH or in $PROTOC), from tests/go-peer:
//
//	go test ./gen/gopeer -run TestGenerated -update
//
// What the test runs, in a temporary directory:
//
//	go build -o BIN/protoc-gen-go google.golang.org/protobuf/cmd/protoc-gen-go   # version of go.mod
//	go build -C $(go list -m -f '{{.Dir}}' github.com/cludden/protoc-gen-go-temporal) \
//	    -o BIN/protoc-gen-go_temporal ./cmd/protoc-gen-go_temporal
//	protoc -I protos -I <protoc-gen-go-temporal>/proto -I ../../proto \
//	    --plugin=BIN/protoc-gen-go --plugin=BIN/protoc-gen-go_temporal \
//	    --go_out=OUT --go_opt=paths=source_relative,M... \
//	    --go_temporal_out=OUT --go_temporal_opt=paths=source_relative,M...,<generatorOptions> \
//	    gopeer/v1/gopeer.proto
//
// protoc-gen-go-temporal's own proto directory comes first so that
// temporal/v1/temporal.proto is the Go module's (with its go_package); the
// repository's proto directory only supplies the temporal/api protos it
// imports.
package gopeer

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the committed generated files")

const (
	// goTemporalModule is the Go generator's module.
	goTemporalModule = "github.com/cludden/protoc-gen-go-temporal"
	// protoFile is the interop proto, relative to the protos directory.
	protoFile = "gopeer/v1/gopeer.proto"
	// goPackage is the Go import path and package name of the generated code.
	goPackage = "protoc-gen-rust-temporal/tests/go-peer/gen/gopeer/v1;gopeerv1"
	// temporalGoPackage is the Go package of temporal/v1/temporal.proto.
	temporalGoPackage = goTemporalModule + "/gen/temporal/v1"
)

// generatorOptions are the protoc-gen-go_temporal options of the Go module's
// own buf.gen.yaml (which generates its examples, XNS ones included), less
// docs-out, which writes markdown docs we do not keep.
var generatorOptions = []string{
	"cli-categories=true",
	"cli-enabled=true",
	"enable-codec=true",
	"enable-patch-support=true",
	"enable-xns=true",
	"ignore-acronyms=API;AWS;FOO;URN",
	"patches=64_ENABLED",
	"workflow-update-enabled=true",
}

// protocVersionLine matches the protoc version in the generators' headers,
// which depends on the local protoc, not on the generators (and which
// protoc-gen-go_temporal prints as prototext, whose spacing varies between
// builds on purpose).
var protocVersionLine = regexp.MustCompile(`(?m)^//\s+protoc\s+(v?[0-9]|major:)[^\n]*$`)

func TestGenerated(t *testing.T) {
	protoc := os.Getenv("PROTOC")
	if protoc == "" {
		var err error
		if protoc, err = exec.LookPath("protoc"); err != nil {
			t.Skip("protoc not found (set $PROTOC)")
		}
	}

	moduleRoot, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	committed := filepath.Join(moduleRoot, "gen", "gopeer", "v1")

	tmp := t.TempDir()
	bin := filepath.Join(tmp, "bin")
	out := filepath.Join(tmp, "out")
	for _, dir := range []string{bin, out} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}

	run(t, moduleRoot, "go", "build", "-o", filepath.Join(bin, "protoc-gen-go"), "google.golang.org/protobuf/cmd/protoc-gen-go")
	goTemporalDir := strings.TrimSpace(run(t, moduleRoot, "go", "list", "-m", "-f", "{{.Dir}}", goTemporalModule))
	if goTemporalDir == "" {
		t.Fatalf("%s is not in the module cache (run go mod download)", goTemporalModule)
	}
	run(t, goTemporalDir, "go", "build", "-o", filepath.Join(bin, "protoc-gen-go_temporal"), "./cmd/protoc-gen-go_temporal")

	mappings := []string{
		"M" + protoFile + "=" + goPackage,
		"Mtemporal/v1/temporal.proto=" + temporalGoPackage,
	}
	goOpts := append([]string{"paths=source_relative"}, mappings...)
	temporalOpts := append(append([]string{"paths=source_relative"}, mappings...), generatorOptions...)
	run(t, moduleRoot, protoc,
		"-I", "protos",
		"-I", filepath.Join(goTemporalDir, "proto"),
		"-I", filepath.Join(moduleRoot, "..", "..", "proto"),
		"--plugin=protoc-gen-go="+filepath.Join(bin, "protoc-gen-go"),
		"--plugin=protoc-gen-go_temporal="+filepath.Join(bin, "protoc-gen-go_temporal"),
		"--go_out="+out,
		"--go_opt="+strings.Join(goOpts, ","),
		"--go_temporal_out="+out,
		"--go_temporal_opt="+strings.Join(temporalOpts, ","),
		protoFile,
	)
	generated := filepath.Join(out, "gopeer", "v1")

	if *update {
		if err := os.RemoveAll(committed); err != nil {
			t.Fatal(err)
		}
		if err := os.CopyFS(committed, os.DirFS(generated)); err != nil {
			t.Fatal(err)
		}
		t.Logf("rewrote %s", committed)
		return
	}

	want := readTree(t, generated)
	got := readTree(t, committed)
	var diffs []string
	for _, name := range union(want, got) {
		w, inWant := want[name]
		g, inGot := got[name]
		switch {
		case !inGot:
			diffs = append(diffs, name+": missing from the committed files")
		case !inWant:
			diffs = append(diffs, name+": committed but no longer generated")
		case !bytes.Equal(normalize(w), normalize(g)):
			diffs = append(diffs, fmt.Sprintf("%s: differs (%s)", name, firstDifference(normalize(w), normalize(g))))
		}
	}
	if len(diffs) > 0 {
		t.Fatalf("committed generated code is stale; rerun with -update:\n  %s", strings.Join(diffs, "\n  "))
	}
}

// run runs a command in dir and returns its stdout, failing the test on error.
func run(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String()
}

// readTree reads every file under root, keyed by slash-separated path.
func readTree(t *testing.T, root string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(path)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func union(a, b map[string][]byte) []string {
	seen := map[string]bool{}
	for k := range a {
		seen[k] = true
	}
	for k := range b {
		seen[k] = true
	}
	names := make([]string, 0, len(seen))
	for k := range seen {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

func normalize(b []byte) []byte {
	return protocVersionLine.ReplaceAll(b, []byte("// protoc VERSION"))
}

// firstDifference describes the first line where want and got differ.
func firstDifference(want, got []byte) string {
	w := strings.Split(string(want), "\n")
	g := strings.Split(string(got), "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d: generated %q, committed %q", i+1, wl, gl)
		}
	}
	return "no line differs"
}
