"""The output folder of a build: its files appear together or not at all.

A build writes ``kg.ttl``, ``graph.html``, ``articles/`` and ``assets/`` into a fresh hidden
folder inside the output folder (``.kg-build-*``), then swaps them in with a few
renames, signals held off meanwhile. The staging folder gets a manifest before the
swap, so a build killed during it (SIGKILL, power loss) is finished by the next
build; a build that fails or is killed earlier leaves the previous outputs whole. A
swap that fails (a rename refused: an immutable or read-only folder) moves back what
it had moved, so that fails as a whole too.
Outputs of an earlier build that this one does not write (the pages, with
``--no-pages``; pages of articles no longer in the sources) are removed.

A build replaces ``articles/`` and ``assets/`` whole, so it first makes sure that it
would remove only files a kg build wrote: each build lists its files in ``.kg-outputs``
(swapped in with them), and a file there that the list lacks (a user's notes, the
sources themselves) stops the build before it extracts anything, and again just before
the swap. A folder of an older kg has no list: there, only the pages its ``graph.html``
links and the asset names kg writes are taken as kg's.

One build at a time per folder: the folder itself is locked (``fcntl.flock`` on
it, so no lock file is left behind) for the whole build, and a second build into
the folder fails at once with a clear error.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from .errors import OutputError

OWNED = ".kg-outputs"  # in an output folder: the files its build wrote, one per line
# What a build owns in its folder, in the order swapped: the list last, so that until a swap
# ends the folder's list is still the one of the outputs being moved out.
OUTPUTS = ("kg.ttl", "graph.html", "articles", "assets", OWNED)
STAGING = ".kg-build-"
MANIFEST = ".complete"  # in a staging folder: the outputs it holds, one per line
_OWNED_HEADER = ("# The files kg build wrote in this folder: the next build replaces or removes "
                 "them, and refuses to touch articles/ or assets/ if they hold any other.\n")
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
                    try:
                        tmp.unlink(missing_ok=True)
                    except OSError:
                        pass  # a folder that cannot be changed: the swap will say so


def refuse_foreign(out_dir: Path, names=OUTPUTS[:-1]) -> None:
    """Fail (OutputError, nothing changed) if an output of ``names`` in ``out_dir`` holds
    a file no kg build wrote: a build replaces or removes them whole."""
    found = foreign(out_dir, names)
    if not found:
        return
    first = found[0]
    more = f" (and {len(found) - 1} more file{'s' if len(found) > 2 else ''})" if found[1:] else ""
    places = [f"{out_dir / top}/" if (out_dir / top).is_dir() and any(
        f != top for f in found if f.split("/")[0] == top) else str(out_dir / top)
        for top in dict.fromkeys(f.split("/")[0] for f in found)]
    whole = " as a whole" if any(p.endswith("/") for p in places) else ""
    raise OutputError(f"{out_dir}/{first}{more} was not written by kg build, which replaces "
                      f"{' and '.join(places)}{whole}: move such files out of "
                      f"{'it' if len(places) == 1 else 'them'}, or choose another --out")


def foreign(out_dir: Path, names=OUTPUTS[:-1]) -> list[str]:
    """The paths (relative to ``out_dir``; a folder's with a trailing '/') in the outputs
    ``names`` that no kg build wrote: not in the folder's list of its build's files (or,
    in a folder of an older kg without one, not a name that kg writes)."""
    ours = owned(out_dir)
    found = []
    for name in names:
        path = out_dir / name
        if not os.path.lexists(path):
            continue
        if name in ("articles", "assets") and path.is_dir() and not path.is_symlink():
            for entry in sorted(os.scandir(path), key=lambda e: e.name):
                rel = f"{name}/{entry.name}"
                if entry.is_dir(follow_symlinks=False):
                    found.append(rel + "/")
                elif not entry.is_file(follow_symlinks=False) or rel not in ours:
                    found.append(rel)
        elif not (path.is_file() and not path.is_symlink() and name in ours):
            found.append(name)
    return found


def owned(out_dir: Path) -> set[str]:
    """The files of ``out_dir`` a kg build wrote, as its list says. A folder without the
    list (written by an older kg): kg.ttl, graph.html, the asset names kg writes and the
    pages that graph.html links."""
    listed = out_dir / OWNED
    if os.path.lexists(listed):
        try:
            if listed.is_symlink() or not listed.is_file():
                return set()
            lines = listed.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return set()  # unreadable: nothing counts as kg's
        return {line for line in lines if line and not line.startswith("#")}
    from .pages import ASSETS

    ours = {"kg.ttl", "graph.html", *(f"assets/{name}" for name in ASSETS)}
    graph = out_dir / "graph.html"
    if graph.is_file() and not graph.is_symlink():
        try:
            text = graph.read_text(encoding="utf-8", errors="replace")
        except OSError:
            text = ""
        ours.update(re.findall(r'href="(articles/[A-Za-z0-9_.-]+\.html)"', text))
    return ours


def _list_owned(staging: Path, made: list[str]) -> None:
    """Write the list of the files of the outputs ``made`` in ``staging``."""
    names = []
    for name in made:
        path = staging / name
        if path.is_dir():
            names += [f"{name}/{p.name}" for p in path.iterdir() if p.is_file()]
        else:
            names.append(name)
    (staging / OWNED).write_text(_OWNED_HEADER + "".join(f"{n}\n" for n in sorted(names)),
                                 encoding="utf-8")


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
        made = [name for name in OUTPUTS[:-1] if os.path.lexists(staging / name)]
        try:
            _list_owned(staging, made)
            made.append(OWNED)
            (staging / MANIFEST).write_text("".join(f"{n}\n" for n in made), encoding="utf-8")
        except OSError as e:
            raise OutputError(f"cannot write to {out_dir}: {e.strerror or e}") from e
        _swap(staging, out_dir)
    except _Mixed:
        raise  # the staging folder is kept: the next build finishes the swap
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


class _Mixed(OutputError):
    """A swap failed and could not be undone: the folder holds outputs of two builds."""


def _swap(staging: Path, out_dir: Path) -> None:
    """Move the outputs listed in the manifest in, and the earlier build's others out.
    Idempotent: a swap cut short is finished by running it again. Refuses (nothing
    moved) if an output to move out holds a file no kg build wrote; a rename that fails
    midway is undone (OutputError; _Mixed if undoing fails too, the staging folder kept)."""
    made = set((staging / MANIFEST).read_text(encoding="utf-8").split())
    old = staging / ".old"
    refuse_foreign(out_dir, [name for name in OUTPUTS[:-1]
                             if not (name in made and not os.path.lexists(staging / name))])
    old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        name = ""
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
        except OSError as e:
            cause = f"cannot replace {out_dir / name}: {e.strerror or e}"
            try:
                _undo(staging, out_dir, made)
            except OSError as undo:
                raise _Mixed(
                    f"{cause}; putting the previous outputs back failed too "
                    f"({undo.filename}: {undo.strerror or undo}), so {out_dir} holds some new "
                    f"outputs and some previous ones: remove the cause and run kg build into "
                    f"it again, which finishes this swap first") from e
            shutil.rmtree(staging, ignore_errors=True)
            raise OutputError(f"{cause}; {out_dir} keeps the previous outputs") from e
        (staging / MANIFEST).unlink()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)
    shutil.rmtree(staging, ignore_errors=True)


def _undo(staging: Path, out_dir: Path, made: set[str]) -> None:
    """Put back what a swap cut short had moved, from the state of the folders alone (so
    a killed undo leaves a state the swap finishes). Raises OSError."""
    old = staging / ".old"
    for name in reversed(OUTPUTS):
        new, current, previous = staging / name, out_dir / name, old / name
        if name in made and not os.path.lexists(new) and os.path.lexists(current):
            os.rename(current, new)
        if os.path.lexists(previous) and not os.path.lexists(current):
            os.rename(previous, current)


def _rename(src: Path, dst: Path) -> None:
    """Rename, replacing what a swap cut short left at ``dst``. Raises OSError."""
    if os.path.lexists(dst):  # left by a swap cut short
        shutil.rmtree(dst) if dst.is_dir() and not dst.is_symlink() else dst.unlink()
    os.rename(src, dst)
