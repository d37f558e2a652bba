"""clout: find who really moves a social network and what happens when they talk.

Read an exported follower graph, score every account, simulate word-of-mouth reach with
backfire, and choose whom to pay -- the same engine, conventions and defaults as the ``clout``
command line. Arcs point the way influence flows: read as ``edges="follows"`` (the default), a
line ``A B`` means A follows B, so B's posts reach A.

>>> import clout
>>> g = clout.read("datasets/wiki-vote/Wiki-Vote.txt")          # doctest: +SKIP
>>> g.rank(by=["pagerank", "coreness"], top=5)                    # doctest: +SKIP
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Sequence

import numpy as np

from ._clout import CloutError, ReadError, SnapshotError, __version__
from ._clout import Graph as _NativeGraph
from ._clout import ranks as _ranks
from ._clout import read as _read
from ._clout import learn as _learn
from ._clout import validate as _validate

__all__ = ["Graph", "read", "learn", "validate", "CloutError", "ReadError", "SnapshotError", "Simulation",
           "Choice", "Learned", "Validation", "__version__"]

_SCORES = {
    "pagerank": lambda g, kw: g.pagerank(**kw),
    "betweenness": lambda g, kw: g.betweenness(**kw),
    "coreness": lambda g, kw: g.coreness(**kw),
    "harmonic": lambda g, kw: g.harmonic(**kw),
    "ci": lambda g, kw: g.collective_influence(**kw),
}


def _frame(columns: dict[str, np.ndarray], index: Sequence[Any], index_name: str = "id"):
    """A pandas DataFrame when pandas is installed, else the dict of numpy arrays (with the ids
    under ``index_name``)."""
    try:
        import pandas as pd
    except ImportError:
        out = {index_name: np.asarray(index)}
        out.update(columns)
        return out
    frame = pd.DataFrame(columns, index=pd.Index(index, name=index_name))
    return frame


class Simulation:
    """The result of :meth:`Graph.simulate`: the same fields as ``clout simulate --json``.

    ``estimates`` is a DataFrame (one row per quality and metric: mean, standard error, 95% CI,
    quantiles); ``curve`` the per-round new positive / negative activations; ``per_account``
    (when asked) a DataFrame indexed by original id with the chance of being reached, of ending
    positive, of ending negative, and the mean activation round. ``raw`` is the full dict.
    """

    def __init__(self, raw: dict, per_account: list[dict], ids: Sequence[Any]):
        self.raw = raw
        self.trials = raw["trials"]
        self.model = raw["model"]
        rows, index = [], []
        for result in raw["results"]:
            metrics = [(m, result.get(m)) for m in ("positive", "negative", "net", "total", "awareness",
                                                    "backfire_risk", "conversions", "sales", "revenue")]
            # With a target audience: the same metrics in target weight, named "target_<metric>".
            target = result.get("target") or {}
            metrics += [(f"target_{m}", target.get(m)) for m in ("positive", "negative", "net", "total",
                                                                  "awareness", "backfire_risk")]
            for metric, est in metrics:
                if est is None:
                    continue
                rows.append({k: (np.nan if v is None else v) for k, v in est.items()})
                index.append((result["quality"], metric))
        try:
            import pandas as pd

            self.estimates = pd.DataFrame(rows, index=pd.MultiIndex.from_tuples(index, names=["quality", "metric"]))
            curve = [
                {"quality": r["quality"], "round": s["step"],
                 "new_positive": s["new_positive"]["mean"], "new_negative": s["new_negative"]["mean"]}
                for r in raw["results"] for s in r["steps"]
            ]
            self.curve = pd.DataFrame(curve)
        except ImportError:
            self.estimates = dict(zip(index, rows))
            self.curve = [r["steps"] for r in raw["results"]]
        self.per_account = None
        if per_account:
            # The outcomes, then the account's target weight, purchase probability and sale
            # value when the run had them.
            columns = [k for k in ("reached", "positive", "negative", "mean_round", "target_weight",
                                   "purchase_probability", "sale_value") if k in per_account[0]]
            self.per_account = _frame({k: per_account[0][k] for k in columns}, ids)
            self.per_account_by_quality = {
                d["quality"]: _frame({k: d[k] for k in columns}, ids) for d in per_account
            }

    def mean(self, metric: str = "total", quality: float | None = None) -> float:
        """The mean of ``metric`` at ``quality`` (the first quality when None); ``"target_total"``
        and the other ``target_`` metrics read the target audience's numbers."""
        results = self.raw["results"]
        result = results[0] if quality is None else next(r for r in results if r["quality"] == quality)
        if metric.startswith("target_"):
            return result["target"][metric[len("target_"):]]["mean"]
        return result[metric]["mean"]

    def __repr__(self) -> str:
        return f"<clout.Simulation: {self.model}, {self.trials} trials, total reach {self.mean():.4g}>"


