"""Python SDK client of `worker.v1.Counter.Count`, a workflow hosted by a
Rust worker built from the generated traits (tests/interop_python_client.rs).

Usage:
    PYTHONPATH=<generated protos> python tests/python/counter_client.py \
        --address HOST:PORT --namespace NS --task-queue TQ --id ID

Starts Count, signals Add and AddLater, queries Total, runs the Set update
(once rejected by the Rust validator), signals Finish and reads the result.
Prints what it saw as one JSON object; exits non-zero on any mismatch.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys

from temporalio.client import Client, WorkflowUpdateFailedError

from worker.v1.worker_pb2 import (
    AddInput,
    CountInput,
    CountResult,
    SetInput,
    TotalResult,
)

PREFIX = "worker.v1.Counter."
BIG = 1 << 40


async def wait_for_total(handle, want: int) -> None:
    last = None
    for _ in range(200):
        total = await handle.query(PREFIX + "Total", result_type=TotalResult)
        if total.total == want:
            return
        last = total.total
        await asyncio.sleep(0.05)
    raise AssertionError(f"total stayed at {last}, expected {want}")


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--address", required=True)
    parser.add_argument("--namespace", required=True)
    parser.add_argument("--task-queue", required=True)
    parser.add_argument("--id", required=True)
    args = parser.parse_args()

    client = await Client.connect(args.address, namespace=args.namespace)
    handle = await client.start_workflow(
        PREFIX + "Count",
        CountInput(start=BIG, rounds=0),
        id=args.id,
        task_queue=args.task_queue,
        result_type=CountResult,
    )
    seen: dict[str, object] = {}

    await handle.signal(PREFIX + "Add", AddInput(amount=2))
    await wait_for_total(handle, BIG + 2)
    await handle.signal(PREFIX + "AddLater", AddInput(amount=3))
    await wait_for_total(handle, BIG + 5)
    seen["total_after_signals"] = str(BIG + 5)

    try:
        await handle.execute_update(
            PREFIX + "Set", SetInput(total=-1), result_type=TotalResult
        )
        raise AssertionError("the Rust validator accepted a negative total")
    except WorkflowUpdateFailedError as err:
        cause = err.cause
        message = getattr(cause, "message", str(cause))
        if "must not be negative" not in message:
            raise AssertionError(f"unexpected rejection: {message!r}") from err
        seen["rejected"] = message

    updated = await handle.execute_update(
        PREFIX + "Set", SetInput(total=7), result_type=TotalResult
    )
    assert updated.total == 7, updated
    seen["updated"] = updated.total

    await handle.signal(PREFIX + "Finish")
    result = await handle.result()
    assert isinstance(result, CountResult), type(result)
    assert result.total == 7 and result.runs == 1, result
    seen["result"] = {"total": result.total, "runs": result.runs}

    print(json.dumps(seen), flush=True)
    return 0


if __name__ == "__main__":
    code = asyncio.run(main())
    sys.stdout.flush()
    sys.stderr.flush()
    # The SDK's native runtime threads can abort interpreter finalization
    # (PyGILState_Release while finalizing); the work is done, so skip it.
    os._exit(code)
