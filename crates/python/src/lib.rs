//! The `clout._clout` extension module: the facade crate (`clout`) as Python classes and
//! functions. Scores come back as numpy arrays indexed by dense node id; the pure-Python layer
//! (`python/clout/__init__.py`) turns them into pandas DataFrames keyed by original ids.
//!
//! Every call that computes releases the GIL while it runs, and runs on rayon's pool (or on a
//! pool of `threads` workers when given): results do not depend on the thread count.

use std::path::PathBuf;
use std::sync::Arc;

use clap::ValueEnum;
use clout::centrality as cc;
use clout::ingest::outfile::{OutputId, OutputSet};
use clout::{
    ChoiceOptions, Column, EdgeIds, EdgeReading, EdgesConfig, Error, LoadedGraph, Method, Model,
    ReadConfig, Score, ScoreConfig, SelectConfig, SimConfig, SimulationReport,
};
use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyMemoryError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

create_exception!(_clout, CloutError, PyException, "Base of every clout error.");
create_exception!(
    _clout,
    ReadError,
    CloutError,
    "An input could not be read (file:line and the problem)."
);
create_exception!(
    _clout,
    SnapshotError,
    CloutError,
    "A snapshot is invalid or could not be written."
);

/// A facade error as the Python exception of its kind, with the CLI's message (its causes
/// joined by `: `).
fn py_err(e: Error) -> PyErr {
    let message = clout::describe(&e);
    match e {
        Error::Open(clout::ingest::source::OpenError::Snapshot(_)) | Error::Snapshot(_) => {
            SnapshotError::new_err(message)
        }
        Error::Open(_)
        | Error::Read(_)
        | Error::Io { .. }
        | Error::Line { .. }
        | Error::EmptyList(_)
        | Error::Log(_) => ReadError::new_err(message),
        Error::Invalid { .. }
        | Error::UnknownAccount { .. }
        | Error::ProbabilitySpec(_)
        | Error::Validate(clout::learn::ValidateError::Setting(_)) => {
            PyValueError::new_err(message)
        }
        Error::MemoryLimit(_) => PyMemoryError::new_err(message),
        _ => CloutError::new_err(message),
    }
}

fn value_err(message: impl Into<String>) -> PyErr {
    PyValueError::new_err(message.into())
}

/// Parses a setting by the name the command line gives it (`"follows"`, `"icn"`,
/// `"degree-discount"`, ...): the library enums' `clap::ValueEnum` names, so Python and the CLI
/// share one vocabulary.
fn setting<T: ValueEnum>(what: &str, text: &str) -> PyResult<T> {
    T::from_str(text, false).map_err(|_| {
        let names: Vec<String> = T::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value())
            .map(|p| p.get_name().to_string())
            .collect();
        value_err(format!("{what} {text:?} is not one of {}", names.join(", ")))
    })
}

/// Runs `f` without the GIL, on a pool of `threads` workers when given, on a thread of its
/// own, while this thread checks for signals every 100 ms: Ctrl-C raises `KeyboardInterrupt`
/// within a fraction of a second. An interrupted computation finishes in the background and its
/// result is dropped (the engines have no cancellation points); its inputs are shared (`Arc`)
/// or owned, so nothing it reads goes away under it.
fn run<T: Send + 'static>(
    py: Python<'_>,
    threads: Option<usize>,
    f: impl FnOnce() -> T + Send + 'static,
) -> PyResult<T> {
    let pool = match threads {
        None => None,
        Some(0) => return Err(value_err("threads must be at least 1")),
        Some(t) => Some(
            rayon::ThreadPoolBuilder::new()
                .num_threads(t)
                .build()
                .map_err(|e| CloutError::new_err(format!("cannot start {t} threads: {e}")))?,
        ),
    };
    let (tx, mut rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("clout".into())
        .spawn(move || {
            // On a worker of the pool either way, so that parallel steps start where they are
            // reached rather than being handed over from this thread (see the CLI's `main`).
            let out = match &pool {
                Some(pool) => pool.install(f),
                None => rayon::scope(|_| f()),
            };
            let _ = tx.send(out);
        })
        .map_err(|e| CloutError::new_err(format!("cannot start a worker thread: {e}")))?;
    loop {
        // A `Receiver` is `Send` but not `Sync`: hand it to the GIL-free closure and back.
        let (got, back) = py.detach(move || {
            let got = rx.recv_timeout(std::time::Duration::from_millis(100));
            (got, rx)
        });
        rx = back;
        match got {
            Ok(out) => return Ok(out),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => py.check_signals()?,
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                return Err(CloutError::new_err("the computation stopped without a result"));
            }
        }
    }
}

/// Writes `path` through `fill` as the command line writes its outputs: checked and created as a
/// temporary file first, renamed into place only when `fill` succeeded (a failure, a full disk
/// included, leaves no partial file), never replacing a device or a FIFO.
fn write_output(
    path: &std::path::Path,
    fill: impl FnOnce(&mut OutputSet, OutputId) -> Result<(), Error>,
) -> Result<(), Error> {
    let mut set = OutputSet::new();
    let id = set.add(path, &[])?;
    fill(&mut set, id)?;
    Ok(set.commit()?)
}