class Choice:
    """The result of :meth:`Graph.select`: the same fields as ``clout select --json``.

    ``seeds`` (original ids, in the order chosen), ``gains`` (each seed's marginal gain as the
    method estimated it), ``guarantee`` (what the method promises, in words), ``prefixes`` (a
    DataFrame: the reach of the first 1, 2, ... seeds re-estimated on an independent stream),
    ``comparison`` (a DataFrame: the chosen set and every baseline on the same trials: positive,
    negative and total reach with 95% intervals) and ``raw`` (the full dict).
    """

    def __init__(self, raw: dict):
        self.raw = raw
        self.seeds = raw["seeds"]
        self.method = raw["method"]
        self.gains = [row["gain_method"] for row in raw["rows"]]
        self.guarantee = raw["selection"]["guarantee"]["statement"]
        self.objective = raw.get("objective", "reach")
        suffixes = (("", "mean"), ("_ci95_low", "ci95_low"), ("_ci95_high", "ci95_high"))
        metrics = ("positive", "negative", "total")

        def columns(e: dict) -> dict:
            # Reach, then (with an objective other than reach) the same in its weight.
            out = {f"{m}{suffix}": (e.get(m) or {}).get(key, np.nan) for m in metrics for suffix, key in suffixes}
            if e.get("target") is not None:
                out.update({f"target_{m}{suffix}": e["target"][m][key] for m in metrics for suffix, key in suffixes})
            return out

        prefixes = []
        for row in raw["rows"]:
            e = row.get("evaluated")
            if e is not None:
                prefixes.append({"size": e["size"], "id": row["id"], "gain": e["gain"],
                                 "gain_std_error": e["gain_std_error"], **columns(e)})
        sets = []
        if prefixes:
            last = raw["rows"][-1]["evaluated"]
            sets.append({"method": self.method, "seeds": self.seeds, "note": None, **columns(last)})
        for c in raw["compare"]:
            sets.append({"method": c["method"], "seeds": c["seeds"], "note": c["note"], **columns(c)})
        try:
            import pandas as pd

            self.prefixes = pd.DataFrame(prefixes).set_index("size") if prefixes else pd.DataFrame()
            self.comparison = pd.DataFrame(sets).set_index("method") if sets else pd.DataFrame()
        except ImportError:
            self.prefixes, self.comparison = prefixes, sets

    def __repr__(self) -> str:
        return f"<clout.Choice: {self.method} chose {self.seeds}>"


