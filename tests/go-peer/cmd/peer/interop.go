package main

// peer interop: the Go side of the interop proto (protos/gopeer/v1), built
// from the Go generator's output in gen/gopeer/v1.
//
//	peer interop worker --address HOST:PORT --namespace NS [--counter] [--caller]
//	                    [--xns-activities --target-namespace NS2] [--activity-slots N] [--quiet]
//	    Runs the workers asked for, prints {"ready":true} once they have
//	    started, and runs until stdin reaches EOF or SIGTERM/SIGINT.
//
//	peer interop client --address HOST:PORT --namespace NS --scenario S --name N
//	    Runs one client scenario and prints its report, one JSON object.

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"

	"protoc-gen-rust-temporal/tests/go-peer/interop"
)

func runInterop(args []string) error {
	if len(args) == 0 {
		return errors.New("usage: peer interop worker|client [flags]")
	}
	switch args[0] {
	case "worker":
		return runInteropWorker(args[1:])
	case "client":
		return runInteropClient(args[1:])
	default:
		return fmt.Errorf("unknown interop subcommand %q (want worker or client)", args[0])
	}
}

// stderrLogger is the SDK's logger: the SDK's default writes to stdout, which
// carries our JSON.
func stderrLogger() sdklog.Logger {
	return stderrLoggerFrom(slog.LevelWarn)
}

func stderrLoggerFrom(level slog.Level) sdklog.Logger {
	return sdklog.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})))
}

func runInteropWorker(args []string) error {
	fs := flag.NewFlagSet("interop worker", flag.ContinueOnError)
	opts := interop.WorkerOptions{Logger: stderrLogger()}
	fs.StringVar(&opts.Address, "address", "", "Temporal frontend HOST:PORT")
	fs.StringVar(&opts.Namespace, "namespace", "", "namespace of every worker")
	fs.BoolVar(&opts.Counter, "counter", false, "run Count, Fail and Describe on Counter's task queue, and Stamper on its own")
	fs.BoolVar(&opts.Caller, "caller", false, "run CallCount and CallFail on Caller's task queue")
	fs.BoolVar(&opts.XNSActivities, "xns-activities", false, "register Counter's XNS activities on Caller's task queue")
	fs.StringVar(&opts.TargetNamespace, "target-namespace", "", "namespace the XNS activities call Counter in")
	fs.IntVar(&opts.ActivitySlots, "activity-slots", 0, "activities Caller's worker runs at once (0: the SDK's default)")
	quiet := fs.Bool("quiet", false, "log nothing, not even the errors of activities cut short by the worker's stop")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *quiet {
		opts.Logger = stderrLoggerFrom(slog.LevelError + 1)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %q", fs.Args())
	}

	workers, err := interop.StartWorkers(opts)
	if err != nil {
		return err
	}
	defer workers.Stop()

	out := bufio.NewWriter(os.Stdout)
	if _, err := out.WriteString(`{"ready":true}` + "\n"); err != nil {
		return err
	}
	if err := out.Flush(); err != nil {
		return err
	}

	stdinClosed := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		close(stdinClosed)
	}()
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	defer signal.Stop(signals)
	select {
	case <-stdinClosed:
	case <-signals:
	}
	return nil
}

func runInteropClient(args []string) error {
	fs := flag.NewFlagSet("interop client", flag.ContinueOnError)
	address := fs.String("address", "", "Temporal frontend HOST:PORT")
	namespace := fs.String("namespace", "", "namespace of Counter (of Caller for call-*)")
	scenario := fs.String("scenario", "", "one of "+strings.Join(interop.Scenarios(), ", "))
	name := fs.String("name", "", "the counter's name (workflow IDs derive from it)")
	timeout := fs.Duration("timeout", 2*time.Minute, "bound on the whole scenario")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("unexpected arguments: %q", fs.Args())
	case *address == "":
		return errors.New("--address is required")
	case *namespace == "":
		return errors.New("--namespace is required")
	case *scenario == "":
		return errors.New("--scenario is required")
	case *name == "":
		return errors.New("--name is required")
	}

	c, err := client.Dial(client.Options{HostPort: *address, Namespace: *namespace, Logger: stderrLogger()})
	if err != nil {
		return fmt.Errorf("dialing %s: %w", *address, err)
	}
	defer c.Close()

	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	report, err := interop.RunScenario(ctx, c, *scenario, *name)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(os.Stdout, "%s\n", report)
	return err
}
