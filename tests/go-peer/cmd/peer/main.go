// Command peer is the Go side of the Go peer tests: it drives the Go
// generator's committed output (protoc-gen-go-temporal v1.24.0, read from the
// module cache) and the Go SDK, so the Rust tests can compare our generated
// code with the real thing.
//
// Usage: peer <subcommand> [flags]. Every subcommand writes JSON to stdout.
package main

import (
	"fmt"
	"os"
	"sort"
)

var subcommands = map[string]struct {
	run  func(args []string) error
	help string
}{
	"corpus":    {runCorpus, "list every workflow of the Go generator's protos with a sample input"},
	"start":     {runStart, "start every corpus workflow with the Go-generated clients"},
	"proxy":     {runProxy, "a gRPC proxy in front of a Temporal server that records requests"},
	"expr":      {runExpr, "evaluate ID expressions with the Go generator's expression package"},
	"interop":   {runInterop, "workers and client scenarios of the interop proto (gen/gopeer/v1)"},
	"names":     {runNames, "list the Temporal names (and aliases) the Go generator's committed output declares"},
	"heartbeat": {runHeartbeat, "encode heartbeat details (string arguments) as a Go XNS activity records them"},
}

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	sub, ok := subcommands[os.Args[1]]
	if !ok {
		usage()
		os.Exit(2)
	}
	if err := sub.run(os.Args[2:]); err != nil {
		fmt.Fprintf(os.Stderr, "peer %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

func usage() {
	names := make([]string, 0, len(subcommands))
	for name := range subcommands {
		names = append(names, name)
	}
	sort.Strings(names)
	fmt.Fprintln(os.Stderr, "usage: peer <subcommand> [flags]")
	for _, name := range names {
		fmt.Fprintf(os.Stderr, "  %-8s %s\n", name, subcommands[name].help)
	}
}