class Graph:
    """A graph with its accounts' original ids; arcs point the way influence flows.

    Build one with :func:`read` (snapshot or edge list) or :meth:`Graph.from_edges` (arrays of
    ids, e.g. pandas columns). Score accounts (:meth:`pagerank`, :meth:`betweenness`,
    :meth:`coreness`, :meth:`harmonic`, :meth:`collective_influence`, :meth:`degrees`,
    :meth:`rank`), simulate campaigns (:meth:`simulate`), choose seeds (:meth:`select`) and
    write the HTML report (:meth:`report`). Score arrays are indexed like :attr:`ids`.
    """

    def __init__(self, native: _NativeGraph):
        self._g = native

    @staticmethod
    def from_edges(src, dst, weight=None, sign=None, nodes=None, edges: str = "influence",
                   undirected: bool = False, self_loops: str = "drop", duplicates: str = "sum") -> "Graph":
        """A graph from parallel sequences of original ids (ints or strings).

        ``edges="influence"`` (default): ``src[i]`` influences ``dst[i]``; ``"follows"``:
        ``src[i]`` follows ``dst[i]`` (influence flows ``dst -> src``, as in a follower export).
        """
        def plain(x):
            if x is None:
                return None
            if hasattr(x, "to_numpy"):
                x = x.to_numpy()
            if isinstance(x, np.ndarray):
                if x.dtype.kind in "iu":
                    return np.ascontiguousarray(x, dtype=np.int64 if x.dtype.kind == "i" else np.uint64)
                return [str(v) for v in x.tolist()]
            x = list(x)
            if x and isinstance(x[0], str):
                return [str(v) for v in x]
            return x
        w = None if weight is None else np.ascontiguousarray(weight, dtype=np.float64)
        s = None if sign is None else np.ascontiguousarray(sign, dtype=np.int8)
        return Graph(_NativeGraph.from_edges(plain(src), plain(dst), w, s, plain(nodes), edges,
                                             undirected, self_loops, duplicates))

    def save(self, path) -> int:
        """Write a snapshot that :func:`read` maps in milliseconds. Returns the bytes written."""
        return self._g.save(str(path))

    def __len__(self) -> int:
        return len(self._g)

    def __repr__(self) -> str:
        return repr(self._g)

    @property
    def edge_count(self) -> int:
        """Number of edges (an undirected edge counts once)."""
        return self._g.edge_count

    @property
    def directed(self) -> bool:
        return self._g.directed

    @property
    def ids(self):
        """Original ids in the order of every score array (ints as a numpy array, or strings)."""
        return self._g.ids

    def stats(self) -> dict:
        """Size and shape, as ``clout stats --json``."""
        return json.loads(self._g.stats())

    def pagerank(self, alpha=0.85, tol=1e-6, max_iter=100, personalization=None,
                 dangling="personalization", weighted=False, method="auto", threads=None) -> np.ndarray:
        """PageRank; equals ``networkx.pagerank`` on the follower file read as ``DiGraph(A -> B)``.
        Warns (RuntimeWarning) when it did not converge within ``max_iter`` iterations."""
        values, converged = self._g.pagerank(alpha, tol, max_iter, personalization, dangling, weighted,
                                             method, threads)
        if not converged:
            import warnings

            warnings.warn(f"PageRank did not converge in {max_iter} iterations; raise max_iter",
                          RuntimeWarning, stacklevel=2)
        return values

    def betweenness(self, normalized=True, endpoints=False, weights=None, k=None, epsilon=None,
                    delta=0.1, seed=1, threads=None) -> np.ndarray:
        """Betweenness (NetworkX's normalization); exact, ``k`` sampled sources, or (epsilon, delta)."""
        return self._g.betweenness(normalized, endpoints, weights, k, epsilon, delta, seed, threads)

    def coreness(self, degree="total", threads=None) -> np.ndarray:
        """k-core number (``networkx.core_number``)."""
        return self._g.coreness(degree, threads)

    def harmonic(self, epsilon=None, delta=0.1, seed=1, threads=None) -> np.ndarray:
        """Harmonic closeness of reach along influence arcs from each account."""
        return self._g.harmonic(epsilon, delta, seed, threads)

    def collective_influence(self, radius=2, threads=None) -> np.ndarray:
        """Collective influence (Morone & Makse 2015)."""
        return self._g.collective_influence(radius, threads)

    def degrees(self) -> dict:
        """``followers`` (influence out-degree), ``following`` (in-degree), ``degree`` (total)."""
        return self._g.degrees()

    def rank(self, by: Iterable[str] = ("pagerank",), top: int | None = None, candidates=None, **options):
        """Every account's scores and ranks, ordered by the first score: a DataFrame indexed by
        original id (a dict of numpy arrays without pandas). Columns as ``clout rank``:
        ``<score>`` and ``<score>_rank`` (1 = highest; ties share the best rank). ``options``
        go to the score methods that take them (e.g. ``epsilon=0.01``)."""
        import inspect

        columns: dict[str, np.ndarray] = {}
        degrees = None
        for name in dict.fromkeys(by):
            if name in ("followers", "following", "degree"):
                degrees = degrees or self.degrees()
                values = degrees[name].astype(float)
            elif name in _SCORES:
                method = {"ci": self.collective_influence}.get(name) or getattr(self, name)
                accepted = inspect.signature(method).parameters
                kw = {k: v for k, v in options.items() if k in accepted}
                values = _SCORES[name](self, kw)
            else:
                raise ValueError(f"unknown score {name!r}: expected pagerank, betweenness, coreness, "
                                 "harmonic, ci, followers, following or degree")
            columns[name] = values
            columns[f"{name}_rank"] = _ranks(np.ascontiguousarray(values, dtype=np.float64))
        ids = np.asarray(self.ids, dtype=object)
        rows = np.arange(len(self))
        if candidates is not None:
            wanted = {str(c) for c in candidates}
            rows = np.array([i for i, v in enumerate(ids) if str(v) in wanted], dtype=np.int64)
        first = next(iter(columns))
        order = rows[np.lexsort((rows, columns[f"{first}_rank"][rows]))]
        if top is not None:
            order = order[:top]
        return _frame({k: v[order] for k, v in columns.items()}, ids[order].tolist())

    def simulate(self, seeds, model="ic", quality=1.0, prob="wc", trials=None, seed=1, precision=None,
                 conversion_rate=None, max_steps=None, awareness=True, per_account=False,
                 threads=None, target=None, target_default=0.0, conversion=None) -> Simulation:
        """Monte Carlo reach of ``seeds`` (original ids) under ``model`` ("ic", "lt", "icn"
        with backfire at product ``quality`` -- a float or a list answered from the same
        trials -- or "signed"); ``prob``: "wc", "uniform:P", "trivalency[:SEED]", "weight",
        "weight-normalized". Defaults as ``clout simulate``: 10000 trials, seed 1.

        ``target``: a target audience, ``{id: weight}`` (a dict or a pandas Series) or a list
        of ids (weight 1); unlisted accounts weigh ``target_default``. Adds every metric in
        target weight (``estimates`` rows ``target_total``, ``target_positive``, ...).
        ``conversion``: ``{id: probability}`` or ``{id: (probability, value)}`` (or a DataFrame
        with ``probability`` and optional ``value`` columns): adds expected ``sales`` and
        ``revenue``; unlisted accounts buy with ``conversion_rate`` (else never)."""
        qualities = [float(q) for q in np.atleast_1d(quality)]
        target, purchase, value = _audience(target, conversion)
        raw, accounts = self._g.simulate(list(seeds), model, qualities, prob, trials, seed, precision,
                                         conversion_rate, max_steps, awareness, per_account, threads,
                                         target, float(target_default), purchase, value)
        return Simulation(json.loads(raw), accounts, self.ids)

    def select(self, k=10, model="ic", quality=1.0, prob="wc", method="opim", epsilon=0.1, delta=None,
               budget=None, costs=None, candidates=None, exclude=None, trials=10000, precision=0.01,
               celf_trials=1000, seed=1, compare=False, threads=None, target=None, target_default=0.0,
               conversion=None, maximize=None) -> Choice:
        """Choose seeds as ``clout select`` does and re-estimate the choice on an independent
        stream until the chosen set's reach is known within ``precision`` (relative 95%
        half-width; ``None`` runs exactly ``trials``), at most ``trials`` trials;
        ``compare=True`` adds the baselines on the same trials. Returns a
        :class:`Choice` (seeds, gains, guarantee, prefixes and comparison as DataFrames; ``raw``
        is the dict ``clout select --json`` prints). ``costs``: ``{id: cost}`` with ``budget``.

        ``target`` and ``conversion`` as in :meth:`simulate`; ``maximize``: "reach", "target"
        (the default with a ``target``), "sales" or "revenue". RR-set methods then draw roots in
        proportion to the weights, and the guarantee holds for the weight reached; prefixes and
        comparison gain ``target_positive`` / ``target_total`` columns in that weight."""
        target, purchase, value = _audience(target, conversion)
        raw = self._g.select(k, model, float(quality), prob, method, epsilon, delta, budget, costs,
                             None if candidates is None else list(candidates),
                             None if exclude is None else list(exclude),
                             trials, precision, celf_trials, seed, compare, threads,
                             target, float(target_default), purchase, value, maximize)
        return Choice(json.loads(raw))

    def report(self, path, seeds=None, select=None, method="opim", model="icn", quality=None, prob="wc",
               trials=2000, seed=1, top=10, draw=150, threads=None, target=None, target_default=0.0,
               conversion=None, maximize=None) -> None:
        """Write the campaign report (one self-contained HTML page) as ``clout report``;
        with a ``target`` it gains the target-audience section (``target``, ``conversion`` and
        ``maximize`` as in :meth:`select`)."""
        target, purchase, value = _audience(target, conversion)
        self._g.report(str(path), None if seeds is None else list(seeds), select, method, model,
                       quality, prob, trials, seed, top, draw, threads, target, float(target_default),
                       purchase, value, maximize)


