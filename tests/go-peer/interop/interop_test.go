package interop

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	xnsv1 "github.com/cludden/protoc-gen-go-temporal/gen/temporal/xns/v1"
	"github.com/cludden/protoc-gen-go-temporal/pkg/xns"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"
	"google.golang.org/protobuf/types/known/wrapperspb"

	gopeerv1 "protoc-gen-rust-temporal/tests/go-peer/gen/gopeer/v1"
)

func TestDescribeText(t *testing.T) {
	got := DescribeText(&gopeerv1.CountOutput{Name: "Go Peer", Total: 22, Adds: 2, Description: "ignored"})
	if want := "Go Peer: 22 after 2 adds"; got != want {
		t.Fatalf("DescribeText = %q, want %q", got, want)
	}
}

func TestSteps(t *testing.T) {
	count := &gopeerv1.CountOutput{Name: "n", Total: 22, Adds: 2, Description: "n: 22 after 2 adds"}
	got := []string{
		StepStarted("count/n"),
		StepAdded(5),
		StepTotal(&gopeerv1.CountOutput{Total: 15, Adds: 1}),
		StepBumped(count),
		StepFinished,
		StepResult(count),
	}
	want := []string{"started count/n", "added 5", "total 15 after 1 adds", "bumped to 22", "finished", "result n: 22 after 2 adds"}
	if !slices.Equal(got, want) {
		t.Fatalf("steps = %q, want %q", got, want)
	}
}

func TestFailReport(t *testing.T) {
	remote := temporal.NewApplicationErrorWithOptions("boom", "PeerError", temporal.ApplicationErrorOptions{NonRetryable: false})
	// What the Go XNS activity makes of it (always non-retryable), as the
	// caller workflow sees it: wrapped.
	err := fmt.Errorf("calling: %w", xns.ErrorToApplicationError(remote))
	got := FailReport(err)
	want := &gopeerv1.CallFailOutput{Code: "PeerError", NonRetryable: true, Message: "boom"}
	if !proto.Equal(got, want) {
		t.Fatalf("FailReport = %v, want %v", got, want)
	}
	if got := FailReport(nil); !proto.Equal(got, &gopeerv1.CallFailOutput{}) {
		t.Fatalf("FailReport(nil) = %v, want empty", got)
	}
	if got := FailReport(errors.New("plain")); !proto.Equal(got, &gopeerv1.CallFailOutput{}) {
		t.Fatalf("FailReport(plain) = %v, want empty", got)
	}
}

func newCounterEnv(t *testing.T) *testsuite.TestWorkflowEnvironment {
	t.Helper()
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	gopeerv1.RegisterCounterWorkflows(env, CounterWorkflows{})
	gopeerv1.RegisterCounterActivities(env, CounterActivities{})
	return env
}

