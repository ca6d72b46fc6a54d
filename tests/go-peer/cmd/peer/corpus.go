package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
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
	return writeJSONArray(os.Stdout, corpus.Workflows())
}

// writeJSONArray writes items as one JSON array, one compact object per
// line, so that a reader can also take it line by line.
func writeJSONArray[T any](w io.Writer, items []T) error {
	out := bufio.NewWriter(w)
	out.WriteString("[")
	for i, item := range items {
		line, err := json.Marshal(item)
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