def _audience(target, conversion):
    """``(target, purchase, value)`` dicts for the native calls: ``target`` as ``{id: weight}``
    (a mapping, a pandas Series, or ids of weight 1); ``conversion`` as ``{id: probability}``,
    ``{id: (probability, value)}`` or a DataFrame with ``probability`` [and ``value``]."""
    if target is not None:
        target = ({k: float(v) for k, v in target.items()} if hasattr(target, "items")
                  else {t: 1.0 for t in target})
    if conversion is None:
        return target, None, None
    if hasattr(conversion, "columns"):
        purchase = {k: float(v) for k, v in conversion["probability"].items()}
        value = ({k: float(v) for k, v in conversion["value"].items()}
                 if "value" in conversion.columns else None)
        return target, purchase, value
    purchase, value = {}, {}
    for k, v in conversion.items():
        if isinstance(v, (tuple, list)):
            if len(v) != 2:
                raise ValueError(f"conversion of account {k!r}: expected probability or (probability, value)")
            purchase[k], value[k] = float(v[0]), float(v[1])
        else:
            purchase[k] = float(v)
    if value and len(value) != len(purchase):
        raise ValueError("conversion: give a sale value for every account or for none")
    return target, purchase, value or None


def read(path, edges="follows", undirected=False, format="edges", delimiter="auto", header=False,
         src=None, dst=None, weight=None, sign=None, ids="auto", self_loops="drop", duplicates="sum",
         skip_bad_lines=False) -> Graph:
    """Read a snapshot or an edge list (plain, gzip or zstd) with the settings of the
    ``clout`` command line (see ``clout help input``). Errors name the file and line."""
    col = lambda c: None if c is None else str(c)
    return Graph(_read(str(path), edges, undirected, format, delimiter, header, col(src), col(dst),
                       col(weight), col(sign), ids, self_loops, duplicates, skip_bad_lines))


