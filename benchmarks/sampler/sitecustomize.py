"""A small sampling profiler for the gunicorn workers of ``benchmarks/load.py --sample DIR``
(py-spy is not installed here). Python imports this file at start when its folder is on
PYTHONPATH; with ``SAMPLE_DIR`` set, every forked worker then runs a thread that looks at the
stacks of its other threads every 5 ms and counts, per wall-clock second, the functions of this
project (and the innermost function) of the threads that are not waiting. Every 2 s it writes
``SAMPLE_DIR/<pid>.json``: {second: {function: samples}}; ``benchmarks/samples.py`` reads it."""

import os

IDLE = {
    "select", "wait", "accept", "sleep", "recv_into", "readinto", "poll", "get", "acquire",
    "_wait_for_tstate_lock", "_recv", "_sleep", "_watch", "_yield_to_requests", "handle_request",
}  # fmt: skip


def _sampler(folder: str) -> None:
    import collections
    import json
    import sys
    import threading
    import time

    me, buckets, last = threading.get_ident(), collections.defaultdict(collections.Counter), 0.0
    while True:
        time.sleep(0.005)
        now = time.time()
        counts = buckets[int(now)]
        for tid, frame in sys._current_frames().items():
            if tid != me and frame.f_code.co_name not in IDLE:
                counts["#busy"] += 1
                counts.update(_functions(frame))
        if now - last > 2:
            last = now
            target = os.path.join(folder, f"{os.getpid()}.json")
            with open(target + ".tmp", "w") as out:  # whole or not at all: a worker stopped
                json.dump({k: dict(v) for k, v in buckets.items()}, out)  # while writing
            os.replace(target + ".tmp", target)  # left a cut file the reader could not read


def _functions(frame) -> set:
    names, leaf = set(), True
    while frame is not None:
        path = frame.f_code.co_filename
        if leaf or "/dashboard/" in path or "/indicators/" in path or "/geodata/" in path:
            name = "/".join(path.split("/")[-2:]) + ":" + frame.f_code.co_name
            names.add(("self " if leaf else "") + name)
        leaf, frame = False, frame.f_back
    return names


if os.environ.get("SAMPLE_DIR"):
    import threading

    os.register_at_fork(
        after_in_child=lambda: threading.Thread(
            target=_sampler, args=(os.environ["SAMPLE_DIR"],), daemon=True
        ).start()
    )