/// Original ids of edge ends: a numpy integer array, or a sequence of ints or of strings.
fn edge_ids(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<EdgeIds> {
    if let Ok(a) = obj.extract::<PyReadonlyArray1<'_, i64>>() {
        let v = a.as_slice().map_err(|e| value_err(format!("{what}: {e}")))?;
        return match v.iter().find(|&&x| x < 0) {
            Some(x) => Err(value_err(format!("{what}: id {x} is negative (ids are 0 .. 2^64-1)"))),
            None => Ok(EdgeIds::Integer(v.iter().map(|&x| x as u64).collect())),
        };
    }
    if let Ok(a) = obj.extract::<PyReadonlyArray1<'_, u64>>() {
        return Ok(EdgeIds::Integer(
            a.as_slice().map_err(|e| value_err(format!("{what}: {e}")))?.to_vec(),
        ));
    }
    if let Ok(v) = obj.extract::<Vec<u64>>() {
        return Ok(EdgeIds::Integer(v));
    }
    if let Ok(v) = obj.extract::<Vec<String>>() {
        return Ok(EdgeIds::String(v));
    }
    Err(value_err(format!("{what}: expected a sequence of non-negative ints or of strings")))
}

/// Per-edge numbers: a contiguous numpy array of the element type (no copy through Python
/// objects), or any sequence of numbers.
fn numbers<'py, T>(obj: &Bound<'py, PyAny>, what: &str) -> PyResult<Vec<T>>
where
    T: numpy::Element + Copy + for<'a> FromPyObject<'a, 'py>,
{
    if let Ok(a) = obj.extract::<PyReadonlyArray1<'py, T>>()
        && let Ok(v) = a.as_slice()
    {
        return Ok(v.to_vec());
    }
    obj.extract::<Vec<T>>().map_err(|e| value_err(format!("{what}: {e}")))
}

/// A graph and its original ids. Arcs point the way influence flows.
#[pyclass(module = "clout._clout", name = "Graph", frozen)]
struct PyGraph {
    net: Arc<LoadedGraph>,
}

impl PyGraph {
    fn ids_of(&self, accounts: &Bound<'_, PyAny>, role: &'static str) -> PyResult<Vec<u32>> {
        let texts: Vec<String> = match accounts.extract::<Vec<String>>() {
            Ok(v) => v,
            Err(_) => accounts
                .try_iter()?
                .map(|x| x.and_then(|x| x.str().map(|s| s.to_string())))
                .collect::<PyResult<_>>()?,
        };
        clout::ids::resolve(&self.net.ids, &texts, role).map_err(py_err)
    }

    /// A per-account vector from a `{id: value}` mapping (unlisted accounts get `default`).
    fn vector_of(
        &self,
        mapping: &Bound<'_, PyDict>,
        default: f64,
        role: &'static str,
    ) -> PyResult<Vec<f64>> {
        let mut v = vec![default; self.net.graph.node_count()];
        for (k, x) in mapping.iter() {
            let id = self.ids_of(&PyList::new(mapping.py(), [k])?.into_any(), role)?[0];
            v[id as usize] = x.extract::<f64>()?;
        }
        Ok(v)
    }

    /// The target weights and conversion given as `{id: value}` dicts: weights finite and
    /// `>= 0` (unlisted accounts weigh `target_default`), probabilities in `[0, 1]` (unlisted:
    /// `rate`, else 0), values finite and `>= 0` (unlisted: 0). Errors name the account.
    fn audience(
        &self,
        target: Option<&Bound<'_, PyDict>>,
        target_default: f64,
        purchase: Option<&Bound<'_, PyDict>>,
        value: Option<&Bound<'_, PyDict>>,
        rate: Option<f64>,
    ) -> PyResult<(Option<Vec<f64>>, Option<clout::Conversion>)> {
        let check = |d: &Bound<'_, PyDict>, what: &str, ok: &dyn Fn(f64) -> bool, range: &str| {
            for (k, x) in d.iter() {
                let x = x.extract::<f64>()?;
                if !ok(x) {
                    return Err(value_err(format!("{what} {x} of account {k} is not {range}")));
                }
            }
            Ok(())
        };
        let weight = |x: f64| x.is_finite() && x >= 0.0;
        let target = match target {
            Some(t) => {
                check(t, "target weight", &weight, "a finite number >= 0")?;
                if !weight(target_default) {
                    return Err(value_err(format!(
                        "target_default {target_default} is not a finite number >= 0"
                    )));
                }
                let w = self.vector_of(t, target_default, "target account")?;
                if w.iter().all(|&x| x == 0.0) {
                    return Err(value_err("every target weight is 0"));
                }
                Some(w)
            }
            None => None,
        };
        let conversion = match purchase {
            Some(p) => {
                let in_unit = |x: f64| (0.0..=1.0).contains(&x);
                check(p, "purchase probability", &in_unit, "in [0, 1]")?;
                let rate = rate.unwrap_or(0.0);
                if !in_unit(rate) {
                    return Err(value_err(format!("conversion rate {rate} is outside [0, 1]")));
                }
                let value = match value {
                    Some(v) => {
                        check(v, "sale value", &weight, "a finite number >= 0")?;
                        Some(self.vector_of(v, 0.0, "account with a sale value")?)
                    }
                    None => None,
                };
                Some(clout::Conversion {
                    probability: self.vector_of(p, rate, "account with a purchase probability")?,
                    value,
                })
            }
            None if value.is_some() => {
                return Err(value_err("sale values need purchase probabilities"));
            }
            None => None,
        };
        Ok((target, conversion))
    }

    fn score_one(
        &self,
        py: Python<'_>,
        score: Score,
        cfg: ScoreConfig,
        threads: Option<usize>,
    ) -> PyResult<Py<PyArray1<f64>>> {
        Ok(self.score_checked(py, score, cfg, threads)?.0)
    }

    /// A score and whether its kernel converged (only PageRank can fail to).
    fn score_checked(
        &self,
        py: Python<'_>,
        score: Score,
        cfg: ScoreConfig,
        threads: Option<usize>,
    ) -> PyResult<(Py<PyArray1<f64>>, bool)> {
        let net = Arc::clone(&self.net);
        let table = run(py, threads, move || clout::score(&net, &[score], &cfg, &mut |_| {}))?
            .map_err(py_err)?;
        let column = table.columns.into_iter().next().expect("one score");
        let converged = column.warning.is_none();
        Ok((column.values.into_pyarray(py).unbind(), converged))
    }
}