func TestCount(t *testing.T) {
	env := newCounterEnv(t)
	var total, bumped *gopeerv1.CountOutput
	var rejected error
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(gopeerv1.AddSignalName, &gopeerv1.AddInput{Amount: 5})
	}, time.Second)
	env.RegisterDelayedCallback(func() {
		v, err := env.QueryWorkflow(gopeerv1.TotalQueryName)
		if err != nil {
			t.Errorf("Total: %v", err)
			return
		}
		total = &gopeerv1.CountOutput{}
		if err := v.Get(total); err != nil {
			t.Errorf("Total: %v", err)
		}
	}, 2*time.Second)
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(gopeerv1.BumpUpdateName, "bump-7", &testsuite.TestUpdateCallback{
			OnReject: func(err error) { t.Errorf("Bump(7) rejected: %v", err) },
			OnAccept: func() {},
			OnComplete: func(v any, err error) {
				if err != nil {
					t.Errorf("Bump(7): %v", err)
					return
				}
				bumped = v.(*gopeerv1.CountOutput)
			},
		}, &gopeerv1.AddInput{Amount: 7})
	}, 3*time.Second)
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(gopeerv1.BumpUpdateName, "bump-minus-1", &testsuite.TestUpdateCallback{
			OnReject:   func(err error) { rejected = err },
			OnAccept:   func() { t.Error("Bump(-1) accepted") },
			OnComplete: func(any, error) {},
		}, &gopeerv1.AddInput{Amount: -1})
	}, 4*time.Second)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(gopeerv1.FinishSignalName, nil)
	}, 5*time.Second)

	env.ExecuteWorkflow(gopeerv1.CountWorkflowName, &gopeerv1.CountInput{Name: "Go Peer", Start: 10})
	if !env.IsWorkflowCompleted() {
		t.Fatal("Count did not complete")
	}
	if err := env.GetWorkflowError(); err != nil {
		t.Fatalf("Count failed: %v", err)
	}
	var result gopeerv1.CountOutput
	if err := env.GetWorkflowResult(&result); err != nil {
		t.Fatal(err)
	}

	check := func(what string, got, want *gopeerv1.CountOutput) {
		t.Helper()
		if !proto.Equal(got, want) {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	check("Total", total, &gopeerv1.CountOutput{Name: "Go Peer", Total: 15, Adds: 1})
	check("Bump(7)", bumped, &gopeerv1.CountOutput{Name: "Go Peer", Total: 22, Adds: 2})
	check("result", &result, &gopeerv1.CountOutput{Name: "Go Peer", Total: 22, Adds: 2, Description: "Go Peer: 22 after 2 adds"})
	if rejected == nil || errorMessage(rejected) != "negative amount" {
		t.Errorf("Bump(-1) rejection = %v, want negative amount", rejected)
	}
}

// TestCountAddsWithFinish: Adds delivered in the same workflow task as
// Finish still count.
func TestCountAddsWithFinish(t *testing.T) {
	env := newCounterEnv(t)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflowSkippingWorkflowTask(gopeerv1.FinishSignalName, nil)
		env.SignalWorkflowSkippingWorkflowTask(gopeerv1.AddSignalName, &gopeerv1.AddInput{Amount: 5})
		env.SignalWorkflow(gopeerv1.AddSignalName, &gopeerv1.AddInput{Amount: 6})
	}, time.Second)
	env.ExecuteWorkflow(gopeerv1.CountWorkflowName, &gopeerv1.CountInput{Name: "n", Start: 1})
	var result gopeerv1.CountOutput
	if err := env.GetWorkflowResult(&result); err != nil {
		t.Fatal(err)
	}
	if want := (&gopeerv1.CountOutput{Name: "n", Total: 12, Adds: 2, Description: "n: 12 after 2 adds"}); !proto.Equal(&result, want) {
		t.Fatalf("result = %v, want %v", &result, want)
	}
}

func TestFail(t *testing.T) {
	for _, nonRetryable := range []bool{true, false} {
		env := newCounterEnv(t)
		env.ExecuteWorkflow(gopeerv1.FailWorkflowName, &gopeerv1.FailInput{Name: "n", ErrorType: "PeerError", NonRetryable: nonRetryable, Message: "boom"})
		var app *temporal.ApplicationError
		if err := env.GetWorkflowError(); !errors.As(err, &app) {
			t.Fatalf("Fail error = %v, want an application error", err)
		}
		if app.Type() != "PeerError" || app.Message() != "boom" || app.NonRetryable() != nonRetryable {
			t.Errorf("Fail error = type %q, message %q, non-retryable %v; want PeerError, boom, %v", app.Type(), app.Message(), app.NonRetryable(), nonRetryable)
		}
	}
}

// errNotStarted is what a fake XNS activity returns when it runs before the
// Count activity has started the remote workflow: the Go XNS calls do not
// wait for the start, so their activities race with it and retry.
var errNotStarted = errors.New("workflow not found")

// fakeCounter stands in for the XNS activities of a remote Count.
type fakeCounter struct {
	mu       sync.Mutex
	count    *gopeerv1.CountOutput
	finished chan struct{}
	calls    []string
}

