package interop

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	gopeerv1 "protoc-gen-rust-temporal/tests/go-peer/gen/gopeer/v1"
)

// The client scenarios' inputs.
const (
	ScenarioStart     int64 = 10
	ScenarioAdd       int64 = 5
	ScenarioBump      int64 = 7
	ScenarioBadBump   int64 = -1
	ScenarioErrorType       = "PeerError"
	ScenarioMessage         = "boom"
	// ScenarioEchoes calls of Echo, ScenarioEchoLanes at a time.
	ScenarioEchoes    int32 = 4
	ScenarioEchoLanes int32 = 2
	// ScenarioStampSeconds and ScenarioStampNanos make Stamp's timestamp.
	ScenarioStampSeconds int64 = 1_700_000_000
	ScenarioStampNanos   int32 = 5_000_000
)

// scenario runs one client scenario and returns its JSON report.
type scenario func(ctx context.Context, c client.Client, name string) (any, error)

var scenarios = map[string]scenario{
	"count":             countScenario,
	"signal-with-start": signalWithStartScenario,
	"update-with-start": updateWithStartScenario,
	"fail":              failScenario,
	"call-count":        callCountScenario,
	"call-fail":         callFailScenario,
	"call-echoes":       callEchoesScenario,
	"stamp":             stampScenario,
}

