"""What the build's child processes share: how they are started, and that they die with their parent.

A build forks a validator process first (see ``validation``), then the workers that read the
documents (see ``collect``), and the validator may fork a helper. Each of them asks the kernel
(Linux) to kill it when the process that started it dies, so a build that is killed, or a
validator that dies while its helper works, leaves no process behind to hold its pipes open.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
import sys

log = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def fork_context():
    """The fork start method where there is one (children inherit what this process has loaded),
    else the platform's default."""
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def die_with_parent(parent_pid: int) -> None:
    """Run first in a child process: be killed when the process ``parent_pid`` (which started this
    one) dies. Linux only; elsewhere a child outlives a parent that is killed."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL) != 0:
                log.warning("this process will outlive its parent: prctl failed (errno %d)", ctypes.get_errno())
        except (OSError, AttributeError) as exc:
            log.warning("this process will outlive its parent: %s", exc)
    if os.getppid() != parent_pid:  # the parent died before the kernel was asked
        os._exit(1)
