"""Child processes: bounded in time, stopped by Ctrl-C, and never outliving kg."""

from __future__ import annotations

import os
import signal
import time
from typing import Callable

PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Linux: have this (forked) process killed when its parent dies, so a worker of
    a SIGKILLed build never writes to a closed pipe (nor prints a traceback about it)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the parent's exit ends the pool anyway
        pass


class Timeout(Exception):
    """The child ran out of time (and was killed)."""


class ChildFailed(Exception):
    """The child ended without saying why (killed, or crashed)."""


def run_in_child(target: Callable, args: tuple, on_chunk: Callable[[bytes], None],
                 timeout: float | None) -> None:
    """Run ``target(send, *args)`` in a forked child; ``send(kind, data)`` passes
    byte chunks to the parent as they come: ``on_chunk`` gets the data of kind
    ``b"o"``; kind ``b"e"`` ends with ``RuntimeError(message)``. After ``timeout``
    seconds (None: no limit), on Ctrl-C or on any error of ``on_chunk``, the child
    is killed."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    reader, writer = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child_main, args=(writer, target, args), daemon=True)
    child.start()
    writer.close()
    deadline = None if not timeout else time.monotonic() + timeout
    try:
        while True:
            wait = 0.5 if deadline is None else min(0.5, deadline - time.monotonic())
            if wait <= 0:
                raise Timeout()
            if not reader.poll(wait):
                continue
            try:
                msg = reader.recv_bytes()
            except (EOFError, OSError):
                child.join(1)
                raise ChildFailed(f"exit code {child.exitcode}") from None
            kind, data = msg[:1], msg[1:]
            if kind == b"o":
                on_chunk(data)
            elif kind == b"e":
                raise RuntimeError(data.decode("utf-8", "replace"))
            else:  # b"d": done
                break
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        reader.close()


def _child_main(writer, target, args) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; it kills us
    die_with_parent()

    def send(kind: bytes, data: bytes = b"") -> None:
        writer.send_bytes(kind + data)

    try:
        target(send, *args)
        send(b"d")
    except BaseException as e:  # noqa: BLE001 -- reported to the parent as one line
        try:
            send(b"e", (" ".join(str(e).split()) or type(e).__name__).encode("utf-8"))
        except OSError:
            pass
    finally:
        writer.close()
        os._exit(0)