func (f *fakeCounter) register(env *testsuite.TestWorkflowEnvironment) {
	reg := func(fn any, name string) {
		env.RegisterActivityWithOptions(fn, activity.RegisterOptions{Name: name})
	}
	reg(func(_ context.Context, req *xnsv1.WorkflowRequest) (*gopeerv1.CountOutput, error) {
		var in gopeerv1.CountInput
		if err := req.GetRequest().UnmarshalTo(&in); err != nil {
			return nil, err
		}
		f.mu.Lock()
		f.calls = append(f.calls, "Count "+req.GetStartWorkflowOptions().GetId())
		f.count = &gopeerv1.CountOutput{Name: in.GetName(), Total: in.GetStart()}
		f.mu.Unlock()
		<-f.finished
		f.mu.Lock()
		defer f.mu.Unlock()
		out := proto.Clone(f.count).(*gopeerv1.CountOutput)
		out.Description = DescribeText(out)
		return out, nil
	}, gopeerv1.CountWorkflowName)
	reg(func(_ context.Context, req *xnsv1.SignalRequest) error {
		var in gopeerv1.AddInput
		if err := req.GetRequest().UnmarshalTo(&in); err != nil {
			return err
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.count == nil {
			return errNotStarted
		}
		f.calls = append(f.calls, "Add "+req.GetWorkflowId())
		f.count.Total += in.GetAmount()
		f.count.Adds++
		return nil
	}, gopeerv1.AddSignalName)
	reg(func(_ context.Context, req *xnsv1.QueryRequest) (*gopeerv1.CountOutput, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.count == nil {
			return nil, errNotStarted
		}
		f.calls = append(f.calls, "Total "+req.GetWorkflowId())
		return proto.Clone(f.count).(*gopeerv1.CountOutput), nil
	}, gopeerv1.TotalQueryName)
	reg(func(_ context.Context, req *xnsv1.UpdateRequest) (*gopeerv1.CountOutput, error) {
		var in gopeerv1.AddInput
		if err := req.GetRequest().UnmarshalTo(&in); err != nil {
			return nil, err
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.count == nil {
			return nil, errNotStarted
		}
		f.calls = append(f.calls, "Bump "+req.GetUpdateWorkflowOptions().GetWorkflowId())
		f.count.Total += in.GetAmount()
		f.count.Adds++
		return proto.Clone(f.count).(*gopeerv1.CountOutput), nil
	}, gopeerv1.BumpUpdateName)
	reg(func(_ context.Context, req *xnsv1.SignalRequest) error {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.calls = append(f.calls, "Finish "+req.GetWorkflowId())
		close(f.finished)
		return nil
	}, gopeerv1.FinishSignalName)
}

func TestCallCount(t *testing.T) {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	gopeerv1.RegisterCallerWorkflows(env, CallerWorkflows{})
	fake := &fakeCounter{finished: make(chan struct{})}
	fake.register(env)

	env.ExecuteWorkflow(gopeerv1.CallCountWorkflowName, &gopeerv1.CallCountInput{Name: "Go Peer"})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatalf("CallCount failed: %v", err)
	}
	var out gopeerv1.CallCountOutput
	if err := env.GetWorkflowResult(&out); err != nil {
		t.Fatal(err)
	}
	want := &gopeerv1.CallCountOutput{
		Steps: []string{
			"started count/go-peer",
			"added 5",
			"total 15 after 1 adds",
			"bumped to 22",
			"finished",
			"result Go Peer: 22 after 2 adds",
		},
		Result: &gopeerv1.CountOutput{Name: "Go Peer", Total: 22, Adds: 2, Description: "Go Peer: 22 after 2 adds"},
	}
	if !proto.Equal(&out, want) {
		t.Fatalf("CallCount = %v, want %v", &out, want)
	}
	wantCalls := []string{"Count count/go-peer", "Add count/go-peer", "Total count/go-peer", "Bump count/go-peer", "Finish count/go-peer"}
	if !slices.Equal(fake.calls, wantCalls) {
		t.Errorf("XNS calls = %q, want %q", fake.calls, wantCalls)
	}
}

func TestCallFail(t *testing.T) {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	gopeerv1.RegisterCallerWorkflows(env, CallerWorkflows{})
	env.RegisterActivityWithOptions(func(_ context.Context, req *xnsv1.WorkflowRequest) error {
		var in gopeerv1.FailInput
		if err := req.GetRequest().UnmarshalTo(&in); err != nil {
			return err
		}
		// What the Go XNS activity returns for the remote workflow's failure.
		remote := temporal.NewApplicationErrorWithOptions(in.GetMessage(), in.GetErrorType(), temporal.ApplicationErrorOptions{NonRetryable: in.GetNonRetryable()})
		return xns.ErrorToApplicationError(remote)
	}, activity.RegisterOptions{Name: gopeerv1.FailWorkflowName})

	env.ExecuteWorkflow(gopeerv1.CallFailWorkflowName, &gopeerv1.FailInput{Name: "n", ErrorType: "PeerError", NonRetryable: false, Message: "boom"})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatalf("CallFail failed: %v", err)
	}
	var out gopeerv1.CallFailOutput
	if err := env.GetWorkflowResult(&out); err != nil {
		t.Fatal(err)
	}
	// The Go XNS activities make every remote failure non-retryable.
	want := &gopeerv1.CallFailOutput{Code: "PeerError", NonRetryable: true, Message: "boom"}
	if !proto.Equal(&out, want) {
		t.Fatalf("CallFail = %v, want %v", &out, want)
	}
}

