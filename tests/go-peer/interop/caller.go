package interop

import (
	"cmp"
	"errors"
	"fmt"

	"github.com/cludden/protoc-gen-go-temporal/pkg/xns"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	gopeerv1 "protoc-gen-rust-temporal/tests/go-peer/gen/gopeer/v1"
	"protoc-gen-rust-temporal/tests/go-peer/gen/gopeer/v1/gopeerv1xns"
)

// The calls CallCount makes.
const (
	CallCountStart int64 = 10
	CallCountAdd   int64 = 5
	CallCountBump  int64 = 7
)

// The steps CallCount records, one per call.

// StepStarted follows starting Count.
func StepStarted(workflowID string) string { return "started " + workflowID }

// StepAdded follows the Add signal.
func StepAdded(amount int64) string { return fmt.Sprintf("added %d", amount) }

// StepTotal follows the Total query.
func StepTotal(count *gopeerv1.CountOutput) string {
	return fmt.Sprintf("total %d after %d adds", count.GetTotal(), count.GetAdds())
}

// StepBumped follows the Bump update.
func StepBumped(count *gopeerv1.CountOutput) string {
	return fmt.Sprintf("bumped to %d", count.GetTotal())
}

// StepFinished follows the Finish signal.
const StepFinished = "finished"

// StepResult follows Count's result.
func StepResult(count *gopeerv1.CountOutput) string { return "result " + count.GetDescription() }

// CallerWorkflows implements gopeerv1.CallerWorkflows with the Go-generated
// XNS package (the XNS activities run on the caller's task queue).
type CallerWorkflows struct{}

var _ gopeerv1.CallerWorkflows = CallerWorkflows{}

// CallCount drives Count in the target namespace.
func (CallerWorkflows) CallCount(_ workflow.Context, input *gopeerv1.CallCountWorkflowInput) (gopeerv1.CallCountWorkflow, error) {
	return &callCountWorkflow{input}, nil
}

// CallEchoes calls Echo in the target namespace, concurrency at a time.
func (CallerWorkflows) CallEchoes(_ workflow.Context, input *gopeerv1.CallEchoesWorkflowInput) (gopeerv1.CallEchoesWorkflow, error) {
	return &callEchoesWorkflow{input}, nil
}

// CallFail runs Fail in the target namespace and reports its error.
func (CallerWorkflows) CallFail(_ workflow.Context, input *gopeerv1.CallFailWorkflowInput) (gopeerv1.CallFailWorkflow, error) {
	return &callFailWorkflow{input}, nil
}

type callCountWorkflow struct {
	*gopeerv1.CallCountWorkflowInput
}

func (w *callCountWorkflow) Execute(ctx workflow.Context) (*gopeerv1.CallCountOutput, error) {
	var steps []string
	run, err := gopeerv1xns.CountAsync(ctx, &gopeerv1.CountInput{Name: w.Req.GetName(), Start: CallCountStart})
	if err != nil {
		return nil, fmt.Errorf("starting Count: %w", err)
	}
	steps = append(steps, StepStarted(run.ID()))

	if err := run.Add(ctx, &gopeerv1.AddInput{Amount: CallCountAdd}); err != nil {
		return nil, fmt.Errorf("signalling Add: %w", err)
	}
	steps = append(steps, StepAdded(CallCountAdd))

	// Count's ref to Total sets xns options. With them, the Go generator's
	// run handle (v1.24.0) writes its defaults into opts[0], which panics
	// when no options are passed: pass an empty set.
	total, err := run.Total(ctx, &gopeerv1xns.TotalQueryOptions{})
	if err != nil {
		return nil, fmt.Errorf("querying Total: %w", err)
	}
	steps = append(steps, StepTotal(total))

	bumped, err := run.Bump(ctx, &gopeerv1.AddInput{Amount: CallCountBump})
	if err != nil {
		return nil, fmt.Errorf("updating Bump: %w", err)
	}
	steps = append(steps, StepBumped(bumped))

	if err := run.Finish(ctx); err != nil {
		return nil, fmt.Errorf("signalling Finish: %w", err)
	}
	steps = append(steps, StepFinished)

	result, err := run.Get(ctx)
	if err != nil {
		return nil, fmt.Errorf("waiting for Count: %w", err)
	}
	steps = append(steps, StepResult(result))

	return &gopeerv1.CallCountOutput{Steps: steps, Result: result}, nil
}

type callEchoesWorkflow struct {
	*gopeerv1.CallEchoesWorkflowInput
}

func (w *callEchoesWorkflow) Execute(ctx workflow.Context) (*gopeerv1.CallEchoesOutput, error) {
	count := w.Req.GetCount()
	lanes := min(max(w.Req.GetConcurrency(), 1), max(count, 1))
	latencies := make([]int64, count)
	var failed error
	started := workflow.Now(ctx)
	wg := workflow.NewWaitGroup(ctx)
	for lane := range lanes {
		wg.Add(1)
		workflow.Go(ctx, func(ctx workflow.Context) {
			defer wg.Done()
			for seq := lane; seq < count && failed == nil; seq += lanes {
				before := workflow.Now(ctx)
				out, err := gopeerv1xns.Echo(ctx, &gopeerv1.EchoInput{Seq: seq, HoldSeconds: w.Req.GetHoldSeconds()})
				if err == nil && out.GetSeq() != seq {
					err = temporal.NewNonRetryableApplicationError(fmt.Sprintf("Echo returned seq %d for call %d", out.GetSeq(), seq), "WrongSeq", nil)
				}
				if err != nil {
					failed = cmp.Or(failed, fmt.Errorf("Echo %d: %w", seq, err))
					return
				}
				latencies[seq] = workflow.Now(ctx).Sub(before).Microseconds()
			}
		})
	}
	wg.Wait(ctx)
	if failed != nil {
		return nil, failed
	}
	return &gopeerv1.CallEchoesOutput{LatenciesUs: latencies, ElapsedUs: workflow.Now(ctx).Sub(started).Microseconds()}, nil
}

type callFailWorkflow struct {
	*gopeerv1.CallFailWorkflowInput
}

func (w *callFailWorkflow) Execute(ctx workflow.Context) (*gopeerv1.CallFailOutput, error) {
	err := gopeerv1xns.Fail(ctx, w.Req)
	return FailReport(err), nil
}

// FailReport is CallFail's report of the error an XNS call returned: the
// XNS code and retryability (xns.Code, xns.IsNonRetryable: the outermost
// application error's) and the message of the innermost application error
// (the remote workflow's own). A nil error gives an empty report.
func FailReport(err error) *gopeerv1.CallFailOutput {
	if err == nil {
		return &gopeerv1.CallFailOutput{}
	}
	return &gopeerv1.CallFailOutput{
		Code:         xns.Code(err),
		NonRetryable: xns.IsNonRetryable(err),
		Message:      RemoteMessage(err),
	}
}

// RemoteMessage is the message of the innermost application error in err's
// chain, or "" if there is none.
func RemoteMessage(err error) string {
	var inner *temporal.ApplicationError
	for e := err; e != nil; e = errors.Unwrap(e) {
		if app, ok := e.(*temporal.ApplicationError); ok {
			inner = app
		}
	}
	if inner == nil {
		return ""
	}
	return inner.Message()
}
