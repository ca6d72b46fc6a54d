// Package corpus lists the workflows of the Go generator's own protos (the
// packages blank-imported by imports.go) and builds deterministic sample
// inputs for them.
package corpus

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	temporalv1 "github.com/cludden/protoc-gen-go-temporal/gen/temporal/v1"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
)

// Workflow is one method of the corpus carrying the temporal.v1.workflow
// option.
type Workflow struct {
	// File is the proto path as registered, e.g. "example/v1/example.proto".
	File string `json:"file"`
	// Service is the service's full name, e.g. "example.v1.Example".
	Service string `json:"service"`
	// Method is the proto method name, e.g. "CreateFoo".
	Method string `json:"method"`
	// Input and Output are the full names of the request and response messages.
	Input  string `json:"input"`
	Output string `json:"output"`
	// Sample is the sample input (see Sample) in compacted protojson.
	Sample json.RawMessage `json:"sample"`
	// Handlers are the queries, signals and updates the workflow declares.
	Handlers []Handler `json:"handlers"`

	// method is the descriptor of the method, for callers in this module.
	method protoreflect.MethodDescriptor
}

// MethodDescriptor returns the descriptor of the workflow's method.
func (w Workflow) MethodDescriptor() protoreflect.MethodDescriptor {
	return w.method
}

// inCorpus reports whether a registered file belongs to the corpus: every
// file with at least one service, except the Temporal and Google ones.
func inCorpus(fd protoreflect.FileDescriptor) bool {
	path := fd.Path()
	if strings.HasPrefix(path, "temporal/") || strings.HasPrefix(path, "google/") {
		return false
	}
	return fd.Services().Len() > 0
}

// IsWorkflow reports whether a method carries the temporal.v1.workflow option.
func IsWorkflow(md protoreflect.MethodDescriptor) bool {
	opts := md.Options()
	if opts == nil {
		return false
	}
	return proto.HasExtension(opts, temporalv1.E_Workflow)
}

// Workflows returns every workflow of the corpus, sorted by service full name
// then method name. It panics if a sample cannot be marshalled, which would
// be a bug of this package.
func Workflows() []Workflow {
	var out []Workflow
	protoregistry.GlobalFiles.RangeFiles(func(fd protoreflect.FileDescriptor) bool {
		if !inCorpus(fd) {
			return true
		}
		services := fd.Services()
		for i := 0; i < services.Len(); i++ {
			sd := services.Get(i)
			methods := sd.Methods()
			for j := 0; j < methods.Len(); j++ {
				md := methods.Get(j)
				if !IsWorkflow(md) {
					continue
				}
				sample, err := SampleJSON(md.Input())
				if err != nil {
					panic(fmt.Sprintf("corpus: sample of %s: %v", md.Input().FullName(), err))
				}
				out = append(out, Workflow{
					File:     fd.Path(),
					Service:  string(sd.FullName()),
					Method:   string(md.Name()),
					Input:    string(md.Input().FullName()),
					Output:   string(md.Output().FullName()),
					Sample:   sample,
					Handlers: handlersOf(md),
					method:   md,
				})
			}
		}
		return true
	})
	sort.Slice(out, func(i, j int) bool {
		if out[i].Service != out[j].Service {
			return out[i].Service < out[j].Service
		}
		return out[i].Method < out[j].Method
	})
	return out
}
