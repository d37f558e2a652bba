//! IMM: influence maximization via martingales (Tang, Shi and Xiao, SIGMOD 2015), with the
//! correction of W. Chen ("An issue in the martingale analysis of the influence maximization
//! algorithm IMM", 2018, arXiv:1808.09363), on IC, LT and IC-N's positive reach.
//!
//! # Algorithm (paper notation -> names)
//! 1. **Estimation** (`Sampling`, lines 1-13): `ε' = √2·ε` (`epsilon_prime`); for
//!    `i = 1 .. log2(n) - 1`, `x = n / 2^i`, grow the estimation sample to `θ_i = λ'/x` RR sets
//!    ([`imm_lambda_prime`]), run the greedy on it, and stop at the first `i` with
//!    `n·F(S_i) >= (1 + ε')·x`, setting `LB = n·F(S_i)/(1 + ε')` (`lower_bound_opt`). `LB`
//!    starts at a bound known in advance (`k`, each seed reaches itself; `k·q` under IC-N)
//!    instead of the paper's 1. Fails (`LB > OPT`) with probability at most `δ/2`.
//! 2. **Selection**: `θ = λ*/LB` RR sets ([`imm_lambda_star`]), then the greedy.
//!
//! **The correction** (Chen 2018, arXiv:1808.09363). The paper's selection sample contains the
//! estimation sample and `θ` depends on it, so the greedy's sample is not a fixed-size i.i.d.
//! sample and Theorem 1 does not apply as stated. Chen's simplest workaround draws the
//! selection sample afresh (`θ_i + θ` sets in all instead of `max(θ_i, θ)`). This
//! implementation keeps the reuse and pays with a union bound instead, which costs fewer RR
//! sets: view the RR sets as one infinite i.i.d. sequence `R_1, R_2, ...`; round `LB` down to a
//! grid `g_j = opt_floor·2^(j/8)` (at most `J = 8·log2(n/opt_floor) + 1` points below `n`),
//! take `θ = λ*/g_j` with `λ*` computed for failure `δ/(2J)`, and run the greedy on the
//! prefix `R_1 .. R_θ`. For each grid point `g <= OPT` the prefix of length `λ*/g` is a
//! fixed-size i.i.d. sample of at least `λ*/OPT` sets, so Theorem 1 bounds its failure by
//! `δ/(2J)`; when `LB <= OPT` the rounded `g_j <= OPT` is one of those `J` points, so the
//! selection fails with probability at most `δ/2`, whatever the dependence between `LB` and
//! the sequence. Cost against the paper: `λ*` grows by the `ln J` term (about 10 % on
//! wiki-Vote) and rounding `LB` down loses at most `2^(1/8)` (9 %).
//!
//! # Guarantee
//! IC and LT, `k` seeds: `1 - 1/e - ε` of the optimum over the candidates with probability at
//! least `1 - δ`. Budgets: `(1 - 1/e)/2 - ε` (the greedy pair's ratio; `λ*` computed with
//! `1 - 1/e` is larger than the one for the smaller ratio, and `ln C(n, k)` is replaced by the
//! log of the number of affordable sets). IC-N and budgets also get a posteriori OPIM-C bounds
//! from an independent validation sample of `θ` sets, each holding with probability `1 - δ/2`.
//!
//! # Cost
//! `O(θ · EPT)` time for the RR sets, where `EPT` is the expected number of in-arcs examined
//! per RR set, plus `O(total members + n log n)` per greedy. Memory: the RR sets (4 bytes per
//! member, 8 per set, 2 more per member under IC-N) and their inverted index (the same again).

use clout_graph::Graph;

use super::bounds::{imm_lambda_prime, imm_lambda_star, lower_bound, upper_bound};
use super::coverage::coverage_of;
use super::index::Index;
use super::plan::direct_reach;
use super::rr::RrSets;
use super::{
    Guarantee, Indexed, Method, Plan, Posterior, RrMemory, Sampling, SelectConfig, SelectError,
    Selection, greedy_on_sample, phase_seed, require_rr_model,
};
use crate::prob::EdgeProbs;

/// Grid points per doubling of the lower bound `LB` (see the module docs).
const GRID_PER_DOUBLING: f64 = 8.0;

