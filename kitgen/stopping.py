"""Ctrl-C and SIGTERM: a build that is asked to stop never swaps its output in, and kitgen then ends the way
shells and CI runners expect, by the signal that stopped it ($? is 130 for Ctrl-C, 143 for SIGTERM).

Python alone gets both wrong now and then, when the signal lands while a module is being imported:
- CPython ignores an exception raised in a weakref callback, and importlib frees its module locks through one:
  the KeyboardInterrupt is printed as "Exception ignored" and lost, and the build went on to swap in its output.
  The handler here notes the request before raising, so the build's last step can still honour it.
- A KeyboardInterrupt that passed through code run from source text (exec of a string, as dataclasses make
  their methods while a module imports) marks the interpreter, which then ends by SIGINT at exit even after
  kitgen handled it and asked for status 130 (status -2 in 3 of 120 interrupted builds on a loaded machine).
  Ending by the signal on purpose makes that the one outcome, and the conventional one: a shell running kitgen
  in a loop stops the loop on Ctrl-C only when kitgen ends by SIGINT.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from types import FrameType

_asked: int | None = None  # the signal that asked this process to stop, once one has


def listen() -> None:
    """SIGTERM, and SIGINT unless whoever started kitgen ignores it (a job started in the background), raise
    KeyboardInterrupt, and are noted."""
    global _asked
    _asked = None
    signal.signal(signal.SIGTERM, _note)
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        signal.signal(signal.SIGINT, _note)


def _note(signum: int, frame: FrameType | None) -> NoReturn:
    global _asked
    _asked = signum
    raise KeyboardInterrupt


def honour() -> None:
    """Raise KeyboardInterrupt if a stop was asked for, even one whose exception Python lost."""
    if _asked is not None:
        raise KeyboardInterrupt


def leave() -> NoReturn:
    """End this process by the signal that stopped it, once everything is cleaned up and said."""
    sig = _asked or signal.SIGINT
    sys.stdout.flush()
    sys.stderr.flush()
    signal.signal(sig, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {sig})
    os.kill(os.getpid(), sig)
    sys.exit(128 + sig)  # not reached: the signal ends the process before kill returns
