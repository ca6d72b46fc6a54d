"""Drives `interop.v1.Interop.Tally` from the Python SDK, for checking the
Python worker (tests/python/interop_worker.py) by hand.

Usage:
    PYTHONPATH=<generated protos> python tests/python/smoke_client.py \
        --address HOST:PORT --namespace NS [--task-queue TQ] [--id ID]

Starts Tally, signals Add, runs Bump (and a rejected Bump), queries Total,
signals Finish, checks the result and prints it as JSON. Exits non-zero on a
mismatch.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import uuid

from google.protobuf import json_format
from temporalio.client import Client, WorkflowUpdateFailedError

from interop.v1.interop_pb2 import (
    COLOR_BLUE,
    COLOR_RED,
    AddInput,
    Owner,
    TallyInput,
    TallyResult,
)

PREFIX = "interop.v1.Interop."


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--address", required=True)
    parser.add_argument("--namespace", required=True)
    parser.add_argument("--task-queue", default="interop")
    parser.add_argument("--id", default=f"tally/smoke-{uuid.uuid4().hex[:8]}")
    args = parser.parse_args()

    client = await Client.connect(args.address, namespace=args.namespace)
    owner = Owner(name="ada", tags=["x", "y"])
    handle = await client.start_workflow(
        PREFIX + "Tally",
        TallyInput(name="smoke", start=5, color=COLOR_RED, owner=owner),
        id=args.id,
        task_queue=args.task_queue,
        result_type=TallyResult,
    )
    big = 1 << 40  # beyond 32 bits, and beyond what a JSON double loses nothing on
    await handle.signal(PREFIX + "Add", AddInput(amount=big, color=COLOR_BLUE))
    bumped = await handle.execute_update(
        PREFIX + "Bump", AddInput(amount=3, color=COLOR_RED), result_type=TallyResult
    )
    rejected = False
    try:
        await handle.execute_update(
            PREFIX + "Bump", AddInput(amount=-1), result_type=TallyResult
        )
    except WorkflowUpdateFailedError as err:
        rejected = True
        print(f"negative Bump rejected: {err.cause}", file=sys.stderr)
    total = await handle.query(PREFIX + "Total", result_type=TallyResult)
    await handle.signal(PREFIX + "Finish")
    result = await handle.result()

    expected = TallyResult(
        name="smoke", total=5 + big + 3, last_color=COLOR_RED, owner=owner, adds=2
    )
    print(json_format.MessageToJson(result))
    ok = rejected and bumped == expected and total == expected and result == expected
    if not ok:
        print(
            f"MISMATCH rejected={rejected}\nbumped={bumped}\ntotal={total}\n"
            f"result={result}\nexpected={expected}",
            file=sys.stderr,
        )
        return 1
    print(f"OK workflow_id={args.id}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    code = asyncio.run(main())
    sys.stdout.flush()
    sys.stderr.flush()
    # The SDK's native runtime threads can abort interpreter finalization
    # (PyGILState_Release while finalizing); the work is done, so skip it.
    os._exit(code)
