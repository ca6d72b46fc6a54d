"""Python SDK peer for the interop tests: implements `interop.v1.Interop.Tally`.

Usage:
    python tests/python/interop_worker.py --address HOST:PORT --namespace NS \
        --task-queue TQ

`PYTHONPATH` must contain the output of
`protoc -I proto -I tests/protos --python_out=DIR interop/v1/interop.proto
temporal/v1/temporal.proto` (see `generate_python_protos` in
tests/src/python.rs, which also writes the `temporal.api` shims).

The worker uses the SDK's default data converter, so protobuf messages travel
as `json/protobuf` payloads with a `messageType` metadata entry.

Prints `READY` on stdout once the worker is polling. Exits when its stdin
reaches EOF, so that it never outlives the test process that started it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import threading
from typing import Optional

from google.protobuf.empty_pb2 import Empty
from temporalio import workflow
from temporalio.client import Client
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

from interop.v1.interop_pb2 import AddInput, TallyInput, TallyResult

PREFIX = "interop.v1.Interop."


@workflow.defn(name=PREFIX + "Tally")
class Tally:
    """Keeps a running total until it receives `Finish`."""

    # `workflow.init`: the state must exist before any handler runs. Signals
    # delivered with the start (or before the first task) run before `run`.
    @workflow.init
    def __init__(self, input: TallyInput) -> None:
        self._result = TallyResult(
            name=input.name, total=input.start, last_color=input.color
        )
        if input.HasField("owner"):
            self._result.owner.CopyFrom(input.owner)
        self._finished = False

    @workflow.run
    async def run(self, input: TallyInput) -> TallyResult:
        await workflow.wait_condition(
            lambda: self._finished and workflow.all_handlers_finished()
        )
        return self._result

    def _add(self, input: AddInput) -> None:
        self._result.total += input.amount
        self._result.last_color = input.color
        self._result.adds += 1

    @workflow.query(name=PREFIX + "Total")
    def total(self, _empty: Optional[Empty] = None) -> TallyResult:
        return self._result

    @workflow.signal(name=PREFIX + "Add")
    def add(self, input: AddInput) -> None:
        self._add(input)

    @workflow.update(name=PREFIX + "Bump")
    def bump(self, input: AddInput) -> TallyResult:
        self._add(input)
        return self._result

    @bump.validator
    def validate_bump(self, input: AddInput) -> None:
        if input.amount < 0:
            raise ValueError(f"amount must not be negative, got {input.amount}")

    @workflow.signal(name=PREFIX + "Finish")
    def finish(self, _empty: Optional[Empty] = None) -> None:
        self._finished = True


def _exit_on_stdin_eof() -> None:
    """Exit the process once stdin is closed (the parent died or let go)."""
    try:
        while sys.stdin.buffer.read(4096):
            pass
    except Exception:
        pass
    os._exit(0)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--address", required=True)
    parser.add_argument("--namespace", required=True)
    parser.add_argument("--task-queue", default="interop")
    parser.add_argument(
        "--no-stdin-watchdog",
        action="store_true",
        help="do not exit when stdin reaches EOF (for running by hand)",
    )
    args = parser.parse_args()
    if not args.no_stdin_watchdog:
        threading.Thread(target=_exit_on_stdin_eof, daemon=True).start()

    client = await Client.connect(args.address, namespace=args.namespace)
    async with Worker(
        client,
        task_queue=args.task_queue,
        workflows=[Tally],
        # The workflow lives in `__main__`, which the sandbox cannot re-import.
        workflow_runner=UnsandboxedWorkflowRunner(),
    ):
        print("READY", flush=True)
        await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