func TestEcho(t *testing.T) {
	env := newCounterEnv(t)
	env.ExecuteWorkflow(gopeerv1.EchoWorkflowName, &gopeerv1.EchoInput{Seq: 3, HoldSeconds: 60})
	var out gopeerv1.EchoOutput
	if err := env.GetWorkflowResult(&out); err != nil {
		t.Fatal(err)
	}
	if out.GetSeq() != 3 {
		t.Fatalf("Echo = %v, want seq 3", &out)
	}
}

func TestStamp(t *testing.T) {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	gopeerv1.RegisterStamperWorkflows(env, StamperWorkflows{})
	gopeerv1.RegisterStamperActivities(env, StamperActivities{})
	env.ExecuteWorkflow(gopeerv1.StampWorkflowName, &timestamppb.Timestamp{Seconds: 1_700_000_000, Nanos: 5_000_000})
	var out wrapperspb.StringValue
	if err := env.GetWorkflowResult(&out); err != nil {
		t.Fatal(err)
	}
	if out.GetValue() != "1700000000.005000000" {
		t.Fatalf("Stamp = %q, want 1700000000.005000000", out.GetValue())
	}
}

func TestCallEchoes(t *testing.T) {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	gopeerv1.RegisterCallerWorkflows(env, CallerWorkflows{})
	var mu sync.Mutex
	var seqs []int32
	env.RegisterActivityWithOptions(func(_ context.Context, req *xnsv1.WorkflowRequest) (*gopeerv1.EchoOutput, error) {
		var in gopeerv1.EchoInput
		if err := req.GetRequest().UnmarshalTo(&in); err != nil {
			return nil, err
		}
		mu.Lock()
		defer mu.Unlock()
		seqs = append(seqs, in.GetSeq())
		return &gopeerv1.EchoOutput{Seq: in.GetSeq()}, nil
	}, activity.RegisterOptions{Name: gopeerv1.EchoWorkflowName})

	env.ExecuteWorkflow(gopeerv1.CallEchoesWorkflowName, &gopeerv1.CallEchoesInput{Count: 5, Concurrency: 2})
	var out gopeerv1.CallEchoesOutput
	if err := env.GetWorkflowResult(&out); err != nil {
		t.Fatal(err)
	}
	if len(out.GetLatenciesUs()) != 5 {
		t.Errorf("latencies = %v, want 5", out.GetLatenciesUs())
	}
	slices.Sort(seqs)
	if want := []int32{0, 1, 2, 3, 4}; !slices.Equal(seqs, want) {
		t.Errorf("Echo calls = %v, want %v", seqs, want)
	}
}
