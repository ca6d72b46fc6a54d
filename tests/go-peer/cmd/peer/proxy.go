package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"

	"go.temporal.io/api/workflowservice/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	_ "google.golang.org/grpc/encoding/gzip" // accept gzip-compressed calls
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"protoc-gen-rust-temporal/tests/go-peer/corpus"
)

// workflowServicePrefix is the gRPC method prefix of Temporal's
// WorkflowService.
const workflowServicePrefix = "/temporal.api.workflowservice.v1.WorkflowService/"

// recordedRequests are the WorkflowService methods whose requests the proxy
// records, with a constructor of their request type.
var recordedRequests = map[string]func() proto.Message{
	"StartWorkflowExecution":           func() proto.Message { return &workflowservice.StartWorkflowExecutionRequest{} },
	"SignalWithStartWorkflowExecution": func() proto.Message { return &workflowservice.SignalWithStartWorkflowExecutionRequest{} },
	"ExecuteMultiOperation":            func() proto.Message { return &workflowservice.ExecuteMultiOperationRequest{} },
	"SignalWorkflowExecution":          func() proto.Message { return &workflowservice.SignalWorkflowExecutionRequest{} },
	"QueryWorkflow":                    func() proto.Message { return &workflowservice.QueryWorkflowRequest{} },
	"UpdateWorkflowExecution":          func() proto.Message { return &workflowservice.UpdateWorkflowExecutionRequest{} },
	"RequestCancelWorkflowExecution":   func() proto.Message { return &workflowservice.RequestCancelWorkflowExecutionRequest{} },
	"TerminateWorkflowExecution":       func() proto.Message { return &workflowservice.TerminateWorkflowExecutionRequest{} },
}

// recordedMethod returns the short name and request constructor of a
// recorded gRPC method.
func recordedMethod(fullMethod string) (string, func() proto.Message, bool) {
	name, ok := strings.CutPrefix(fullMethod, workflowServicePrefix)
	if !ok {
		return "", nil, false
	}
	newReq, ok := recordedRequests[name]
	return name, newReq, ok
}

// rawFrame is one gRPC message, kept as its serialised bytes.
type rawFrame struct {
	data []byte
}

// rawCodec passes messages through without decoding them. It is named
// "proto" so that the content-subtype seen by both ends is unchanged.
type rawCodec struct{}

func (rawCodec) Marshal(v any) ([]byte, error) {
	f, ok := v.(*rawFrame)
	if !ok {
		return nil, fmt.Errorf("rawCodec: cannot marshal %T", v)
	}
	return f.data, nil
}

func (rawCodec) Unmarshal(data []byte, v any) error {
	f, ok := v.(*rawFrame)
	if !ok {
		return fmt.Errorf("rawCodec: cannot unmarshal into %T", v)
	}
	f.data = append([]byte(nil), data...)
	return nil
}

func (rawCodec) Name() string { return "proto" }

// recordLine is one line of the record file.
type recordLine struct {
	Method  string          `json:"method"`
	Request json.RawMessage `json:"request,omitempty"`
	Error   string          `json:"error,omitempty"`
}

// proxy is a transparent gRPC proxy that records some requests.
type proxy struct {
	lis      net.Listener
	server   *grpc.Server
	upstream *grpc.ClientConn

	recMu sync.Mutex
	rec   *os.File // nil: record nothing
}