#[pymethods]
impl PyGraph {
    /// A graph from parallel arrays of original ids (ints or strings): `src[i] -> dst[i]`,
    /// read with `edges` ("influence": src influences dst, the default; "follows": src follows
    /// dst) or `undirected`. `weight` and `sign` (+1/-1) are optional per-edge arrays; `nodes`
    /// adds accounts without edges. Self-loops are dropped and duplicates summed unless
    /// `self_loops="keep"` / `duplicates="first"|"keep"`.
    #[staticmethod]
    #[pyo3(signature = (src, dst, weight=None, sign=None, nodes=None, edges="influence", undirected=false, self_loops="drop", duplicates="sum"))]
    #[allow(clippy::too_many_arguments)]
    fn from_edges(
        py: Python<'_>,
        src: &Bound<'_, PyAny>,
        dst: &Bound<'_, PyAny>,
        weight: Option<&Bound<'_, PyAny>>,
        sign: Option<&Bound<'_, PyAny>>,
        nodes: Option<&Bound<'_, PyAny>>,
        edges: &str,
        undirected: bool,
        self_loops: &str,
        duplicates: &str,
    ) -> PyResult<PyGraph> {
        let reading = if undirected { EdgeReading::Undirected } else { setting("edges", edges)? };
        let cfg = EdgesConfig {
            reading,
            self_loops: setting("self_loops", self_loops)?,
            duplicates: setting("duplicates", duplicates)?,
            provenance: "clout.Graph.from_edges".into(),
        };
        let (s, d) = (edge_ids(src, "src")?, edge_ids(dst, "dst")?);
        let weight = weight.map(|w| numbers::<f64>(w, "weight")).transpose()?;
        let sign = sign.map(|x| numbers::<i8>(x, "sign")).transpose()?;
        let n = nodes.map(|n| edge_ids(n, "nodes")).transpose()?;
        let net = run(py, None, move || clout::from_edges(s, d, n, weight, sign, &cfg))?
            .map_err(py_err)?;
        Ok(PyGraph { net: Arc::new(net) })
    }

    /// Writes the graph as a snapshot that `clout.read` (and the `clout` command) map in
    /// milliseconds. Written to a temporary file and renamed into place.
    fn save(&self, py: Python<'_>, path: PathBuf) -> PyResult<u64> {
        let net = Arc::clone(&self.net);
        run(py, None, move || {
            let mut bytes = 0;
            write_output(&path, |set, id| {
                let file = set.file(id).expect("an output not yet committed has its file");
                bytes = clout::write_snapshot(file, &path, &net)?;
                Ok(())
            })?;
            Ok(bytes)
        })?
        .map_err(py_err)
    }

    fn __len__(&self) -> usize {
        self.net.graph.node_count()
    }

    fn __repr__(&self) -> String {
        let g = &self.net.graph;
        format!(
            "<clout.Graph: {} accounts, {} edges, read as {}>",
            g.node_count(),
            g.edge_count(),
            g.info().reading.name()
        )
    }

    /// Number of edges (undirected edges count once).
    #[getter]
    fn edge_count(&self) -> usize {
        self.net.graph.edge_count()
    }

    /// Whether arcs are directed.
    #[getter]
    fn directed(&self) -> bool {
        self.net.graph.is_directed()
    }

