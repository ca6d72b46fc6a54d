package corpus

import (
	"reflect"
	"testing"
)

func TestHandlersResolved(t *testing.T) {
	w := findWorkflow(t, "mycompany.simple.Simple", "SomeWorkflow1")
	var got []string
	for _, h := range w.Handlers {
		got = append(got, h.Kind+" "+h.Service+"."+h.Method+" "+h.Name)
	}
	want := []string{
		"query mycompany.simple.Simple.SomeQuery1 mycompany.simple.Simple.SomeQuery1",
		"query mycompany.simple.Simple.SomeQuery2 mycompany.simple.Simple.SomeQuery2",
		"signal mycompany.simple.Simple.SomeSignal1 mycompany.simple.Simple.SomeSignal1",
		"signal mycompany.simple.Simple.SomeSignal2 mycompany.simple.Simple.SomeSignal2",
		"update mycompany.simple.Simple.SomeUpdate1 mycompany.simple.Simple.SomeUpdate1",
		"update mycompany.simple.Simple.SomeUpdate2 mycompany.simple.Simple.SomeUpdate2",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("handlers of SomeWorkflow1:\n got %q\nwant %q", got, want)
	}
}

// Every handler of the corpus has its by-ID method on the Go-generated
// client of its service, under HandlerMethodName.
func TestHandlerMethodsExist(t *testing.T) {
	n := 0
	for _, w := range Workflows() {
		for _, h := range w.Handlers {
			ctor, ok := Clients[h.Service]
			if !ok {
				t.Errorf("%s: no client for %s", w.Method, h.Service)
				continue
			}
			cl := ctor(nil)
			if name := HandlerMethodName(h); !reflect.ValueOf(cl).MethodByName(name).IsValid() {
				t.Errorf("%T has no method %s (%s %s.%s)", cl, name, h.Kind, h.Service, h.Method)
			}
			n++
		}
	}
	if n == 0 {
		t.Fatal("no handler in the corpus")
	}
}
