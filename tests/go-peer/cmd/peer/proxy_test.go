package main

import (
	"bufio"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/api/workflowservice/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

// fakeWorkflowService answers StartWorkflowExecution and fails
// SignalWorkflowExecution; every other method is unimplemented.
type fakeWorkflowService struct {
	workflowservice.UnimplementedWorkflowServiceServer
}

func (fakeWorkflowService) StartWorkflowExecution(ctx context.Context, req *workflowservice.StartWorkflowExecutionRequest) (*workflowservice.StartWorkflowExecutionResponse, error) {
	md, _ := metadata.FromIncomingContext(ctx)
	tag := "none"
	if v := md.Get("x-peer-test"); len(v) == 1 {
		tag = v[0]
	}
	if err := grpc.SetHeader(ctx, metadata.Pairs("x-fake-header", "h")); err != nil {
		return nil, err
	}
	if err := grpc.SetTrailer(ctx, metadata.Pairs("x-fake-trailer", "t")); err != nil {
		return nil, err
	}
	return &workflowservice.StartWorkflowExecutionResponse{RunId: "run-" + tag + "-" + req.GetWorkflowId(), Started: true}, nil
}

func (fakeWorkflowService) SignalWorkflowExecution(context.Context, *workflowservice.SignalWorkflowExecutionRequest) (*workflowservice.SignalWorkflowExecutionResponse, error) {
	return nil, status.Error(codes.NotFound, "no such workflow")
}

func startFake(t *testing.T) string {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	workflowservice.RegisterWorkflowServiceServer(srv, fakeWorkflowService{})
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	return lis.Addr().String()
}

func readRecord(t *testing.T, path string) []recordLine {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []recordLine
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var l recordLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("record line %q: %v", sc.Text(), err)
		}
		lines = append(lines, l)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

func TestProxyForwardsAndRecords(t *testing.T) {
	upstream := startFake(t)
	recPath := filepath.Join(t.TempDir(), "record.jsonl")
	p, err := newProxy("127.0.0.1:0", upstream, recPath)
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- p.Serve() }()
	defer func() {
		p.Close()
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
	}()

	conn, err := grpc.NewClient(p.Addr(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	wsc := workflowservice.NewWorkflowServiceClient(conn)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ctx = metadata.AppendToOutgoingContext(ctx, "x-peer-test", "abc")

	// A recorded method: forwarded with its metadata, headers and trailers
	// come back, and the request is recorded.
	sent := &workflowservice.StartWorkflowExecutionRequest{
		Namespace:    "ns-a",
		WorkflowId:   "wf-1",
		WorkflowType: &commonpb.WorkflowType{Name: "example.v1.Example.CreateFoo"},
		RequestId:    "req-1",
	}
	var hdr, trl metadata.MD
	resp, err := wsc.StartWorkflowExecution(ctx, sent, grpc.Header(&hdr), grpc.Trailer(&trl))
	if err != nil {
		t.Fatalf("StartWorkflowExecution through the proxy: %v", err)
	}
	if resp.GetRunId() != "run-abc-wf-1" || !resp.GetStarted() {
		t.Errorf("forwarded response = %v", resp)
	}
	if got := hdr.Get("x-fake-header"); len(got) != 1 || got[0] != "h" {
		t.Errorf("response header x-fake-header = %v", got)
	}
	if got := trl.Get("x-fake-trailer"); len(got) != 1 || got[0] != "t" {
		t.Errorf("response trailer x-fake-trailer = %v", got)
	}

	// A recorded method the upstream fails: the status comes back as is and
	// the request is still recorded.
	_, err = wsc.SignalWorkflowExecution(ctx, &workflowservice.SignalWorkflowExecutionRequest{Namespace: "ns-a", SignalName: "sig"})
	if st := status.Convert(err); st.Code() != codes.NotFound || st.Message() != "no such workflow" {
		t.Errorf("SignalWorkflowExecution through the proxy: %v", err)
	}

	// A method that is not recorded is forwarded too.
	_, err = wsc.GetSystemInfo(ctx, &workflowservice.GetSystemInfoRequest{})
	if status.Code(err) != codes.Unimplemented {
		t.Errorf("GetSystemInfo through the proxy: %v, want Unimplemented", err)
	}

	lines := readRecord(t, recPath)
	if len(lines) != 2 {
		t.Fatalf("record has %d lines, want 2: %+v", len(lines), lines)
	}
	if lines[0].Method != "StartWorkflowExecution" || lines[0].Error != "" {
		t.Fatalf("first record line = %+v", lines[0])
	}
	got := &workflowservice.StartWorkflowExecutionRequest{}
	if err := protojson.Unmarshal(lines[0].Request, got); err != nil {
		t.Fatal(err)
	}
	if !proto.Equal(got, sent) {
		t.Errorf("recorded request = %v, want %v", got, sent)
	}
	if want := `{"namespace":"ns-a","workflowId":"wf-1","workflowType":{"name":"example.v1.Example.CreateFoo"},"requestId":"req-1"}`; string(lines[0].Request) != want {
		t.Errorf("recorded request JSON = %s, want %s", lines[0].Request, want)
	}
	if lines[1].Method != "SignalWorkflowExecution" || string(lines[1].Request) != `{"namespace":"ns-a","signalName":"sig"}` {
		t.Errorf("second record line = %+v", lines[1])
	}
}