class Learned:
    """The result of :func:`learn`: the same numbers as ``clout learn --json``.

    ``graph`` is the learned graph (a :class:`Graph` whose arc weight is the probability, arcs
    in the influence direction, original ids): simulate and select on it with
    ``prob="weight"``. ``arcs`` is a DataFrame, one row per learned arc: ``source``,
    ``target`` (original ids as text), ``probability`` (smoothed), ``successes`` (credited
    cascades) and ``trials`` (the estimator's denominator). ``summary`` is the dict of
    ``clout learn --json`` (cascades, arcs, the prior chosen, the distribution of p).
    """

    def __init__(self, graph: Graph, summary: dict, arcs: dict):
        self.graph = graph
        self.summary = summary
        try:
            import pandas as pd

            self.arcs = pd.DataFrame(arcs)
        except ImportError:
            self.arcs = arcs

    def __repr__(self) -> str:
        s = self.summary
        return (f"<clout.Learned: {s['arcs']} arcs from {s['cascades']} cascades, {s['estimator']}, "
                f"prior strength {s['prior_strength']:.4g}>")


class Validation:
    """The result of :func:`validate`: the same fields as ``clout validate -o``.

    ``models`` is a DataFrame indexed by model (``learned``, ``uniform``, ``wc``,
    ``trivalency``) with the who-joins scores (pooled AUC, mean per-cascade AUC, Brier, Brier
    skill, ECE) and the size scores (log-RMSE, bias, Spearman; ``*_in_graph``: the IC part
    against the part of each cascade inside the training graph). ``differences`` is a
    DataFrame, learned minus each baseline, with bootstrap 95% intervals. ``per_cascade`` is a
    DataFrame with one row per held-out cascade (real and predicted sizes per model).
    ``coverage`` says what share of reality no model on the training graph can reach;
    ``raw`` is the full dict.
    """

    def __init__(self, raw: dict):
        self.raw = raw
        self.coverage = raw["coverage"]
        models = []
        for m in raw["models"]:
            row = {"model": m["name"], **{k: m["pooled"][k] for k in ("auc", "brier", "brier_skill", "ece")},
                   "cascade_auc": m["mean_cascade_auc"]}
            for part, suffix in (("size", ""), ("size_in_graph", "_in_graph"), ("size_seen", "_seen")):
                row.update({f"size_{k}{suffix}": m[part][k] for k in ("log_rmse", "bias", "spearman")})
            models.append(row)
        differences = []
        for d in raw["differences"]:
            row = {"baseline": d["baseline"]}
            for k in ("auc", "brier", "log_rmse", "spearman", "spearman_seen"):
                row.update({k: d[k]["estimate"], f"{k}_low": d[k]["lo"], f"{k}_high": d[k]["hi"]})
            differences.append(row)
        names = [m["name"] for m in raw["models"]]
        per_cascade = []
        for c in raw["per_cascade"]:
            row = {k: c[k] for k in ("id", "label", "fold", "real_size", "real_in_graph", "seeds",
                                     "seeds_in_graph", "candidates", "joined", "outside_graph")}
            row.update({f"predicted_{n}": c["predicted_size"][i] for i, n in enumerate(names)})
            row.update({f"predicted_in_graph_{n}": c["predicted_in_graph"][i] for i, n in enumerate(names)})
            per_cascade.append(row)
        try:
            import pandas as pd

            self.models = pd.DataFrame(models).set_index("model")
            self.differences = pd.DataFrame(differences).set_index("baseline")
            self.per_cascade = pd.DataFrame(per_cascade)
        except ImportError:
            self.models, self.differences, self.per_cascade = models, differences, per_cascade

    def __repr__(self) -> str:
        m = self.raw["models"][0]
        return (f"<clout.Validation: {len(self.raw['per_cascade'])} held-out cascades, learned AUC "
                f"{m['pooled']['auc']:.3f}, size log-RMSE {m['size']['log_rmse']:.3f}>")


