package interop

import (
	"context"
	"fmt"

	"go.temporal.io/sdk/workflow"
	"google.golang.org/protobuf/types/known/timestamppb"
	"google.golang.org/protobuf/types/known/wrapperspb"

	gopeerv1 "protoc-gen-rust-temporal/tests/go-peer/gen/gopeer/v1"
)

// FormatText is the Format activity's text: `<seconds>.<nanos as 9 digits>`.
func FormatText(ts *timestamppb.Timestamp) string {
	return fmt.Sprintf("%d.%09d", ts.GetSeconds(), ts.GetNanos())
}

// StamperWorkflows implements gopeerv1.StamperWorkflows.
type StamperWorkflows struct{}

var _ gopeerv1.StamperWorkflows = StamperWorkflows{}

// Stamp returns the Format of its timestamp.
func (StamperWorkflows) Stamp(_ workflow.Context, input *gopeerv1.StampWorkflowInput) (gopeerv1.StampWorkflow, error) {
	return &stampWorkflow{input}, nil
}

type stampWorkflow struct {
	*gopeerv1.StampWorkflowInput
}

func (w *stampWorkflow) Execute(ctx workflow.Context) (*wrapperspb.StringValue, error) {
	return gopeerv1.Format(ctx, w.Req)
}

// StamperActivities implements gopeerv1.StamperActivities.
type StamperActivities struct{}

var _ gopeerv1.StamperActivities = StamperActivities{}

// Format writes a timestamp as `<seconds>.<nanos as 9 digits>`.
func (StamperActivities) Format(_ context.Context, ts *timestamppb.Timestamp) (*wrapperspb.StringValue, error) {
	return wrapperspb.String(FormatText(ts)), nil
}
