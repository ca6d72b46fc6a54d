package corpus

import (
	"encoding/json"
	"fmt"
	"strings"

	temporalv1 "github.com/cludden/protoc-gen-go-temporal/gen/temporal/v1"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
)

// Handler kinds, as Handler.Kind spells them.
const (
	KindQuery  = "query"
	KindSignal = "signal"
	KindUpdate = "update"
)

// Handler is a query, signal or update a corpus workflow declares (one ref
// of its temporal.v1.workflow option), resolved to the method it names.
type Handler struct {
	// Kind is KindQuery, KindSignal or KindUpdate.
	Kind string `json:"kind"`
	// File is the proto path of the file declaring the handler's service.
	File string `json:"file"`
	// Service is the full name of the service declaring the handler.
	Service string `json:"service"`
	// Method is the handler's proto method name.
	Method string `json:"method"`
	// Name is the Temporal name the Go generator gives the handler: the
	// option's name, else the method's full name.
	Name string `json:"name"`
	// Input is the full name of the handler's request message.
	Input string `json:"input"`
	// Sample is the sample input (see Sample) in compacted protojson.
	Sample json.RawMessage `json:"sample"`
}

// resolveRef returns the full name of the method a workflow's handler ref
// names, as the Go generator resolves it: a ref with a dot is a full name,
// else a method of the workflow's own service.
func resolveRef(workflow protoreflect.MethodDescriptor, ref string) protoreflect.FullName {
	if strings.Contains(ref, ".") {
		return protoreflect.FullName(ref)
	}
	return workflow.Parent().FullName().Append(protoreflect.Name(ref))
}

// handlersOf lists the handlers workflow md declares: its queries, then its
// signals, then its updates, each in declaration order. A ref that does not
// resolve to a method carrying the handler option panics: the Go generator
// rejects such a proto, so it cannot be in the corpus.
func handlersOf(md protoreflect.MethodDescriptor) []Handler {
	opts, _ := proto.GetExtension(md.Options(), temporalv1.E_Workflow).(*temporalv1.WorkflowOptions)
	out := []Handler{}
	add := func(kind, ref string) {
		full := resolveRef(md, ref)
		d, err := protoregistry.GlobalFiles.FindDescriptorByName(full)
		if err != nil {
			panic(fmt.Sprintf("corpus: %s references %s %s: %v", md.FullName(), kind, full, err))
		}
		hd, ok := d.(protoreflect.MethodDescriptor)
		if !ok {
			panic(fmt.Sprintf("corpus: %s references %s %s, not a method", md.FullName(), kind, full))
		}
		name, ok := handlerName(hd, kind)
		if !ok {
			panic(fmt.Sprintf("corpus: %s references %s %s, which is not a %s", md.FullName(), kind, full, kind))
		}
		sample, err := SampleJSON(hd.Input())
		if err != nil {
			panic(fmt.Sprintf("corpus: sample of %s: %v", hd.Input().FullName(), err))
		}
		out = append(out, Handler{
			Kind:    kind,
			File:    hd.ParentFile().Path(),
			Service: string(hd.Parent().FullName()),
			Method:  string(hd.Name()),
			Name:    name,
			Input:   string(hd.Input().FullName()),
			Sample:  sample,
		})
	}
	for _, q := range opts.GetQuery() {
		add(KindQuery, q.GetRef())
	}
	for _, s := range opts.GetSignal() {
		add(KindSignal, s.GetRef())
	}
	for _, u := range opts.GetUpdate() {
		add(KindUpdate, u.GetRef())
	}
	return out
}

// handlerName returns the Temporal name of handler md of kind, and whether
// md carries that kind's option.
func handlerName(md protoreflect.MethodDescriptor, kind string) (string, bool) {
	var name string
	switch kind {
	case KindQuery:
		o, ok := proto.GetExtension(md.Options(), temporalv1.E_Query).(*temporalv1.QueryOptions)
		if !ok || o == nil {
			return "", false
		}
		name = o.GetName()
	case KindSignal:
		o, ok := proto.GetExtension(md.Options(), temporalv1.E_Signal).(*temporalv1.SignalOptions)
		if !ok || o == nil {
			return "", false
		}
		name = o.GetName()
	case KindUpdate:
		o, ok := proto.GetExtension(md.Options(), temporalv1.E_Update).(*temporalv1.UpdateOptions)
		if !ok || o == nil {
			return "", false
		}
		name = o.GetName()
	default:
		return "", false
	}
	if name == "" {
		name = string(md.FullName())
	}
	return name, true
}

// HandlerMethodName returns the name of the Go-generated client method that
// runs h on a workflow by ID: a query or signal method is named by
// protogen's Go name of the proto method as is; an update method by the
// caser of h's file (see AsyncMethodName) applied to that Go name.
func HandlerMethodName(h Handler) string {
	goName := GoCamelCase(h.Method)
	if h.Kind != KindUpdate {
		return goName
	}
	caser := acronymCaser
	if filesWithoutAcronyms[h.File] {
		caser = plainCaser
	}
	return caser.ToCamel(goName)
}