def _log_args(log_format, part, window, kinds, social, social_edges):
    if isinstance(kinds, str):
        kinds = kinds.split(",")
    return (log_format, part, float(window), list(kinds), None if social is None else str(social),
            social_edges)


def learn(log, log_format="trees", part=None, window=1440.0, kinds=("RT", "MT", "RE"), social=None,
          social_edges="follows", estimator="bernoulli", prior="auto", isotonic=False,
          threads=None) -> Learned:
    """Learn per-arc influence probabilities from an action log, as ``clout learn`` does.

    ``log_format``: ``"trees"`` (propagation trees, a directory or a .tar/.tar.gz; ``part``
    keeps paths containing it, e.g. ``"twitter15"``), ``"higgs"`` (the Higgs activity log cut
    into ``window``-minute windows; ``kinds`` among RT, MT, RE) or ``"csv"``
    (``user,cascade,time[,parent]``; without a parent, credit goes to earlier actors among the
    user's in-neighbours in the ``social`` graph, read with ``social_edges``, within
    ``window`` minutes). ``estimator``: ``"bernoulli"`` (Goyal et al. 2010), ``"jaccard"`` or
    ``"em"`` (Saito et al. 2008); ``prior``: ``"auto"`` (a Beta prior, or a mixture of
    two, chosen on held-out training cascades) or a strength >= 0; ``isotonic``: monotone recalibration (with the
    automatic prior). Arcs point the way influence flows: ``u -> v`` means v reacted to u.
    """
    graph, summary, arcs = _learn(str(log), *_log_args(log_format, part, window, kinds, social, social_edges),
                                  estimator, str(prior), isotonic, threads)
    return Learned(Graph(graph), json.loads(summary), arcs)


def validate(log, log_format="trees", part=None, window=1440.0, kinds=("RT", "MT", "RE"), social=None,
             social_edges="follows", estimator="bernoulli", prior="auto", isotonic=False, folds=5,
             time_cut=None, early=None, hops=3, trials=1000, seed=1, bootstrap=1000, html=None,
             threads=None) -> Validation:
    """Check the simulator on held-out cascades, as ``clout validate`` does (see its ``--help``
    for the protocol and metrics): split the cascades (``folds``, or ``time_cut`` = the
    training fraction by start time), learn on the training part, simulate IC for ``hops``
    rounds from each held-out cascade's root (or every account active in its first ``early``
    minutes), and score who joins and how big against weighted cascade, a fitted uniform p and
    trivalency, with bootstrap intervals. ``html``: also write the calibration page there.
    Deterministic for a given ``seed`` at any thread count. The log arguments are
    :func:`learn`'s.
    """
    raw = _validate(str(log), *_log_args(log_format, part, window, kinds, social, social_edges),
                    estimator, str(prior), isotonic, folds, time_cut, early, hops, trials, seed, bootstrap,
                    None if html is None else str(html), threads)
    return Validation(json.loads(raw))
