package main

import (
	"fmt"
	"os"

	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/encoding/protojson"
)

// runHeartbeat writes, as protojson temporal.api.common.v1.Payloads, the
// heartbeat details a Go XNS activity records for its arguments:
// activity.RecordHeartbeat(ctx, args...) encodes them with the activity's
// data converter (go.temporal.io/sdk internal_activity.go, encodeArgs),
// which the Go generator's workers leave at the default.
func runHeartbeat(args []string) error {
	values := make([]any, len(args))
	for i, a := range args {
		values[i] = a
	}
	payloads, err := converter.GetDefaultDataConverter().ToPayloads(values...)
	if err != nil {
		return fmt.Errorf("encoding %q: %w", args, err)
	}
	data, err := protojson.Marshal(payloads)
	if err != nil {
		return err
	}
	_, err = os.Stdout.Write(data)
	return err
}