/// Chooses seeds by IMM. See the module docs for the algorithm, the correction and the claim.
///
/// Errors: signed spread ([`SelectError::Unsupported`]), every invalid configuration, and RR
/// sets beyond [`SelectConfig::memory_limit`] ([`SelectError::MemoryLimit`], checked as the
/// samples grow).
///
/// ```
/// use clout_reach::{EdgeProbs, ProbSpec};
/// use clout_reach::select::{SelectConfig, imm};
/// // A star: 0 influences 1..=9. With p = 1 the hub alone reaches everybody.
/// let pairs: Vec<(u32, u32)> = (1..10).map(|v| (0, v)).collect();
/// let g = clout_graph::from_pairs(10, &pairs, true);
/// let probs = EdgeProbs::new(&g, ProbSpec::Uniform(1.0)).unwrap();
/// let chosen = imm(&g, &probs, &SelectConfig { k: 1, ..SelectConfig::default() }).unwrap();
/// assert_eq!(chosen.seeds, vec![0]);
/// ```
pub fn imm(graph: &Graph, probs: &EdgeProbs, cfg: &SelectConfig) -> Result<Selection, SelectError> {
    require_rr_model(Method::Imm, cfg.model)?;
    let plan = Plan::new(graph, cfg)?.with_direct_floor(graph, probs)?;
    let n = plan.n;
    let scale = plan.scale;
    let weighted = plan.quality.is_some();
    let sampler = plan.sampler(graph, probs, weighted);
    let tie_break = direct_reach(graph, probs, cfg.weights.as_deref());
    let memory = RrMemory { limit: cfg.memory_limit, n };
    let mut stats = Sampling::default();
    let mut peak = 0usize;

    // Phase 1: a lower bound LB on the optimum, from a growing prefix of the RR sequence.
    let estimation = Estimation::new(&plan, cfg);
    let mut lb = plan.opt_floor;
    let mut selection = RrSets::new(weighted);
    let mut index = Index::build(&selection, n);
    for i in estimation.rounds() {
        let theta_i = estimation.sets(i);
        memory.grow(&sampler, &mut selection, theta_i, phase_seed(cfg.seed, 1), 0, Indexed::Yes)?;
        index.extend(&selection);
        peak = peak.max(selection.memory_bytes() + index.memory_bytes());
        let greedy = greedy_on_sample(&selection, &index, &plan, cfg, false, &tie_break);
        stats.rounds = i;
        if let Some(bound) = estimation.lower_bound(i, greedy.value, selection.len()) {
            lb = lb.max(bound);
            break;
        }
    }
    stats.estimation_sets = selection.len();
    stats.lower_bound_opt = Some(lb);

    // Phase 2: LB rounded down to the grid, θ = λ*/g for failure δ/(2J), the greedy on the
    // first θ sets of the same sequence (see the module docs for why this is sound).
    let theta = selection_size(&plan, cfg, lb);
    memory.grow(&sampler, &mut selection, theta, phase_seed(cfg.seed, 1), 0, Indexed::Yes)?;
    stats.members = selection.total_members();
    stats.arcs_examined = selection.arcs_examined();
    if theta < selection.len() {
        selection.truncate(theta);
        index = Index::build(&selection, n);
    } else {
        index.extend(&selection);
    }
    peak = peak.max(selection.memory_bytes() + index.memory_bytes());
    let validate = weighted || cfg.budget.is_some();
    let greedy = greedy_on_sample(&selection, &index, &plan, cfg, validate, &tie_break);
    drop(index);
    stats.selection_sets = selection.len();
    let per_set = scale / theta as f64;
    let gains: Vec<f64> = greedy.gains.iter().map(|g| g * per_set).collect();
    let ratio = plan.greedy_ratio(cfg);
    let a_priori = (!weighted).then_some(ratio - cfg.epsilon);

    let (estimate, a_posteriori) = if validate {
        let mut validation = RrSets::new(weighted);
        let held = selection.memory_bytes() as u64;
        memory.grow(
            &sampler,
            &mut validation,
            theta,
            phase_seed(cfg.seed, 3),
            held,
            Indexed::No,
        )?;
        peak = peak.max(selection.memory_bytes() + validation.memory_bytes());
        stats.validation_sets = validation.len();
        stats.members += validation.total_members();
        stats.arcs_examined += validation.arcs_examined();
        let covered = coverage_of(&validation, n, &greedy.seeds, plan.quality);
        let a = (2.0 / plan.delta).ln();
        let floor = plan.seed_floor(&greedy.seeds);
        let lower = lower_bound(covered, theta, scale, a).max(floor);
        let upper = upper_bound(greedy.upper.unwrap_or(f64::INFINITY), theta, scale, a);
        (covered * per_set, Some(Posterior { lower, upper, ratio: lower / upper }))
    } else {
        (greedy.value * per_set, None)
    };
    stats.peak_bytes = peak;
    let statement = statement(cfg, &plan, a_priori, a_posteriori.as_ref(), ratio);
    Ok(Selection {
        method: Method::Imm,
        model: cfg.model,
        cost: cfg.budget.as_ref().map(|b| greedy.seeds.iter().map(|&v| b.costs[v as usize]).sum()),
        seeds: greedy.seeds,
        gains,
        estimate: Some(estimate),
        guarantee: Guarantee { a_priori, a_posteriori, delta: plan.delta, statement },
        sampling: Some(stats),
    })
}