// Scenarios lists the client scenarios' names.
func Scenarios() []string {
	names := make([]string, 0, len(scenarios))
	for name := range scenarios {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// RunScenario runs a client scenario with the Go-generated clients and
// returns its report, one JSON object (messages in protojson). c is a client
// of Counter's namespace, or of Caller's for the call-* scenarios.
func RunScenario(ctx context.Context, c client.Client, name, counterName string) (json.RawMessage, error) {
	run, ok := scenarios[name]
	if !ok {
		return nil, fmt.Errorf("unknown scenario %q (known: %v)", name, Scenarios())
	}
	report, err := run(ctx, c, counterName)
	if err != nil {
		return nil, fmt.Errorf("scenario %s: %w", name, err)
	}
	// Marshalling compacts the protojson, whose spacing varies on purpose.
	return json.Marshal(report)
}

// pj is a message in protojson.
func pj(m proto.Message) json.RawMessage {
	data, err := protojson.Marshal(m)
	if err != nil {
		// Only invalid UTF-8 or unknown Any types fail; our messages have neither.
		panic(fmt.Sprintf("protojson of %T: %v", m, err))
	}
	return data
}

// CountReport is the report of the count scenario.
type CountReport struct {
	WorkflowID string          `json:"workflow_id"`
	Total      json.RawMessage `json:"total"`
	Bumped     json.RawMessage `json:"bumped"`
	Rejected   string          `json:"rejected"`
	Result     json.RawMessage `json:"result"`
}

// countScenario: CountAsync{name, start 10}, Add(5), Total, Bump(7),
// Bump(-1) (rejected), Finish, Get.
func countScenario(ctx context.Context, c client.Client, name string) (any, error) {
	counter := gopeerv1.NewCounterClient(c)
	run, err := counter.CountAsync(ctx, &gopeerv1.CountInput{Name: name, Start: ScenarioStart})
	if err != nil {
		return nil, fmt.Errorf("starting Count: %w", err)
	}
	if err := run.Add(ctx, &gopeerv1.AddInput{Amount: ScenarioAdd}); err != nil {
		return nil, fmt.Errorf("signalling Add(%d): %w", ScenarioAdd, err)
	}
	total, err := run.Total(ctx)
	if err != nil {
		return nil, fmt.Errorf("querying Total: %w", err)
	}
	bumped, err := run.Bump(ctx, &gopeerv1.AddInput{Amount: ScenarioBump})
	if err != nil {
		return nil, fmt.Errorf("updating Bump(%d): %w", ScenarioBump, err)
	}
	_, err = run.Bump(ctx, &gopeerv1.AddInput{Amount: ScenarioBadBump})
	if err == nil {
		return nil, fmt.Errorf("Bump(%d) was not rejected", ScenarioBadBump)
	}
	rejected := errorMessage(err)
	if err := run.Finish(ctx); err != nil {
		return nil, fmt.Errorf("signalling Finish: %w", err)
	}
	result, err := run.Get(ctx)
	if err != nil {
		return nil, fmt.Errorf("getting the result: %w", err)
	}
	return CountReport{
		WorkflowID: run.ID(),
		Total:      pj(total),
		Bumped:     pj(bumped),
		Rejected:   rejected,
		Result:     pj(result),
	}, nil
}

// SignalWithStartReport is the report of the signal-with-start scenario.
type SignalWithStartReport struct {
	WorkflowID string          `json:"workflow_id"`
	Result     json.RawMessage `json:"result"`
}

// signalWithStartScenario: Count{name, start 10} with Add(5), Finish, Get.
func signalWithStartScenario(ctx context.Context, c client.Client, name string) (any, error) {
	counter := gopeerv1.NewCounterClient(c)
	run, err := counter.CountWithAddAsync(ctx, &gopeerv1.CountInput{Name: name, Start: ScenarioStart}, &gopeerv1.AddInput{Amount: ScenarioAdd})
	if err != nil {
		return nil, fmt.Errorf("signal-with-start of Count with Add(%d): %w", ScenarioAdd, err)
	}
	if err := run.Finish(ctx); err != nil {
		return nil, fmt.Errorf("signalling Finish: %w", err)
	}
	result, err := run.Get(ctx)
	if err != nil {
		return nil, fmt.Errorf("getting the result: %w", err)
	}
	return SignalWithStartReport{WorkflowID: run.ID(), Result: pj(result)}, nil
}

// UpdateWithStartReport is the report of the update-with-start scenario.
type UpdateWithStartReport struct {
	WorkflowID string          `json:"workflow_id"`
	Bumped     json.RawMessage `json:"bumped"`
	Result     json.RawMessage `json:"result"`
}

// updateWithStartScenario: Count{name, start 10} with Bump(7), Finish, Get.
func updateWithStartScenario(ctx context.Context, c client.Client, name string) (any, error) {
	counter := gopeerv1.NewCounterClient(c)
	handle, run, err := counter.CountWithBumpAsync(ctx, &gopeerv1.CountInput{Name: name, Start: ScenarioStart}, &gopeerv1.AddInput{Amount: ScenarioBump})
	if err != nil {
		return nil, fmt.Errorf("update-with-start of Count with Bump(%d): %w", ScenarioBump, err)
	}
	bumped, err := handle.Get(ctx)
	if err != nil {
		return nil, fmt.Errorf("getting Bump(%d)'s result: %w", ScenarioBump, err)
	}
	if err := run.Finish(ctx); err != nil {
		return nil, fmt.Errorf("signalling Finish: %w", err)
	}
	result, err := run.Get(ctx)
	if err != nil {
		return nil, fmt.Errorf("getting the result: %w", err)
	}
	return UpdateWithStartReport{WorkflowID: run.ID(), Bumped: pj(bumped), Result: pj(result)}, nil
}

// FailScenarioReport is the report of the fail scenario: the application error the
// client got.
type FailScenarioReport struct {
	ErrorType    string `json:"error_type"`
	Message      string `json:"message"`
	NonRetryable bool   `json:"non_retryable"`
}

// failInput is the input of the fail and call-fail scenarios.
func failInput(name string) *gopeerv1.FailInput {
	return &gopeerv1.FailInput{Name: name, ErrorType: ScenarioErrorType, NonRetryable: true, Message: ScenarioMessage}
}

// failScenario: Fail{name, PeerError, non-retryable, boom} and Get.
func failScenario(ctx context.Context, c client.Client, name string) (any, error) {
	counter := gopeerv1.NewCounterClient(c)
	run, err := counter.FailAsync(ctx, failInput(name))
	if err != nil {
		return nil, fmt.Errorf("starting Fail: %w", err)
	}
	err = run.Get(ctx)
	if err == nil {
		return nil, errors.New("Fail succeeded")
	}
	var app *temporal.ApplicationError
	if !errors.As(err, &app) {
		return nil, fmt.Errorf("Fail failed without an application error: %w", err)
	}
	return FailScenarioReport{ErrorType: app.Type(), Message: app.Message(), NonRetryable: app.NonRetryable()}, nil
}

// callCountScenario: Caller.CallCount{name}; the report is its output.
func callCountScenario(ctx context.Context, c client.Client, name string) (any, error) {
	out, err := gopeerv1.NewCallerClient(c).CallCount(ctx, &gopeerv1.CallCountInput{Name: name})
	if err != nil {
		return nil, fmt.Errorf("CallCount: %w", err)
	}
	return pj(out), nil
}

// callFailScenario: Caller.CallFail{name, PeerError, non-retryable, boom};
// the report is its output.
func callFailScenario(ctx context.Context, c client.Client, name string) (any, error) {
	out, err := gopeerv1.NewCallerClient(c).CallFail(ctx, failInput(name))
	if err != nil {
		return nil, fmt.Errorf("CallFail: %w", err)
	}
	return pj(out), nil
}

// callEchoesScenario: Caller.CallEchoes{4 calls, 2 at a time}; the report is
// its output.
func callEchoesScenario(ctx context.Context, c client.Client, _ string) (any, error) {
	in := &gopeerv1.CallEchoesInput{Count: ScenarioEchoes, Concurrency: ScenarioEchoLanes}
	out, err := gopeerv1.NewCallerClient(c).CallEchoes(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("CallEchoes: %w", err)
	}
	return pj(out), nil
}

// errorMessage is the message of err's first application error, or its text.
func errorMessage(err error) string {
	var app *temporal.ApplicationError
	if errors.As(err, &app) {
		return app.Message()
	}
	return err.Error()
}

// stampScenario: Stamper.Stamp of 2023-11-14T22:13:20.005Z; the report is
// the result in protojson (a JSON string).
func stampScenario(ctx context.Context, c client.Client, _ string) (any, error) {
	ts := &timestamppb.Timestamp{Seconds: ScenarioStampSeconds, Nanos: ScenarioStampNanos}
	out, err := gopeerv1.NewStamperClient(c).Stamp(ctx, ts)
	if err != nil {
		return nil, fmt.Errorf("Stamp: %w", err)
	}
	return map[string]json.RawMessage{"result": pj(out)}, nil
}
