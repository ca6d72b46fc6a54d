// Package interop implements the interop proto (protos/gopeer/v1/gopeer.proto)
// with the Go generator's output: the Counter and Caller workers, and the
// client scenarios that drive them. Every behaviour follows the proto's
// comments, as the Rust implementation does, so either side can stand in
// for the other.
package interop

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	gopeerv1 "protoc-gen-rust-temporal/tests/go-peer/gen/gopeer/v1"
)

// ErrNegativeAmount is the Bump validator's rejection.
var ErrNegativeAmount = errors.New("negative amount")

// DescribeText is the Describe activity's text: `<name>: <total> after
// <adds> adds`.
func DescribeText(count *gopeerv1.CountOutput) string {
	return fmt.Sprintf("%s: %d after %d adds", count.GetName(), count.GetTotal(), count.GetAdds())
}

// CounterWorkflows implements gopeerv1.CounterWorkflows.
type CounterWorkflows struct{}

var _ gopeerv1.CounterWorkflows = CounterWorkflows{}

// Count counts from `start` until Finish, then describes the count.
func (CounterWorkflows) Count(_ workflow.Context, input *gopeerv1.CountWorkflowInput) (gopeerv1.CountWorkflow, error) {
	return &countWorkflow{
		CountWorkflowInput: input,
		total:              input.Req.GetStart(),
	}, nil
}

// Echo returns its input's seq after sleeping hold_seconds.
func (CounterWorkflows) Echo(_ workflow.Context, input *gopeerv1.EchoWorkflowInput) (gopeerv1.EchoWorkflow, error) {
	return &echoWorkflow{input}, nil
}

// Fail fails at once with the application error its input describes.
func (CounterWorkflows) Fail(_ workflow.Context, input *gopeerv1.FailWorkflowInput) (gopeerv1.FailWorkflow, error) {
	return &failWorkflow{input}, nil
}

type countWorkflow struct {
	*gopeerv1.CountWorkflowInput
	total    int64
	adds     int32
	finished bool
}

// count is the count so far (no description).
func (w *countWorkflow) count() *gopeerv1.CountOutput {
	return &gopeerv1.CountOutput{Name: w.Req.GetName(), Total: w.total, Adds: w.adds}
}

func (w *countWorkflow) add(amount int64) {
	w.total += amount
	w.adds++
}

func (w *countWorkflow) Execute(ctx workflow.Context) (*gopeerv1.CountOutput, error) {
	for !w.finished {
		sel := workflow.NewSelector(ctx)
		w.Add.Select(sel, func(in *gopeerv1.AddInput) { w.add(in.GetAmount()) })
		w.Finish.Select(sel, func() { w.finished = true })
		sel.Select(ctx)
	}
	// Adds delivered with Finish (in the same workflow task) still count.
	for in := w.Add.ReceiveAsync(); in != nil; in = w.Add.ReceiveAsync() {
		w.add(in.GetAmount())
	}
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return nil, err
	}

	count := w.count()
	described, err := gopeerv1.Describe(ctx, count)
	if err != nil {
		return nil, fmt.Errorf("describe: %w", err)
	}
	count.Description = described.GetText()
	return count, nil
}

func (w *countWorkflow) Total() (*gopeerv1.CountOutput, error) {
	return w.count(), nil
}

func (w *countWorkflow) ValidateBump(_ workflow.Context, in *gopeerv1.AddInput) error {
	if in.GetAmount() < 0 {
		return ErrNegativeAmount
	}
	return nil
}

func (w *countWorkflow) Bump(_ workflow.Context, in *gopeerv1.AddInput) (*gopeerv1.CountOutput, error) {
	w.add(in.GetAmount())
	return w.count(), nil
}

type echoWorkflow struct {
	*gopeerv1.EchoWorkflowInput
}

func (w *echoWorkflow) Execute(ctx workflow.Context) (*gopeerv1.EchoOutput, error) {
	if hold := w.Req.GetHoldSeconds(); hold > 0 {
		if err := workflow.Sleep(ctx, time.Duration(hold)*time.Second); err != nil {
			return nil, err
		}
	}
	return &gopeerv1.EchoOutput{Seq: w.Req.GetSeq()}, nil
}

type failWorkflow struct {
	*gopeerv1.FailWorkflowInput
}

func (w *failWorkflow) Execute(workflow.Context) error {
	return temporal.NewApplicationErrorWithOptions(w.Req.GetMessage(), w.Req.GetErrorType(), temporal.ApplicationErrorOptions{
		NonRetryable: w.Req.GetNonRetryable(),
	})
}

// CounterActivities implements gopeerv1.CounterActivities.
type CounterActivities struct{}

var _ gopeerv1.CounterActivities = CounterActivities{}

// Describe describes a count.
func (CounterActivities) Describe(_ context.Context, count *gopeerv1.CountOutput) (*gopeerv1.DescribeOutput, error) {
	return &gopeerv1.DescribeOutput{Text: DescribeText(count)}, nil
}
