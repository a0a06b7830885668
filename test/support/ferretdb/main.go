// Command ferretdb-test runs an embedded FerretDB (v1, SQLite backend) for tests and
// benchmarks of the MongoDB read-store adapter.
//
// It prints the MongoDB URI (mongodb://127.0.0.1:PORT/) on stdout once the listener is up
// and exits on SIGTERM/SIGINT, or when stdin is closed (so it dies with its parent).
//
//	go build -o ferretdb-test . && ./ferretdb-test -addr 127.0.0.1:0 -dir /tmp/ferret-data
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "TCP listen address (port 0 picks a free port)")
	dir := flag.String("dir", "", "data directory for the SQLite backend (default: a new temporary directory, removed on exit)")
	logLevel := flag.String("log-level", "warn", "log level: debug, info, warn, error")
	watchStdin := flag.Bool("watch-stdin", true, "exit when stdin is closed")
	flag.Parse()

	if err := run(*addr, *dir, *logLevel, *watchStdin); err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb-test:", err)
		os.Exit(1)
	}
}

func run(addr, dir, logLevel string, watchStdin bool) error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(logLevel)); err != nil {
		return fmt.Errorf("bad -log-level: %w", err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	if dir == "" {
		tmp, err := os.MkdirTemp("", "ferretdb-test-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	if watchStdin {
		go func() {
			// returns on EOF (parent closed the pipe or died) or on any read error
			_, _ = io.Copy(io.Discard, os.Stdin)
			cancel()
		}()
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: addr},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/",
	})
	if err != nil {
		return err
	}

	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()

	// MongoDBURI blocks until the TCP listener is ready; if listening fails, Run returns first.
	uri := make(chan string, 1)
	go func() { uri <- f.MongoDBURI() }()

	select {
	case u := <-uri:
		fmt.Fprintln(os.Stdout, u)
		_ = os.Stdout.Sync()
	case err := <-done:
		if err == nil {
			err = fmt.Errorf("listener stopped before it was ready (address %s in use?)", addr)
		}
		return err
	}

	return <-done
}
