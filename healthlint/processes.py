"""What healthlint's child processes (lint workers, the LanguageTool server) share."""
from __future__ import annotations

import signal
import sys


def die_with_parent() -> None:
    """In a child process: on Linux, ask the kernel to send it SIGTERM when the process that
    started it ends, even by SIGKILL (when atexit and signal handlers never run). Elsewhere
    children are stopped by healthlint's exit handlers only."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)   # 1: PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
