"""Child processes with wall time and peak memory (standard library only).

`run_measured` starts a command in its own session, reaps it with os.wait4, which returns THAT
child's rusage (getrusage(RUSAGE_CHILDREN).ru_maxrss would be the maximum over every child
reaped so far), and on timeout kills only the process group it created.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass


@dataclass
class Measured:
    argv: list
    returncode: int
    seconds: float          # wall time from spawn to exit
    maxrss_kib: int         # the child's peak resident set (Linux reports KiB)
    stdout: str
    stderr: str
    timed_out: bool = False


def run_measured(argv: list, env: dict | None = None, timeout: float | None = None,
                 cwd: str | None = None) -> Measured:
    """Run argv to completion; `timed_out` is set if it was killed at `timeout` seconds."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(argv, env=env, cwd=cwd, stdout=out, stderr=err,
                                 stdin=subprocess.DEVNULL, start_new_session=True)
        fired = threading.Event()

        def kill() -> None:
            fired.set()
            try:
                os.killpg(child.pid, signal.SIGKILL)  # only the group this call created
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill) if timeout else None
        if timer is not None:
            timer.daemon = True
            timer.start()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        if timer is not None:
            timer.cancel()
        child.returncode = os.waitstatus_to_exitcode(status)  # Popen must not wait again
        out.seek(0)
        err.seek(0)
        return Measured(list(argv), child.returncode, seconds, usage.ru_maxrss,
                        out.read().decode("utf-8", "replace"),
                        err.read().decode("utf-8", "replace"), fired.is_set())