    /// Original ids in dense-id order: a list of ints or of strings.
    #[getter]
    fn ids<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let ids = &self.net.ids;
        let n = ids.len() as u32;
        if ids.is_string() {
            let v: Vec<String> = (0..n).map(|i| ids.original(i).to_string()).collect();
            Ok(PyList::new(py, v)?.into_any())
        } else {
            let v: Vec<u64> = (0..n)
                .map(|i| match ids.original(i) {
                    clout::OriginalId::Integer(x) => x,
                    clout::OriginalId::String(_) => unreachable!("integer map"),
                })
                .collect();
            Ok(v.into_pyarray(py).into_any())
        }
    }

    /// The size and shape of the graph, as `clout stats --json` reports it (a dict).
    fn stats(&self, py: Python<'_>) -> PyResult<String> {
        let net = Arc::clone(&self.net);
        let stats = run(py, None, move || clout::graph::stats::graph_stats(&net.graph))?;
        serde_json::to_string(&stats).map_err(|e| CloutError::new_err(e.to_string()))
    }

    /// PageRank of every account (NetworkX's conventions on the follower file read as
    /// `DiGraph(A -> B)`): damping `alpha`, stop when the L1 change is below `n * tol`.
    /// Returns the scores and whether the iteration converged within `max_iter`.
    /// `personalization`: `{id: weight}`; `dangling`: "personalization" or "uniform";
    /// `weighted`: arc shares by weight; `method`: "auto", "gauss-seidel" or "power".
    #[pyo3(signature = (alpha=0.85, tol=1e-6, max_iter=100, personalization=None, dangling="personalization", weighted=false, method="auto", threads=None))]
    #[allow(clippy::too_many_arguments)]
    fn pagerank(
        &self,
        py: Python<'_>,
        alpha: f64,
        tol: f64,
        max_iter: usize,
        personalization: Option<&Bound<'_, PyDict>>,
        dangling: &str,
        weighted: bool,
        method: &str,
        threads: Option<usize>,
    ) -> PyResult<(Py<PyArray1<f64>>, bool)> {
        let personalization = personalization
            .map(|p| self.vector_of(p, 0.0, "personalization account"))
            .transpose()?;
        let pagerank = cc::PageRankConfig {
            damping: alpha,
            tolerance: tol,
            max_iterations: max_iter,
            personalization,
            dangling: setting("dangling", dangling)?,
            weighted,
            method: setting("method", method)?,
        };
        self.score_checked(
            py,
            Score::Pagerank,
            ScoreConfig { pagerank, ..ScoreConfig::default() },
            threads,
        )
    }

    /// Betweenness (networkx.betweenness_centrality's conventions): exact, or from `k` sampled
    /// sources, or every score within `epsilon` of exact with probability `1 - delta`.
    /// `weights`: None, "distance" or "strength" (distance 1/w).
    #[pyo3(signature = (normalized=true, endpoints=false, weights=None, k=None, epsilon=None, delta=0.1, seed=1, threads=None))]
    #[allow(clippy::too_many_arguments)]
    fn betweenness(
        &self,
        py: Python<'_>,
        normalized: bool,
        endpoints: bool,
        weights: Option<&str>,
        k: Option<usize>,
        epsilon: Option<f64>,
        delta: f64,
        seed: u64,
        threads: Option<usize>,
    ) -> PyResult<Py<PyArray1<f64>>> {
        let mode = match (epsilon, k) {
            (Some(_), Some(_)) => {
                return Err(value_err("epsilon and k are alternatives; give one"));
            }
            (Some(epsilon), None) => cc::BetweennessMode::Approximate { epsilon, delta, seed },
            (None, Some(k)) => cc::BetweennessMode::SampledSources { k, seed },
            (None, None) => cc::BetweennessMode::Exact,
        };
        let weights = weights.map(|w| setting("weights", w)).transpose()?;
        let betweenness =
            cc::BetweennessConfig { normalized, endpoints, weights, mode, ..Default::default() };
        self.score_one(
            py,
            Score::Betweenness,
            ScoreConfig { betweenness, ..ScoreConfig::default() },
            threads,
        )
    }

    /// k-core number (networkx.core_number; directed graphs use `degree` = "total", "in" or "out").
    #[pyo3(signature = (degree="total", threads=None))]
    fn coreness(
        &self,
        py: Python<'_>,
        degree: &str,
        threads: Option<usize>,
    ) -> PyResult<Py<PyArray1<f64>>> {
        let degree = setting("degree", degree)?;
        let coreness = cc::CorenessConfig { degree };
        self.score_one(
            py,
            Score::Coreness,
            ScoreConfig { coreness, ..ScoreConfig::default() },
            threads,
        )
    }

    /// Harmonic closeness of reach: the sum over other accounts of 1/distance along influence
    /// arcs from this one. Exact, or sampled within `epsilon` with probability `1 - delta`.
    #[pyo3(signature = (epsilon=None, delta=0.1, seed=1, threads=None))]
    fn harmonic(
        &self,
        py: Python<'_>,
        epsilon: Option<f64>,
        delta: f64,
        seed: u64,
        threads: Option<usize>,
    ) -> PyResult<Py<PyArray1<f64>>> {
        let method = match epsilon {
            Some(epsilon) => cc::HarmonicMethod::Sampled { epsilon, delta, seed },
            None => cc::HarmonicMethod::Exact,
        };
        let harmonic = cc::HarmonicConfig { method, ..Default::default() };
        self.score_one(
            py,
            Score::Harmonic,
            ScoreConfig { harmonic, ..ScoreConfig::default() },
            threads,
        )
    }

    /// Collective influence (Morone & Makse 2015) with ball radius `radius`.
    #[pyo3(signature = (radius=2, threads=None))]
    fn collective_influence(
        &self,
        py: Python<'_>,
        radius: u32,
        threads: Option<usize>,
    ) -> PyResult<Py<PyArray1<f64>>> {
        let collective = cc::CollectiveInfluenceConfig { radius, ..Default::default() };
        self.score_one(py, Score::Ci, ScoreConfig { collective, ..ScoreConfig::default() }, threads)
    }

    /// Degrees: `followers` (influence out-degree), `following` (in-degree), `degree` (total).
    fn degrees<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = cc::degrees(&self.net.graph);
        let out = PyDict::new(py);
        out.set_item("followers", d.out_degree.into_pyarray(py))?;
        out.set_item("following", d.in_degree.into_pyarray(py))?;
        out.set_item("degree", d.total.into_pyarray(py))?;
        Ok(out)
    }

    /// Monte Carlo reach of `seeds` (original ids). Returns (the result as JSON text, and a
    /// dict of per-account numpy arrays for the first quality when `per_account`).
    #[pyo3(signature = (seeds, model="ic", quality=vec![1.0], prob="wc", trials=None, seed=1, precision=None, conversion_rate=None, max_steps=None, awareness=true, per_account=false, threads=None, target=None, target_default=0.0, purchase=None, value=None))]
    #[allow(clippy::too_many_arguments)]
    fn simulate<'py>(
        &self,
        py: Python<'py>,
        seeds: &Bound<'py, PyAny>,
        model: &str,
        quality: Vec<f64>,
        prob: &str,
        trials: Option<usize>,
        seed: u64,
        precision: Option<f64>,
        conversion_rate: Option<f64>,
        max_steps: Option<u32>,
        awareness: bool,
        per_account: bool,
        threads: Option<usize>,
        target: Option<&Bound<'py, PyDict>>,
        target_default: f64,
        purchase: Option<&Bound<'py, PyDict>>,
        value: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<(String, Vec<Bound<'py, PyDict>>)> {
        let net = &self.net;
        let seeds = self.ids_of(seeds, "seed account")?;
        let (target, conversion) =
            self.audience(target, target_default, purchase, value, conversion_rate)?;
        let probs = clout::edge_probs(net, prob, seed).map_err(py_err)?;
        let cfg = SimConfig {
            model: setting::<Model>("model", model)?,
            qualities: quality,
            node_quality: None,
            trials: trials.unwrap_or(clout::default_trials(precision)),
            precision,
            seed,
            conversion_rate,
            max_steps,
            awareness,
            per_account,
            target,
            conversion,
        };
        let cfg_weights = (cfg.target.clone(), cfg.conversion.clone());
        let start = std::time::Instant::now();
        let shared = Arc::clone(&self.net);
        let seeds_run = seeds.clone();
        let sim = run(py, threads, move || {
            clout::simulate(&shared.graph, &probs, &seeds_run, &cfg, None)
        })?
        .map_err(py_err)?;
        let seconds = start.elapsed().as_secs_f64();
        let report = SimulationReport::new(net, "in-memory graph", &seeds, &sim, seconds, 0.0);
        let json =
            serde_json::to_string(&report).map_err(|e| CloutError::new_err(e.to_string()))?;
        let mut accounts = Vec::new();
        for o in sim.per_account {
            let d = PyDict::new(py);
            if let Some(w) = &cfg_weights.0 {
                d.set_item("target_weight", w.clone().into_pyarray(py))?;
            }
            if let Some(c) = &cfg_weights.1 {
                d.set_item("purchase_probability", c.probability.clone().into_pyarray(py))?;
                if let Some(v) = &c.value {
                    d.set_item("sale_value", v.clone().into_pyarray(py))?;
                }
            }
            d.set_item("quality", o.quality)?;
            d.set_item("reached", o.reached.into_pyarray(py))?;
            d.set_item("positive", o.positive.into_pyarray(py))?;
            d.set_item("negative", o.negative.into_pyarray(py))?;
            d.set_item("mean_round", o.mean_round.into_pyarray(py))?;
            accounts.push(d);
        }
        Ok((json, accounts))
    }

    /// Chooses seeds (as `clout select`): returns the choice report as JSON text.
    #[pyo3(signature = (k=10, model="ic", quality=1.0, prob="wc", method="opim", epsilon=0.1, delta=None, budget=None, costs=None, candidates=None, exclude=None, trials=clout::DEFAULT_TRIALS, precision=Some(clout::DEFAULT_PRECISION), celf_trials=1000, seed=1, compare=false, threads=None, target=None, target_default=0.0, purchase=None, value=None, maximize=None))]
    #[allow(clippy::too_many_arguments)]
    fn select(
        &self,
        py: Python<'_>,
        k: usize,
        model: &str,
        quality: f64,
        prob: &str,
        method: &str,
        epsilon: f64,
        delta: Option<f64>,
        budget: Option<f64>,
        costs: Option<&Bound<'_, PyDict>>,
        candidates: Option<&Bound<'_, PyAny>>,
        exclude: Option<&Bound<'_, PyAny>>,
        trials: usize,
        precision: Option<f64>,
        celf_trials: usize,
        seed: u64,
        compare: bool,
        threads: Option<usize>,
        target: Option<&Bound<'_, PyDict>>,
        target_default: f64,
        purchase: Option<&Bound<'_, PyDict>>,
        value: Option<&Bound<'_, PyDict>>,
        maximize: Option<&str>,
    ) -> PyResult<String> {
        let net = &self.net;
        let model = setting::<Model>("model", model)?;
        let (target, conversion) = self.audience(target, target_default, purchase, value, None)?;
        let objective = match maximize {
            Some(m) => setting::<clout::Objective>("maximize", m)?,
            None if target.is_some() => clout::Objective::Target,
            None => clout::Objective::Reach,
        };
        let weights = objective.weights(target.as_deref(), conversion.as_ref()).map_err(py_err)?;
        if model != Model::IcN && quality != 1.0 {
            return Err(value_err("quality applies to model \"icn\" only"));
        }
        let budget = match (budget, costs) {
            (Some(budget), Some(costs)) => Some(clout::Budget {
                costs: self.vector_of(costs, f64::INFINITY, "costed account")?,
                budget,
            }),
            (None, None) => None,
            _ => return Err(value_err("budget and costs go together")),
        };
        let n = net.graph.node_count();
        let candidates = match (candidates, exclude) {
            (None, None) => None,
            (c, x) => {
                let mut allowed = vec![c.is_none(); n];
                if let Some(c) = c {
                    for v in self.ids_of(c, "candidate")? {
                        allowed[v as usize] = true;
                    }
                }
                if let Some(x) = x {
                    for v in self.ids_of(x, "excluded account")? {
                        allowed[v as usize] = false;
                    }
                }
                Some((0..n as u32).filter(|&v| allowed[v as usize]).collect())
            }
        };
        let select = SelectConfig {
            k,
            model,
            quality,
            epsilon,
            delta,
            seed,
            candidates,
            budget,
            memory_limit: clout::memory::engine_limit(),
            celf_trials,
            weights,
        };
        let probs = clout::edge_probs(net, prob, seed).map_err(py_err)?;
        let opts = ChoiceOptions {
            method: setting::<Method>("method", method)?,
            select,
            trials,
            precision,
            compare,
            objective,
        };
        let shared = Arc::clone(&self.net);
        let report = run(py, threads, move || {
            clout::choose_and_evaluate(&shared, "in-memory graph", &probs, &opts, &|_| {})
        })?
        .map_err(py_err)?;
        serde_json::to_string(&report).map_err(|e| CloutError::new_err(e.to_string()))
    }

    /// Writes the campaign report (as `clout report`) to `path`: seeds given (original ids) or
    /// chosen (`select=k` with `method`).
    #[pyo3(signature = (path, seeds=None, select=None, method="opim", model="icn", quality=None, prob="wc", trials=2000, seed=1, top=10, draw=150, threads=None, target=None, target_default=0.0, purchase=None, value=None, maximize=None))]
    #[allow(clippy::too_many_arguments)]
    fn report(
        &self,
        py: Python<'_>,
        path: PathBuf,
        seeds: Option<&Bound<'_, PyAny>>,
        select: Option<usize>,
        method: &str,
        model: &str,
        quality: Option<f64>,
        prob: &str,
        trials: usize,
        seed: u64,
        top: usize,
        draw: usize,
        threads: Option<usize>,
        target: Option<&Bound<'_, PyDict>>,
        target_default: f64,
        purchase: Option<&Bound<'_, PyDict>>,
        value: Option<&Bound<'_, PyDict>>,
        maximize: Option<&str>,
    ) -> PyResult<()> {
        let (target, conversion) = self.audience(target, target_default, purchase, value, None)?;
        let objective = match maximize {
            Some(m) => setting::<clout::Objective>("maximize", m)?,
            None if target.is_some() => clout::Objective::Target,
            None => clout::Objective::Reach,
        };
        let weights = objective.weights(target.as_deref(), conversion.as_ref()).map_err(py_err)?;
        let choice_of_seeds = match (seeds, select) {
            (Some(s), None) => clout::report::Seeds::Given {
                seeds: self.ids_of(s, "seed account")?,
                how: "given".into(),
            },
            (None, Some(k)) => {
                clout::report::Seeds::Choose { k, method: setting::<Method>("method", method)? }
            }
            _ => return Err(value_err("give either seeds or select")),
        };
        let k = match &choice_of_seeds {
            clout::report::Seeds::Given { seeds, .. } => seeds.len(),
            clout::report::Seeds::Choose { k, .. } => *k,
        };
        let model = setting::<Model>("model", model)?;
        if model != Model::IcN && quality.is_some() {
            return Err(value_err("quality applies to model \"icn\" only"));
        }
        // The page names the graph by where it came from (the files read, or the generator).
        let name = self.net.graph.info().provenance.clone();
        let mut cfg = clout::report::ReportConfig::new(choice_of_seeds, name);
        cfg.model = model;
        cfg.prob = prob.into();
        cfg.quality = quality;
        cfg.trials = trials;
        cfg.seed = seed;
        cfg.top = top;
        cfg.draw = draw;
        cfg.select = SelectConfig {
            k,
            seed,
            memory_limit: clout::memory::engine_limit(),
            weights,
            ..SelectConfig::default()
        };
        cfg.target = target;
        cfg.conversion = conversion;
        cfg.command = "clout (Python)".into();
        let shared = Arc::clone(&self.net);
        run(py, threads, move || {
            let html = clout::report::render(&clout::report::build(&shared, &cfg, &|_| {})?).html;
            write_output(&path, |set, id| {
                set.write(id, |w| {
                    w.write_all(html.as_bytes())
                        .map_err(|source| Error::Io { path: path.clone(), source })
                })
            })
        })?
        .map_err(py_err)
    }
}

