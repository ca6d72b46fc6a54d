package corpus

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
)

func findWorkflow(t *testing.T, service, method string) Workflow {
	t.Helper()
	for _, w := range Workflows() {
		if w.Service == service && w.Method == method {
			return w
		}
	}
	t.Fatalf("workflow %s.%s not in the corpus", service, method)
	return Workflow{}
}

func TestWorkflowsSortedAndDeterministic(t *testing.T) {
	first, second := Workflows(), Workflows()
	if len(first) == 0 {
		t.Fatal("empty corpus")
	}
	a, err := json.Marshal(first)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(second)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("two calls of Workflows() give different JSON")
	}
	for i := 1; i < len(first); i++ {
		p, q := first[i-1], first[i]
		if p.Service > q.Service || (p.Service == q.Service && p.Method >= q.Method) {
			t.Errorf("not sorted: %s.%s before %s.%s", p.Service, p.Method, q.Service, q.Method)
		}
	}
	w := findWorkflow(t, "example.v1.Example", "CreateFoo")
	if w.File != "example/v1/example.proto" || w.Input != "example.v1.CreateFooRequest" || w.Output != "example.v1.CreateFooResponse" {
		t.Errorf("unexpected example.v1.Example.CreateFoo: %+v", w)
	}
}

func TestSamplesDeterministic(t *testing.T) {
	for _, w := range Workflows() {
		md := w.MethodDescriptor().Input()
		a, err := SampleJSON(md)
		if err != nil {
			t.Fatalf("%s: %v", md.FullName(), err)
		}
		b, err := SampleJSON(md)
		if err != nil {
			t.Fatalf("%s: %v", md.FullName(), err)
		}
		if !bytes.Equal(a, b) || !bytes.Equal(a, w.Sample) {
			t.Errorf("%s: samples differ: %s / %s / %s", md.FullName(), a, b, w.Sample)
		}
	}
}

func TestSamplesRoundTrip(t *testing.T) {
	for _, w := range Workflows() {
		md := w.MethodDescriptor().Input()
		got := NewMessage(md)
		if err := protojson.Unmarshal(w.Sample, got); err != nil {
			t.Errorf("%s: unmarshal %s: %v", md.FullName(), w.Sample, err)
			continue
		}
		if want := Sample(md); !proto.Equal(got, want) {
			t.Errorf("%s: round trip of %s gives %v, want %v", md.FullName(), w.Sample, got, want)
		}
		again, err := MarshalCompact(got)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again, w.Sample) {
			t.Errorf("%s: re-marshalled %s, want %s", md.FullName(), again, w.Sample)
		}
	}
}

func sampleOf(t *testing.T, name protoreflect.FullName) string {
	t.Helper()
	d, err := protoregistry.GlobalFiles.FindDescriptorByName(name)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := SampleJSON(d.(protoreflect.MessageDescriptor))
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

func TestSampleSpotChecks(t *testing.T) {
	for name, want := range map[protoreflect.FullName]string{
		"example.v1.CreateFooRequest":                   `{"name":"name-1"}`,
		"example.updatabletimer.v1.UpdatableTimerInput": `{"initialWakeUpTime":"2024-01-02T03:04:05Z","name":"name-2"}`,
		"example.shoppingcart.v1.ShoppingCartInput":     `{"cart":{"items":{"key-1":12}}}`,
		"google.protobuf.Struct":                        `{"key":"value"}`,
		"google.protobuf.FieldMask":                     `"a.b"`,
		"google.protobuf.Duration":                      `"5s"`,
		"google.protobuf.Empty":                         `{}`,
		"google.protobuf.Any":                           `{}`,
		"google.protobuf.Int64Value":                    `"11"`,
		"google.protobuf.StringValue":                   `"value-1"`,
	} {
		got := sampleOf(t, name)
		if want != "" && got != want {
			t.Errorf("sample of %s = %s, want %s", name, got, want)
		}
	}
}

func TestClientsCoverWorkflows(t *testing.T) {
	services := map[string]bool{}
	for _, w := range Workflows() {
		services[w.Service] = true
		ctor, ok := Clients[w.Service]
		if !ok {
			t.Errorf("Clients has no entry for %s", w.Service)
			continue
		}
		c := ctor(nil)
		name := AsyncMethodName(w)
		if _, ok := reflect.TypeOf(c).MethodByName(name); !ok {
			t.Errorf("%s client (%T) has no method %s for workflow %s", w.Service, c, name, w.Method)
		}
	}
	for service := range Clients {
		if !services[service] {
			t.Errorf("Clients has an entry for %s, which has no workflow", service)
		}
	}
}

func TestGoCamelCase(t *testing.T) {
	for in, want := range map[string]string{
		"CreateFoo":      "CreateFoo",
		"create_foo":     "CreateFoo",
		"ManageAWS":      "ManageAWS",
		"_foo":           "XFoo",
		"foo_1bar":       "Foo_1Bar",
		"SomethingV1Foo": "SomethingV1Foo",
		"a.b_c":          "ABC",
	} {
		if got := GoCamelCase(in); got != want {
			t.Errorf("GoCamelCase(%q) = %q, want %q", in, got, want)
		}
	}
}
