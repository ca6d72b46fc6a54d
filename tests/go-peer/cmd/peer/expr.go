package main

// peer expr: evaluates ID expressions with the Go generator's expression
// package (pkg/expression of protoc-gen-go-temporal v1.24.0), the oracle of
// our compiled ID expressions.
//
// Protocol: one JSON object per stdin line,
//
//	{"template": "...", "descriptor_set": "/abs/path.binpb",
//	 "message": "pkg.Message", "input": {protojson}}
//
// and one JSON object per line on stdout, in the same order:
//
//	{"id": "..."}                         the expression evaluated
//	{"error": "...", "stage": "input"}    the line, the descriptor set, the
//	                                      message name or the protojson input
//	                                      is bad
//	{"error": "...", "stage": "parse"}    expression.ParseExpression failed
//	{"error": "...", "stage": "eval"}     expression.EvalExpression failed
//	{"error": "...", "stage": "panic"}    something panicked on this line
//
// Blank lines are skipped. A bad line never stops the run.
//
// With -descriptor-set-out FILE, it writes instead the FileDescriptorSet of
// the Go generator's protos compiled into this binary (every registered
// proto2/proto3 file declaring a service, with its imports, dependencies
// first) and exits:
// the Rust side uses it to know the input message of every ID expression of
// those protos.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/cludden/protoc-gen-go-temporal/pkg/expression"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"

	// The Go generator's generated packages: their init functions register
	// the descriptors -descriptor-set-out writes.
	_ "protoc-gen-rust-temporal/tests/go-peer/corpus"
)

type exprRequest struct {
	Template      string          `json:"template"`
	DescriptorSet string          `json:"descriptor_set"`
	Message       string          `json:"message"`
	Input         json.RawMessage `json:"input"`
}

type exprResponse struct {
	ID    *string `json:"id,omitempty"`
	Error string  `json:"error,omitempty"`
	Stage string  `json:"stage,omitempty"`
}

// stageError is an error of one stage of a line.
type stageError struct {
	stage string
	err   error
}

func (e *stageError) Error() string { return e.err.Error() }

func failAt(stage string, err error) error { return &stageError{stage, err} }

func runExpr(args []string) error {
	flags := flag.NewFlagSet("expr", flag.ContinueOnError)
	out := flags.String("descriptor-set-out", "", "write the FileDescriptorSet of the Go generator's compiled protos to this file and exit")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", flags.Args())
	}
	if *out != "" {
		return writeCorpusDescriptorSet(*out)
	}
	return serveExpr(os.Stdin, os.Stdout)
}

// serveExpr answers every request line of r on w.
func serveExpr(r io.Reader, w io.Writer) error {
	ev := &evaluator{types: map[string]*messageTypes{}}
	in := bufio.NewReader(r)
	out := bufio.NewWriter(w)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for {
		line, readErr := in.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			if err := enc.Encode(ev.answer(line)); err != nil {
				return err
			}
		}
		if readErr == io.EOF {
			break
		}
		if readErr != nil {
			return readErr
		}
	}
	return out.Flush()
}

// evaluator holds the message types of every descriptor set seen.
type evaluator struct {
	types map[string]*messageTypes
}

// messageTypes is one descriptor set: its files and the dynamic message
// types built so far.
type messageTypes struct {
	files *protoregistry.Files
	err   error
	types map[string]protoreflect.MessageType
}

// answer handles one line, turning every failure (and panic) into the
// response of its stage.
func (ev *evaluator) answer(line []byte) (resp exprResponse) {
	defer func() {
		if p := recover(); p != nil {
			resp = exprResponse{Error: fmt.Sprintf("panic: %v", p), Stage: "panic"}
		}
	}()
	id, err := ev.eval(line)
	if err != nil {
		var se *stageError
		if !errors.As(err, &se) {
			se = &stageError{"panic", err}
		}
		return exprResponse{Error: se.Error(), Stage: se.stage}
	}
	return exprResponse{ID: &id}
}