// newProxy listens on listen and forwards every call to upstream, appending
// the recorded requests to the file record (if not empty).
func newProxy(listen, upstream, record string) (*proxy, error) {
	conn, err := grpc.NewClient(upstream,
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(
			grpc.ForceCodec(rawCodec{}),
			grpc.MaxCallRecvMsgSize(math.MaxInt32),
			grpc.MaxCallSendMsgSize(math.MaxInt32),
		),
	)
	if err != nil {
		return nil, fmt.Errorf("upstream %s: %w", upstream, err)
	}
	p := &proxy{upstream: conn}
	if record != "" {
		p.rec, err = os.OpenFile(record, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
		if err != nil {
			conn.Close()
			return nil, err
		}
	}
	p.lis, err = net.Listen("tcp", listen)
	if err != nil {
		p.Close()
		return nil, err
	}
	p.server = grpc.NewServer(
		grpc.ForceServerCodec(rawCodec{}),
		grpc.UnknownServiceHandler(p.handle),
		grpc.MaxRecvMsgSize(math.MaxInt32),
		grpc.MaxSendMsgSize(math.MaxInt32),
	)
	return p, nil
}

// Addr is the address the proxy listens on.
func (p *proxy) Addr() string { return p.lis.Addr().String() }

// Serve serves until Close; it returns nil after Close.
func (p *proxy) Serve() error { return p.server.Serve(p.lis) }

// Close stops the server and closes the upstream connection and the record
// file.
func (p *proxy) Close() {
	if p.server != nil {
		p.server.Stop()
	} else if p.lis != nil {
		p.lis.Close()
	}
	p.upstream.Close()
	p.recMu.Lock()
	defer p.recMu.Unlock()
	if p.rec != nil {
		p.rec.Close()
		p.rec = nil
	}
}

// record appends one line for a recorded request to the record file.
func (p *proxy) record(method string, newReq func() proto.Message, data []byte) {
	line := recordLine{Method: method}
	req := newReq()
	if err := proto.Unmarshal(data, req); err != nil {
		line.Error = fmt.Sprintf("decoding request: %v", err)
	} else if raw, err := corpus.MarshalCompact(req); err != nil {
		line.Error = fmt.Sprintf("encoding request: %v", err)
	} else {
		line.Request = raw
	}
	out, err := json.Marshal(line)
	if err != nil {
		fmt.Fprintf(os.Stderr, "peer proxy: recording %s: %v\n", method, err)
		return
	}
	out = append(out, '\n')
	p.recMu.Lock()
	defer p.recMu.Unlock()
	if p.rec == nil {
		return
	}
	// One unbuffered write per line: the line is in the file at once.
	if _, err := p.rec.Write(out); err != nil {
		fmt.Fprintf(os.Stderr, "peer proxy: recording %s: %v\n", method, err)
	}
}

// forwardable drops the headers gRPC sets itself (pseudo-headers,
// content-type, user-agent, te, grpc-*) from md.
func forwardable(md metadata.MD) metadata.MD {
	out := metadata.MD{}
	for k, v := range md {
		if strings.HasPrefix(k, ":") || strings.HasPrefix(k, "grpc-") {
			continue
		}
		switch k {
		case "content-type", "user-agent", "te":
			continue
		}
		out[k] = append([]string(nil), v...)
	}
	return out
}

// handle forwards one call, whatever its method, to the upstream
// connection: messages both ways, request metadata, response headers and
// trailers, and the final status.
func (p *proxy) handle(_ any, ss grpc.ServerStream) error {
	fullMethod, ok := grpc.MethodFromServerStream(ss)
	if !ok {
		return status.Error(codes.Internal, "proxy: no method in stream")
	}
	ctx, cancel := context.WithCancel(ss.Context())
	defer cancel()
	md, _ := metadata.FromIncomingContext(ctx)
	ctx = metadata.NewOutgoingContext(ctx, forwardable(md))

	// A recorded (unary) request is recorded as soon as it arrives, before
	// anything is sent upstream.
	var first *rawFrame
	if name, newReq, ok := recordedMethod(fullMethod); ok {
		first = &rawFrame{}
		if err := ss.RecvMsg(first); err != nil {
			if errors.Is(err, io.EOF) {
				return status.Error(codes.InvalidArgument, "proxy: no request message")
			}
			return err
		}
		p.record(name, newReq, first.data)
	}

	cs, err := p.upstream.NewStream(ctx, &grpc.StreamDesc{ClientStreams: true, ServerStreams: true}, fullMethod)
	if err != nil {
		return err
	}

	upDone := make(chan error, 1)
	go func() { upDone <- forwardRequests(ss, cs, first) }()
	downDone := make(chan error, 1)
	go func() { downDone <- forwardResponses(cs, ss) }()

	for {
		select {
		case err := <-upDone:
			upDone = nil
			// io.EOF from SendMsg: the upstream call ended; its status
			// comes through forwardResponses.
			if err != nil && !errors.Is(err, io.EOF) {
				return err
			}
		case err := <-downDone:
			if hdr, herr := cs.Header(); herr == nil {
				_ = ss.SetHeader(forwardable(hdr)) // fails if already sent
			}
			ss.SetTrailer(forwardable(cs.Trailer()))
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
	}
}

// forwardRequests copies the client's messages upstream (first, if not nil,
// then the rest of the stream) and half-closes the upstream stream at the
// client's end of stream.
func forwardRequests(ss grpc.ServerStream, cs grpc.ClientStream, first *rawFrame) error {
	if first != nil {
		if err := cs.SendMsg(first); err != nil {
			return err
		}
	}
	for {
		f := &rawFrame{}
		if err := ss.RecvMsg(f); err != nil {
			if errors.Is(err, io.EOF) {
				return cs.CloseSend()
			}
			return err
		}
		if err := cs.SendMsg(f); err != nil {
			return err
		}
	}
}

// forwardResponses copies the upstream response headers and messages to the
// client. It returns io.EOF when the upstream call succeeded, else its
// error.
func forwardResponses(cs grpc.ClientStream, ss grpc.ServerStream) error {
	for i := 0; ; i++ {
		f := &rawFrame{}
		if err := cs.RecvMsg(f); err != nil {
			return err
		}
		if i == 0 {
			hdr, err := cs.Header()
			if err != nil {
				return err
			}
			if err := ss.SendHeader(forwardable(hdr)); err != nil {
				return err
			}
		}
		if err := ss.SendMsg(f); err != nil {
			return err
		}
	}
}

// runProxy runs the proxy until stdin reaches EOF or SIGINT/SIGTERM.
func runProxy(args []string) error {
	fs := flag.NewFlagSet("proxy", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:0", "address to listen on")
	upstream := fs.String("upstream", "", "Temporal frontend HOST:PORT")
	record := fs.String("record", "", "file to append recorded requests to (JSON lines)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *upstream == "" {
		return errors.New("--upstream is required")
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %q", fs.Args())
	}

	p, err := newProxy(*listen, *upstream, *record)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		stop()
	}()
	served := make(chan error, 1)
	go func() { served <- p.Serve() }()

	line, err := json.Marshal(map[string]string{"listening": p.Addr()})
	if err != nil {
		p.Close()
		return err
	}
	if _, err := os.Stdout.Write(append(line, '\n')); err != nil {
		p.Close()
		return err
	}

	select {
	case <-ctx.Done():
		p.Close()
		<-served
		return nil
	case err := <-served:
		p.Close()
		return err
	}
}
