"""Extraction on a Dask cluster: ``kg build --cluster ADDRESS``.

Each article is one Dask task. The rules and lexicon go to the cluster once, in a worker
plugin: every worker process (and any worker that joins or is restarted later) builds its
extractor and loads the segmenter once, in the plugin's ``setup``. Results come back in
the order the articles were sent, and the build merges them exactly as a local build does,
so kg.ttl has the same bytes. A bounded window of tasks is in flight at a time, so the
client reads sources while the workers extract, and never holds more than the window.

A worker that dies mid-task is replaced by its nanny (or not); the scheduler reruns its
tasks on the others, as every task carries its article. Dask is an optional dependency:
``pip install -e '.[cluster]'``.

    with dask_engine("tcp://10.0.0.5:8786")(extractor) as extract_map:
        for mentions, relations in extract_map(articles):  # in order
            ...
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
from collections import deque
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator

from .errors import KgError

CONNECT_TIMEOUT = 10.0  # seconds to reach the scheduler
WORKERS_TIMEOUT = 60.0  # seconds for a first worker to be there
INSTALL_HINT = "pip install -e '.[cluster]'"

try:  # the plugin must be a WorkerPlugin for Client.register_plugin
    from distributed import WorkerPlugin as _PluginBase
except ImportError:  # pragma: no cover - only without Dask; connect() says what to do
    _PluginBase = object


class ClusterError(KgError):
    """The Dask cluster cannot be reached or cannot run the extraction."""


def _distributed():
    try:
        import distributed
    except ImportError as e:
        raise ClusterError(f"--cluster needs Dask, which is not installed: {INSTALL_HINT}") from e
    logging.getLogger("distributed").setLevel(logging.WARNING)
    return distributed


# ------------------------------------------------------------------ worker side
class ExtractorPlugin(_PluginBase):
    """Carries the rules and lexicon to every worker; ``setup`` makes the worker's one
    extractor and loads its segmenter (jieba and the lexicon) before any task runs."""

    def __init__(self, rules, lexicon, code_digest: str):
        self.rules, self.lexicon, self.code_digest = rules, lexicon, code_digest
        self.extractor = None
        self.problem = None

    def setup(self, worker=None):
        from .extract import Extractor
        from .pipeline import _code_digest

        if _code_digest() != self.code_digest:
            # another kg (or jieba) on this worker would extract other things: refuse
            self.problem = (f"the worker at {getattr(worker, 'address', '?')} runs another "
                            f"version of kg or jieba than this client; install the same one")
            return
        self.extractor = Extractor(self.rules, self.lexicon)
        self.extractor.segmenter  # noqa: B018 -- loaded once, here

    def extract(self, article) -> tuple[list, list]:
        if self.extractor is None:
            raise ClusterError(self.problem or "the kg extractor plugin was not set up")
        ex = self.extractor.extract(article)
        return ex.mentions, ex.relations


def _extract_task(plugin_name: str, article) -> tuple[list, list]:
    """A Dask task: extract one article with this worker's extractor."""
    from distributed import get_worker

    plugin = get_worker().plugins.get(plugin_name)
    if plugin is None:
        raise ClusterError(f"the worker has no {plugin_name!r} plugin (was it removed "
                           f"while the build ran?)")
    return plugin.extract(article)


# ------------------------------------------------------------------ client side
def dask_engine(address: str, workers: int | None = None,
                connect_timeout: float = CONNECT_TIMEOUT) -> Callable:
    """The extraction engine of ``pipeline.build(engine=...)`` for the scheduler at
    ``address`` (``tcp://host:port``), or, for ``"local"``, a LocalCluster of ``workers``
    single-threaded processes (default: one per core). Checks that Dask is installed."""
    _distributed()
    return lambda extractor: _connected(address, extractor, workers, connect_timeout)


@contextmanager
def _connected(address: str, extractor, workers: int | None,
               connect_timeout: float) -> Iterator[Callable]:
    distributed = _distributed()
    from .pipeline import _code_digest

    cluster = None
    client = None
    name = None
    try:
        if address == "local":
            cluster = _local_cluster(distributed, workers or os.cpu_count() or 1)
            where = "the local Dask cluster"
            target = cluster
        else:
            where = f"the Dask scheduler at {address}"
            target = address
        try:
            client = distributed.Client(target, timeout=connect_timeout,
                                        set_as_default=False)
        except (OSError, TimeoutError, ValueError) as e:
            raise ClusterError(f"cannot reach {where}: {_why(e, connect_timeout)}") from e
        try:
            client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
        except (TimeoutError, OSError) as e:
            raise ClusterError(f"{where} has no worker (none joined within "
                               f"{WORKERS_TIMEOUT:g} s)") from e
        code = _code_digest()
        config = hashlib.sha256(code.encode() + extractor.rs.digest.encode()
                                + extractor.lexicon.digest.encode()).hexdigest()
        name = f"kg-extractor-{config[:16]}"
        plugin = ExtractorPlugin(extractor.rs, extractor.lexicon, code)
        try:
            client.register_plugin(plugin, name=name)
        except Exception as e:  # raised on a worker (e.g. kg is not installed there)
            raise ClusterError(f"the workers of {where} cannot load kg's extractor: "
                               f"{_first_line(e)} (is kg installed on every worker?)") from e
        window = max(16, 4 * _threads(client))
        yield lambda articles: _extract_map(client, name, articles, window, where)
    finally:
        if client is not None:
            if name is not None:
                try:
                    client.unregister_worker_plugin(name)
                except Exception:  # a scheduler gone already: nothing to clean
                    pass
            client.close(timeout=5)
        if cluster is not None:
            cluster.close(timeout=10)


def _local_cluster(distributed, n_workers: int):
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")  # the worker processes
    return distributed.LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                                    dashboard_address=":0", silence_logs=logging.WARNING)


def _threads(client) -> int:
    info = client.scheduler_info().get("workers", {})
    return sum(w.get("nthreads", 1) for w in info.values()) or 1


def _task_key(article) -> str:
    digest = hashlib.sha256(pickle.dumps(article, protocol=4)).hexdigest()
    return f"kg-extract-{digest[:32]}"


def _extract_map(client, plugin_name: str, articles: Iterable, window: int,
                 where: str) -> Iterator[tuple[list, list]]:
    """(mentions, relations) of each article, in order, with ``window`` tasks in flight."""
    from distributed.client import FutureCancelledError
    from distributed.scheduler import KilledWorker

    in_flight: deque = deque()

    def result(future, article):
        try:
            return future.result()
        except KilledWorker as e:
            raise ClusterError(f"article {article.id!r}: workers of {where} died while "
                               f"extracting it, too often to retry") from e
        except (FutureCancelledError, OSError) as e:
            raise ClusterError(f"lost {where} during the build: {_first_line(e)}") from e

    try:
        for article in articles:
            future = client.submit(_extract_task, plugin_name, article, key=_task_key(article),
                                   pure=False)
            in_flight.append((future, article))
            if len(in_flight) >= window:
                yield result(*in_flight.popleft())
        while in_flight:
            yield result(*in_flight.popleft())
    finally:
        for future, _ in in_flight:
            future.release()


def _first_line(e: BaseException) -> str:
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__


def _why(e: BaseException, timeout: float) -> str:
    text = _first_line(e)
    if isinstance(e, TimeoutError) or "timed out" in text.lower():
        return f"no answer within {timeout:g} s"
    return text
