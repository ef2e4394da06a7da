"""The output folder of a build: its files appear together or not at all.

A build writes ``kg.ttl``, ``graph.html``, ``articles/`` and ``assets/`` into a fresh hidden
folder inside the output folder (``.kg-build-*``), then swaps them in with a few
renames, signals held off meanwhile. The staging folder gets a manifest before the
swap, so a build killed during it (SIGKILL, power loss) is finished by the next
build; a build that fails or is killed earlier leaves the previous outputs whole.
Outputs of an earlier build that this one does not write (the pages, with
``--no-pages``; pages of articles no longer in the sources) are removed.

One build at a time per folder: the folder itself is locked (``fcntl.flock`` on
it, so no lock file is left behind) for the whole build, and a second build into
the folder fails at once with a clear error.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from .errors import OutputError

OUTPUTS = ("kg.ttl", "graph.html", "articles", "assets")  # what a build owns in its folder
STAGING = ".kg-build-"
MANIFEST = ".complete"  # in a staging folder: the outputs it holds, one per line
_HELD = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}


@contextmanager
def locked(out_dir: Path) -> Iterator[None]:
    """Hold the folder's lock for the block. A folder created for it (and its created
    parents) is removed again if the block fails and left it empty."""
    import fcntl

    missing = [p for p in [out_dir, *out_dir.parents] if not p.exists()]
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(out_dir, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as e:
        raise OutputError(f"cannot write to {out_dir}: {e.strerror or e}") from e
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(f"{out_dir} is in use by another kg build; "
                              "wait for it to end") from None
        yield
    except BaseException:
        for folder in missing:  # deepest first
            try:
                folder.rmdir()
            except OSError:
                break
        raise
    finally:
        os.close(fd)  # releases the lock


def tidy(out_dir: Path, warn: Callable[[str], None] = lambda m: None) -> None:
    """Under the lock: finish a swap a killed build began, remove what killed builds
    left (staging folders, temporary files of the outputs)."""
    if not out_dir.is_dir():
        return
    for staging in sorted(out_dir.glob(STAGING + "*")):
        if (staging / MANIFEST).is_file():
            warn(f"finishing the swap of outputs a killed build began ({staging.name})")
            _swap(staging, out_dir)
        else:
            shutil.rmtree(staging, ignore_errors=True)
    for folder in (out_dir, out_dir / "articles", out_dir / "assets"):
        if folder.is_dir():
            for tmp in folder.glob(".*.tmp"):
                if tmp.is_file() and not tmp.is_symlink():
                    tmp.unlink(missing_ok=True)


@contextmanager
def staged(out_dir: Path) -> Iterator[Path]:
    """A fresh folder to write the outputs into; swapped in if the block succeeds,
    removed if it fails."""
    try:
        staging = Path(tempfile.mkdtemp(prefix=STAGING, dir=out_dir))
    except OSError as e:
        raise OutputError(f"cannot write to {out_dir}: {e.strerror or e}") from e
    try:
        try:
            yield staging
        except OutputError as e:  # name the output the user knows, not the staging folder
            raise OutputError(str(e).replace(str(staging), str(out_dir))) from e
        made = [name for name in OUTPUTS if os.path.lexists(staging / name)]
        try:
            (staging / MANIFEST).write_text("".join(f"{n}\n" for n in made), encoding="utf-8")
        except OSError as e:
            raise OutputError(f"cannot write to {out_dir}: {e.strerror or e}") from e
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap(staging, out_dir)


def _swap(staging: Path, out_dir: Path) -> None:
    """Move the outputs listed in the manifest in, and the earlier build's others out.
    Idempotent: a swap cut short is finished by running it again."""
    made = set((staging / MANIFEST).read_text(encoding="utf-8").split())
    old = staging / ".old"
    old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        old.mkdir(exist_ok=True)
        for name in OUTPUTS:
            new, current = staging / name, out_dir / name
            if name in made and not os.path.lexists(new):
                continue  # moved in already
            if os.path.lexists(current):
                _rename(current, old / name)
            if name in made:
                _rename(new, current)
        (staging / MANIFEST).unlink()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)
    shutil.rmtree(staging, ignore_errors=True)


def _rename(src: Path, dst: Path) -> None:
    if os.path.lexists(dst):  # left by a swap cut short
        shutil.rmtree(dst) if dst.is_dir() and not dst.is_symlink() else dst.unlink()
    try:
        os.rename(src, dst)
    except OSError as e:
        raise OutputError(f"cannot move {src} to {dst}: {e.strerror or e}") from e