/// Competition ranks ("1224") of `values`, as every ranked table of clout: 1 + the number of
/// entries with a strictly greater value.
#[pyfunction]
fn ranks<'py>(
    py: Python<'py>,
    values: PyReadonlyArray1<'py, f64>,
) -> PyResult<Bound<'py, PyArray1<u32>>> {
    let values = values.as_slice().map_err(|e| value_err(e.to_string()))?;
    Ok(clout::ranks(values).into_pyarray(py))
}

/// Reads a graph: a snapshot (detected by its magic bytes) or an edge list with the CLI's
/// settings and conventions (`clout help input`). Errors name the file and line.
#[pyfunction]
#[pyo3(signature = (path, edges="follows", undirected=false, format="edges", delimiter="auto", header=false, src=None, dst=None, weight=None, sign=None, ids="auto", self_loops="drop", duplicates="sum", skip_bad_lines=false))]
#[allow(clippy::too_many_arguments)]
fn read(
    py: Python<'_>,
    path: PathBuf,
    edges: &str,
    undirected: bool,
    format: &str,
    delimiter: &str,
    header: bool,
    src: Option<String>,
    dst: Option<String>,
    weight: Option<String>,
    sign: Option<String>,
    ids: &str,
    self_loops: &str,
    duplicates: &str,
    skip_bad_lines: bool,
) -> PyResult<PyGraph> {
    let column = |c: Option<String>, what: &str| -> PyResult<Option<Column>> {
        c.map(|t| Column::parse(&t, header).map_err(|why| value_err(format!("{what}: {why}"))))
            .transpose()
    };
    let mut cfg = ReadConfig {
        reading: if undirected { EdgeReading::Undirected } else { setting("edges", edges)? },
        format: setting("format", format)?,
        delimiter: setting("delimiter", delimiter)?,
        header,
        weight: column(weight, "weight")?,
        sign: column(sign, "sign")?,
        ids: setting("ids", ids)?,
        self_loops: setting("self_loops", self_loops)?,
        duplicates: setting("duplicates", duplicates)?,
        skip_bad_lines,
        ..ReadConfig::default()
    };
    if let Some(c) = column(src, "src")? {
        cfg.src = c;
    }
    if let Some(c) = column(dst, "dst")? {
        cfg.dst = c;
    }
    let opened = run(py, None, move || clout::open(&path, &cfg))?.map_err(py_err)?;
    Ok(PyGraph { net: Arc::new(opened.network) })
}