/// IMM's selection sample size: `λ*/g` for `LB` rounded down to the grid `g_j` and failure
/// `δ/(2J)` (see the module docs). Shared with runners that split the RR sets across processes.
pub fn selection_size(plan: &Plan, cfg: &SelectConfig, lb: f64) -> usize {
    let scale = plan.scale;
    let grid_points = (GRID_PER_DOUBLING * (scale / plan.opt_floor).log2()).floor().max(0.0) + 1.0;
    let step = (GRID_PER_DOUBLING * (lb / plan.opt_floor).log2()).floor().max(0.0);
    let lb_grid = (plan.opt_floor * 2f64.powf(step / GRID_PER_DOUBLING)).min(lb);
    let failure = plan.delta / 2.0 / grid_points;
    ((imm_lambda_star(scale, plan.ln_sets, cfg.epsilon, failure) / lb_grid).ceil() as usize).max(1)
}

/// IMM's estimation phase (Tang, Shi and Xiao 2015, Algorithm 2, lines 1-13) for one plan:
/// round `i` grows the sample to `λ' / x_i` sets with `x_i = n / 2^i`, runs the greedy, and
/// stops with `LB = n·F_R(S) / (1 + ε')` once the greedy's spread estimate reaches
/// `(1 + ε')·x_i`. Shared by [`imm`] and the distributed IMM (`clout-distributed`), which must
/// stop where one machine stops.
#[derive(Debug, Clone, Copy)]
pub struct Estimation {
    scale: f64,
    /// `ε' = √2·ε`.
    epsilon_prime: f64,
    /// `λ'` for failure probability `δ/2`.
    lambda_prime: f64,
}

impl Estimation {
    /// The estimation phase of `plan` under `cfg`.
    pub fn new(plan: &Plan, cfg: &SelectConfig) -> Estimation {
        let epsilon_prime = std::f64::consts::SQRT_2 * cfg.epsilon;
        let lambda_prime =
            imm_lambda_prime(plan.scale, plan.ln_sets, epsilon_prime, plan.delta / 2.0);
        Estimation { scale: plan.scale, epsilon_prime, lambda_prime }
    }

    /// The rounds `1 .. floor(log2 n) - 1`.
    pub fn rounds(&self) -> std::ops::Range<usize> {
        1..(self.scale.log2().floor() as i32).max(1) as usize
    }

    /// The sample size of round `i`: `ceil(λ' / x_i)`.
    pub fn sets(&self, i: usize) -> usize {
        (self.lambda_prime / self.x(i)).ceil() as usize
    }

    fn x(&self, i: usize) -> f64 {
        self.scale / 2f64.powi(i as i32)
    }

    /// The lower bound on the optimum that round `i` proves, if it does: the greedy covered
    /// `value` of `sets` RR sets.
    pub fn lower_bound(&self, i: usize, value: f64, sets: usize) -> Option<f64> {
        let spread = self.scale * value / sets as f64;
        (spread >= (1.0 + self.epsilon_prime) * self.x(i))
            .then(|| spread / (1.0 + self.epsilon_prime))
    }
}

/// IMM's guarantee in plain words, for a run with `plan` whose a priori ratio is `a_priori`
/// and whose a posteriori bounds (IC-N, budgets) are `posterior`; `ratio` is the greedy's.
pub fn statement(
    cfg: &SelectConfig,
    plan: &Plan,
    a_priori: Option<f64>,
    posterior: Option<&Posterior>,
    ratio: f64,
) -> String {
    let of = if cfg.budget.is_some() {
        "the best set within the budget"
    } else {
        "the best set of the same size"
    };
    let mut s = match a_priori {
        Some(r) => format!(
            "IMM (Tang et al. 2015, with the 2018 correction): expected {what} at \
             least {r:.4} (= {}{ratio:.4} - epsilon {}) of {of}, with probability at least {}",
            if cfg.budget.is_some() { "(1-1/e)/2 = " } else { "1-1/e = " },
            cfg.epsilon,
            super::at_least(plan.delta),
            what = plan.objective_name(),
        ),
        None => "IMM's sample size on IC-N positive reach (weighted RR coverage)".to_string(),
    };
    if let Some(p) = posterior {
        s.push_str(&format!(
            "; measured on this instance: expected positive {} at least {:.4} of {of} \
             (lower bound {:.2} / upper bound {:.2}, each with probability at least {})",
            plan.objective_name(),
            p.ratio,
            p.lower,
            p.upper,
            super::at_least(plan.delta / 2.0)
        ));
    }
    s
}
