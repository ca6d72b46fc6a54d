package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"protoc-gen-rust-temporal/tests/go-peer/corpus"
)

// runCorpus prints corpus.Workflows() as one JSON array, one compact object
// per line.
func runCorpus(args []string) error {
	fs := flag.NewFlagSet("corpus", flag.ContinueOnError)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	out := bufio.NewWriter(os.Stdout)
	out.WriteString("[")
	for i, w := range corpus.Workflows() {
		line, err := json.Marshal(w)
		if err != nil {
			return err
		}
		if i > 0 {
			out.WriteString(",")
		}
		out.WriteString("\n")
		out.Write(line)
	}
	out.WriteString("\n]\n")
	return out.Flush()
}