/// The action log at `path` in `log_format` (`trees`, `higgs` or `csv`), read as `clout learn`
/// reads it.
#[allow(clippy::too_many_arguments)]
fn action_log(
    py: Python<'_>,
    path: PathBuf,
    log_format: &str,
    part: Option<String>,
    window: f64,
    kinds: Vec<String>,
    social: Option<PathBuf>,
    social_edges: &str,
) -> PyResult<clout::learn::ActionLog> {
    use clout::learn::LogFormat;
    let format = match log_format {
        "trees" => LogFormat::Trees { part },
        "higgs" => LogFormat::Higgs {
            window_minutes: window,
            kinds: clout::learn::parse_kinds(&kinds).map_err(py_err)?,
        },
        "csv" => LogFormat::Csv {
            social: social
                .map(|p| -> PyResult<_> {
                    let cfg = ReadConfig {
                        reading: setting("social_edges", social_edges)?,
                        ..ReadConfig::default()
                    };
                    Ok((p, cfg))
                })
                .transpose()?,
            window_minutes: window,
        },
        other => {
            return Err(value_err(format!("log_format {other:?} is not one of trees, higgs, csv")));
        }
    };
    run(py, None, move || clout::learn::read_log(&path, &format))?.map_err(py_err)
}

fn learn_config(
    estimator: &str,
    prior: &str,
    isotonic: bool,
) -> PyResult<clout::learn::LearnConfig> {
    let estimator = setting::<clout::learn::Estimator>("estimator", estimator)?;
    let prior = clout::learn::parse_prior(prior).map_err(py_err)?;
    clout::learn::learn_config(estimator, prior, isotonic).map_err(py_err)
}