func (ev *evaluator) eval(line []byte) (string, error) {
	var req exprRequest
	if err := json.Unmarshal(line, &req); err != nil {
		return "", failAt("input", fmt.Errorf("request line: %w", err))
	}
	mt, err := ev.messageType(req.DescriptorSet, req.Message)
	if err != nil {
		return "", failAt("input", err)
	}
	msg := mt.New()
	input := req.Input
	if len(input) == 0 {
		input = json.RawMessage("{}")
	}
	if err := (protojson.UnmarshalOptions{}).Unmarshal(input, msg.Interface()); err != nil {
		return "", failAt("input", fmt.Errorf("protojson input of %s: %w", req.Message, err))
	}
	expr, err := expression.ParseExpression(req.Template)
	if err != nil {
		return "", failAt("parse", err)
	}
	id, err := expression.EvalExpression(expr, msg)
	if err != nil {
		return "", failAt("eval", err)
	}
	return id, nil
}

// messageType returns the dynamic type of message name in the descriptor set
// at path, reading and caching the set on first use.
func (ev *evaluator) messageType(path, name string) (protoreflect.MessageType, error) {
	if path == "" {
		return nil, errors.New("no descriptor_set")
	}
	set, ok := ev.types[path]
	if !ok {
		set = &messageTypes{types: map[string]protoreflect.MessageType{}}
		set.files, set.err = readDescriptorSet(path)
		ev.types[path] = set
	}
	if set.err != nil {
		return nil, set.err
	}
	if mt, ok := set.types[name]; ok {
		return mt, nil
	}
	d, err := set.files.FindDescriptorByName(protoreflect.FullName(name))
	if err != nil {
		return nil, fmt.Errorf("message %q in %s: %w", name, path, err)
	}
	md, ok := d.(protoreflect.MessageDescriptor)
	if !ok {
		return nil, fmt.Errorf("%q in %s is not a message", name, path)
	}
	mt := dynamicpb.NewMessageType(md)
	set.types[name] = mt
	return mt, nil
}

func readDescriptorSet(path string) (*protoregistry.Files, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var set descriptorpb.FileDescriptorSet
	if err := proto.Unmarshal(data, &set); err != nil {
		return nil, fmt.Errorf("descriptor set %s: %w", path, err)
	}
	files, err := protodesc.NewFiles(&set)
	if err != nil {
		return nil, fmt.Errorf("descriptor set %s: %w", path, err)
	}
	return files, nil
}

// writeCorpusDescriptorSet writes every registered proto2/proto3 file that
// declares a service, with its transitive imports, each after its imports.
func writeCorpusDescriptorSet(path string) error {
	var roots []protoreflect.FileDescriptor
	protoregistry.GlobalFiles.RangeFiles(func(fd protoreflect.FileDescriptor) bool {
		// Edition files are left out: the Rust side's prost-reflect 0.16
		// reads proto2 and proto3 only (none of the Go generator's edition
		// protos has an ID expression).
		if fd.Services().Len() > 0 && fd.Syntax() != protoreflect.Editions {
			roots = append(roots, fd)
		}
		return true
	})
	sort.Slice(roots, func(i, j int) bool { return roots[i].Path() < roots[j].Path() })

	var set descriptorpb.FileDescriptorSet
	seen := map[string]bool{}
	var visit func(fd protoreflect.FileDescriptor)
	visit = func(fd protoreflect.FileDescriptor) {
		if seen[fd.Path()] || fd.IsPlaceholder() {
			return
		}
		seen[fd.Path()] = true
		imports := fd.Imports()
		for i := 0; i < imports.Len(); i++ {
			visit(imports.Get(i).FileDescriptor)
		}
		file := protodesc.ToFileDescriptorProto(fd)
		// Comments are not needed, and their spans need not match the
		// text of the file as compiled.
		file.SourceCodeInfo = nil
		set.File = append(set.File, file)
	}
	for _, fd := range roots {
		visit(fd)
	}
	data, err := proto.Marshal(&set)
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}
