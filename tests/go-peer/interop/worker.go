package interop

import (
	"errors"
	"fmt"
	"sync"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"

	gopeerv1 "protoc-gen-rust-temporal/tests/go-peer/gen/gopeer/v1"
	"protoc-gen-rust-temporal/tests/go-peer/gen/gopeer/v1/gopeerv1xns"
)

// WorkerOptions says which interop workers to run.
type WorkerOptions struct {
	// Address is the Temporal frontend, HOST:PORT.
	Address string
	// Namespace is where every worker polls.
	Namespace string
	// Counter runs Count, Fail and Describe on Counter's task queue, and
	// Stamper's workflow and activity on Stamper's.
	Counter bool
	// Caller runs CallCount and CallFail on Caller's task queue.
	Caller bool
	// XNSActivities registers Counter's XNS activities on Caller's task
	// queue, calling Counter in TargetNamespace.
	XNSActivities bool
	// TargetNamespace is where the XNS activities call Counter.
	TargetNamespace string
	// ActivitySlots bounds the activities Caller's worker runs at once (0:
	// the SDK's default); each XNS call in flight holds one.
	ActivitySlots int
	// Logger is the SDK's logger (nil: the SDK's default, on stdout).
	Logger log.Logger
}

func (o WorkerOptions) validate() error {
	switch {
	case o.Address == "":
		return errors.New("an address is required")
	case o.Namespace == "":
		return errors.New("a namespace is required")
	case !o.Counter && !o.Caller && !o.XNSActivities:
		return errors.New("nothing to run: choose the counter, the caller and/or the XNS activities")
	case o.XNSActivities && o.TargetNamespace == "":
		return errors.New("the XNS activities need a target namespace")
	case !o.XNSActivities && o.TargetNamespace != "":
		return errors.New("a target namespace is only used by the XNS activities")
	case o.ActivitySlots < 0:
		return errors.New("activity slots cannot be negative")
	}
	return nil
}

// Workers are started interop workers, with one client per namespace.
type Workers struct {
	clients []client.Client
	workers []worker.Worker
}

// StartWorkers dials the server and starts the workers opts asks for: one
// on Counter's task queue and/or one on Caller's (the caller workflows and
// the XNS activities share it).
func StartWorkers(opts WorkerOptions) (ws *Workers, err error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	ws = &Workers{}
	defer func() {
		if err != nil {
			ws.Stop()
			ws = nil
		}
	}()

	byNamespace := map[string]client.Client{}
	clientFor := func(namespace string) (client.Client, error) {
		if c, ok := byNamespace[namespace]; ok {
			return c, nil
		}
		options := client.Options{HostPort: opts.Address, Namespace: namespace, Logger: opts.Logger}
		var c client.Client
		var err error
		if len(ws.clients) == 0 {
			c, err = client.Dial(options)
		} else {
			c, err = client.NewClientFromExisting(ws.clients[0], options)
		}
		if err != nil {
			return nil, fmt.Errorf("client of namespace %s at %s: %w", namespace, opts.Address, err)
		}
		byNamespace[namespace] = c
		ws.clients = append(ws.clients, c)
		return c, nil
	}

	c, err := clientFor(opts.Namespace)
	if err != nil {
		return nil, err
	}
	if opts.Counter {
		w := worker.New(c, gopeerv1.CounterTaskQueue, worker.Options{})
		gopeerv1.RegisterCounterWorkflows(w, CounterWorkflows{})
		gopeerv1.RegisterCounterActivities(w, CounterActivities{})
		if err := ws.start(w, gopeerv1.CounterTaskQueue, opts.Namespace); err != nil {
			return nil, err
		}
		stamper := worker.New(c, gopeerv1.StamperTaskQueue, worker.Options{})
		gopeerv1.RegisterStamperWorkflows(stamper, StamperWorkflows{})
		gopeerv1.RegisterStamperActivities(stamper, StamperActivities{})
		if err := ws.start(stamper, gopeerv1.StamperTaskQueue, opts.Namespace); err != nil {
			return nil, err
		}
	}
	if opts.Caller || opts.XNSActivities {
		// The Go SDK polls for workflow and activity tasks whatever is
		// registered; a worker that polls for a kind it does not serve takes
		// tasks from the other language's worker on this queue and fails
		// them (ActivityNotRegisteredError), so it polls only for its own.
		w := worker.New(c, gopeerv1.CallerTaskQueue, worker.Options{
			MaxConcurrentActivityExecutionSize: opts.ActivitySlots,
			DisableWorkflowWorker:              !opts.Caller,
			LocalActivityWorkerOnly:            !opts.XNSActivities,
		})
		if opts.Caller {
			gopeerv1.RegisterCallerWorkflows(w, CallerWorkflows{})
		}
		if opts.XNSActivities {
			target, err := clientFor(opts.TargetNamespace)
			if err != nil {
				return nil, err
			}
			gopeerv1xns.RegisterCounterActivities(w, gopeerv1.NewCounterClient(target))
		}
		if err := ws.start(w, gopeerv1.CallerTaskQueue, opts.Namespace); err != nil {
			return nil, err
		}
	}
	return ws, nil
}

func (ws *Workers) start(w worker.Worker, taskQueue, namespace string) error {
	if err := w.Start(); err != nil {
		return fmt.Errorf("starting the worker on %s in %s: %w", taskQueue, namespace, err)
	}
	ws.workers = append(ws.workers, w)
	return nil
}

// Stop stops the workers, then closes the clients.
func (ws *Workers) Stop() {
	var wg sync.WaitGroup
	for _, w := range ws.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.Stop()
		}()
	}
	wg.Wait()
	// The first client owns the connection the others share: close it last.
	for i := len(ws.clients) - 1; i >= 0; i-- {
		ws.clients[i].Close()
	}
	ws.workers, ws.clients = nil, nil
}