/// Learns per-arc influence probabilities from an action log, as `clout learn` does. Returns
/// the learned graph (arc weight = probability, arcs in the influence direction, original ids),
/// the summary (`clout learn --json`) as JSON text, and the arcs as columns (source and target
/// ids as text, probability, credited successes, trials).
#[pyfunction]
#[pyo3(signature = (log, log_format="trees", part=None, window=1440.0, kinds=vec!["RT".to_string(), "MT".to_string(), "RE".to_string()], social=None, social_edges="follows", estimator="bernoulli", prior="auto", isotonic=false, threads=None))]
#[allow(clippy::too_many_arguments)]
fn learn<'py>(
    py: Python<'py>,
    log: PathBuf,
    log_format: &str,
    part: Option<String>,
    window: f64,
    kinds: Vec<String>,
    social: Option<PathBuf>,
    social_edges: &str,
    estimator: &str,
    prior: &str,
    isotonic: bool,
    threads: Option<usize>,
) -> PyResult<(PyGraph, String, Bound<'py, PyDict>)> {
    let cfg = learn_config(estimator, prior, isotonic)?;
    let shown = log.display().to_string();
    let log = action_log(py, log, log_format, part, window, kinds, social, social_edges)?;
    let (log, learned, graph) = run(py, threads, move || {
        let learned = clout::learn::learn(&log, &cfg);
        let graph = if learned.is_empty() {
            None
        } else {
            Some(clout::learn::learned_graph(&log, &learned))
        };
        (log, learned, graph)
    })?;
    let graph = match graph {
        None => {
            return Err(CloutError::new_err(format!(
                "{shown}: no action credits another account, so no arc was learned"
            )));
        }
        Some(g) => g.map_err(py_err)?,
    };
    let summary = serde_json::to_string(&clout::learn::summarize(&log, &learned))
        .map_err(|e| CloutError::new_err(e.to_string()))?;
    let arcs = PyDict::new(py);
    let name = |which: &[u32]| -> Vec<String> {
        which.iter().map(|&u| log.users[u as usize].clone()).collect()
    };
    arcs.set_item("source", name(&learned.sources))?;
    arcs.set_item("target", name(&learned.targets))?;
    arcs.set_item("probability", learned.probability.clone().into_pyarray(py))?;
    arcs.set_item("successes", learned.successes.clone().into_pyarray(py))?;
    arcs.set_item("trials", learned.trials.clone().into_pyarray(py))?;
    Ok((PyGraph { net: Arc::new(graph) }, summary, arcs))
}

