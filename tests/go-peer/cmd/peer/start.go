package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"reflect"
	"strings"
	"time"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"protoc-gen-rust-temporal/tests/go-peer/corpus"
)

// startTimeout bounds each <Workflow>Async call.
const startTimeout = 10 * time.Second

// startResult is one line of `peer start`'s output.
type startResult struct {
	Service    string `json:"service"`
	Method     string `json:"method"`
	WorkflowID string `json:"workflow_id,omitempty"`
	RunID      string `json:"run_id,omitempty"`
	Error      string `json:"error,omitempty"`
}

// runStart starts every corpus workflow (or those named by --only) with the
// Go-generated clients and prints one JSON line per workflow.
func runStart(args []string) error {
	fs := flag.NewFlagSet("start", flag.ContinueOnError)
	address := fs.String("address", "", "Temporal frontend HOST:PORT")
	namespace := fs.String("namespace", "default", "Temporal namespace")
	only := fs.String("only", "", "comma-separated SERVICE.METHOD list (service full name); default: every corpus workflow")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *address == "" {
		return errors.New("--address is required")
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %q", fs.Args())
	}

	c, err := client.Dial(client.Options{
		HostPort:  *address,
		Namespace: *namespace,
		// The SDK's default logger writes to stdout, which carries our JSON.
		Logger: sdklog.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))),
	})
	if err != nil {
		return fmt.Errorf("dialing %s: %w", *address, err)
	}
	defer c.Close()

	out := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(out)
	emit := func(r startResult) error {
		if err := enc.Encode(r); err != nil {
			return err
		}
		return out.Flush()
	}

	// targets are the workflows to start; an empty Workflow.Input marks a name
	// of --only that is not in the corpus.
	workflows := corpus.Workflows()
	targets := workflows
	if *only != "" {
		byName := map[string]corpus.Workflow{}
		for _, w := range workflows {
			byName[w.Service+"."+w.Method] = w
		}
		targets = nil
		for _, name := range strings.Split(*only, ",") {
			name = strings.TrimSpace(name)
			if name == "" {
				continue
			}
			w, ok := byName[name]
			if !ok {
				w = corpus.Workflow{Service: name}
				if i := strings.LastIndex(name, "."); i >= 0 {
					w.Service, w.Method = name[:i], name[i+1:]
				}
			}
			targets = append(targets, w)
		}
	}
	for _, w := range targets {
		r := startResult{Service: w.Service, Method: w.Method, Error: "not a workflow of the corpus"}
		if w.Input != "" {
			r = startOne(c, w)
		}
		if err := emit(r); err != nil {
			return err
		}
	}
	return nil
}

// startOne calls the Go-generated <Workflow>Async method of w's service
// client with w's sample input and no options.
func startOne(c client.Client, w corpus.Workflow) (res startResult) {
	res = startResult{Service: w.Service, Method: w.Method}
	defer func() {
		if r := recover(); r != nil {
			res.WorkflowID, res.RunID = "", ""
			res.Error = fmt.Sprintf("panic: %v", r)
		}
	}()
	id, runID, err := callAsync(c, w)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	res.WorkflowID, res.RunID = id, runID
	return res
}

var (
	contextType = reflect.TypeOf((*context.Context)(nil)).Elem()
	messageType = reflect.TypeOf((*proto.Message)(nil)).Elem()
	errorType   = reflect.TypeOf((*error)(nil)).Elem()
)

func callAsync(c client.Client, w corpus.Workflow) (string, string, error) {
	ctor, ok := corpus.Clients[w.Service]
	if !ok {
		return "", "", fmt.Errorf("no Go client for service %s", w.Service)
	}
	cl := ctor(c)
	name := corpus.AsyncMethodName(w)
	m := reflect.ValueOf(cl).MethodByName(name)
	if !m.IsValid() {
		return "", "", fmt.Errorf("%T has no method %s", cl, name)
	}
	t := m.Type()
	if t.NumIn() < 1 || t.In(0) != contextType || t.NumOut() != 2 || t.Out(1) != errorType {
		return "", "", fmt.Errorf("%T.%s has an unexpected signature %s", cl, name, t)
	}

	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	args := []reflect.Value{reflect.ValueOf(ctx)}
	// The generator drops the request parameter of workflows whose input
	// is google.protobuf.Empty; otherwise it comes right after ctx.
	if t.NumIn() >= 2 && !(t.IsVariadic() && t.NumIn() == 2) {
		reqType := t.In(1)
		if !reqType.Implements(messageType) || reqType.Kind() != reflect.Pointer {
			return "", "", fmt.Errorf("%T.%s: request parameter %s is not a proto message", cl, name, reqType)
		}
		req := reflect.New(reqType.Elem()).Interface().(proto.Message)
		if err := protojson.Unmarshal(w.Sample, req); err != nil {
			return "", "", fmt.Errorf("unmarshalling sample into %s: %w", reqType, err)
		}
		args = append(args, reflect.ValueOf(req))
	}
	if want := len(args); t.NumIn() != want && !(t.IsVariadic() && t.NumIn() == want+1) {
		return "", "", fmt.Errorf("%T.%s has an unexpected signature %s", cl, name, t)
	}

	out := m.Call(args)
	if err, _ := out[1].Interface().(error); err != nil {
		return "", "", err
	}
	run, ok := out[0].Interface().(interface {
		ID() string
		RunID() string
	})
	if !ok || run == nil {
		return "", "", fmt.Errorf("%T.%s returned %v, not a workflow run", cl, name, out[0])
	}
	return run.ID(), run.RunID(), nil
}