/// Validates the simulator on held-out cascades of an action log, as `clout validate` does.
/// Returns the result as JSON text (`clout validate -o`), and writes the HTML page to `html`
/// when given.
#[pyfunction]
#[pyo3(signature = (log, log_format="trees", part=None, window=1440.0, kinds=vec!["RT".to_string(), "MT".to_string(), "RE".to_string()], social=None, social_edges="follows", estimator="bernoulli", prior="auto", isotonic=false, folds=5, time_cut=None, early=None, hops=3, trials=1000, seed=1, bootstrap=1000, html=None, threads=None))]
#[allow(clippy::too_many_arguments)]
fn validate(
    py: Python<'_>,
    log: PathBuf,
    log_format: &str,
    part: Option<String>,
    window: f64,
    kinds: Vec<String>,
    social: Option<PathBuf>,
    social_edges: &str,
    estimator: &str,
    prior: &str,
    isotonic: bool,
    folds: usize,
    time_cut: Option<f64>,
    early: Option<f64>,
    hops: u32,
    trials: usize,
    seed: u64,
    bootstrap: usize,
    html: Option<PathBuf>,
    threads: Option<usize>,
) -> PyResult<String> {
    use clout::learn::{Seeds, Split, ValidateConfig};
    if bootstrap == 0 {
        return Err(value_err("bootstrap must be at least 1"));
    }
    let cfg = ValidateConfig {
        split: time_cut.map_or(Split::Folds(folds), Split::TimeCut),
        seeds: early.map_or(Seeds::Root, Seeds::Early),
        hops,
        trials,
        seed,
        learn: learn_config(estimator, prior, isotonic)?,
        bootstrap,
        ..ValidateConfig::default()
    };
    let log = action_log(py, log, log_format, part, window, kinds, social, social_edges)?;
    run(py, threads, move || -> Result<String, Error> {
        let validation = clout::learn::validate(&log, &cfg, &|_, _| {})?;
        // Numbers, strings and lists only (a NaN becomes null): serializing cannot fail.
        let value = serde_json::to_value(&validation).expect("a validation result is JSON");
        if let Some(path) = &html {
            let generator = format!("clout {} (Python)", env!("CARGO_PKG_VERSION"));
            let page = clout::learn::calibration_page(&value, &generator, "clout.validate")?;
            write_output(path, |set, id| {
                set.write(id, |w| {
                    w.write_all(page.as_bytes())
                        .map_err(|source| Error::Io { path: path.clone(), source })
                })
            })?;
        }
        Ok(value.to_string())
    })?
    .map_err(py_err)
}

/// The native half of the `clout` package.
#[pymodule]
fn _clout(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyGraph>()?;
    m.add_function(wrap_pyfunction!(read, m)?)?;
    m.add_function(wrap_pyfunction!(ranks, m)?)?;
    m.add_function(wrap_pyfunction!(learn, m)?)?;
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    m.add("CloutError", m.py().get_type::<CloutError>())?;
    m.add("ReadError", m.py().get_type::<ReadError>())?;
    m.add("SnapshotError", m.py().get_type::<SnapshotError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
