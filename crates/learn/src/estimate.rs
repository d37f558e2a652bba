//! Per-arc influence probabilities learned from cascades.
//!
//! # Estimators (paper to code)
//! Notation of Goyal, Bonchi & Lakshmanan, "Learning Influence Probabilities in Social
//! Networks" (WSDM 2010): `A_u` = cascades in which `u` acted (`acted[u]`), `A_{u2v}` =
//! cascades in which `v` acted crediting `u` (`success`: 1 per cascade with one credited
//! parent, `1/k` each with `k` credited parents, Goyal's partial credit), `A_{u|v}` =
//! cascades in which `u` or `v` acted (`acted[u] + acted[v] - both`).
//!
//! - [`Estimator::Bernoulli`]: `p(u, v) = A_{u2v} / A_u`.
//! - [`Estimator::Jaccard`]: `p(u, v) = A_{u2v} / A_{u|v}`.
//! - [`Estimator::Em`]: Saito, Nakano & Kimura, "Prediction of Information Diffusion
//!   Probabilities for Independent Cascade Model" (KES 2008): when several earlier actors are
//!   credited for `v`, the share of `u` is its posterior `p(u, v) / (1 - prod_w (1 - p(w, v)))`
//!   (E step) and `p(u, v)` is the expected successes over `A_u` (M step), iterated. With one
//!   credited parent per action it equals the Bernoulli estimate.
//!
//! # Prior
//! Raw estimates are over-confident (most arcs are seen once, giving `p = 1` for an account
//! that acted once). Every estimator is smoothed with a Beta prior of mean `m` and strength
//! `k`: `p = (successes + k m) / (trials + k)`, with `m` a fraction of the pooled rate
//! `sum successes / sum trials` over arcs with evidence (that rate is biased upward, since an
//! arc exists only once it succeeded). The fraction and `k` are chosen on held-out cascades of
//! the training data ([`Prior::Auto`]): the training cascades are split into
//! [`LearnConfig::inner_folds`] groups; for each, the counts of the others score the held-out
//! group's chances (every arc `u -> v` with `u` active: did `v` act crediting `u`?) by
//! Bernoulli log-loss, and the pair of [`LearnConfig::mean_fractions`] x
//! [`LearnConfig::strengths`] with the lowest total wins.
//!
//! One Beta cannot fit arcs that differ in kind: on Twitter15 most arcs are a one-off retweet
//! (true `p` near 0), a few are a follower who retweets nearly every post (`p` near 1), and
//! the strength that suits the many (`k = 100`) pulls an arc seen in 5 of 5 cascades down to
//! 0.05. With [`LearnConfig::mixture`] (the default) the prior may be a two-component mixture
//! `(1 - w) Beta(k m, k (1 - m)) + w Beta(k2 m2, k2 (1 - m2))`; the posterior mean weights each
//! component's smoothed estimate by how likely it makes the arc's counts (beta-binomial), so
//! `5 / 5` follows the second component and `1 / 5` the first ([`Component`]). The second
//! component's `w`, `m2`, `k2` and the first's `m`, `k` are chosen by the same held-out
//! log-loss, by coordinate search over grids starting from the best single Beta; the mixture is
//! kept only when it scores lower (so `w = 0`, one Beta, stays possible).
//!
//! Arcs exist only where some cascade credited `u` for `v` (evidence `> 0`).
//!
//! # Cost
//! Counting is linear in the log (actions x credited parents); the prior search counts
//! `inner_folds` more times; EM costs `em_iterations` passes over the credited pairs.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::log::{ActionLog, Cascade};

/// How successes are turned into a probability. See the module docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum Estimator {
    /// `A_{u2v} / A_u` (Goyal et al. 2010, static Bernoulli). The default.
    #[default]
    Bernoulli,
    /// `A_{u2v} / A_{u|v}` (Goyal et al. 2010, Jaccard).
    Jaccard,
    /// Expectation-maximization over ambiguous parents (Saito et al. 2008).
    Em,
}

impl Estimator {
    /// The name used in reports.
    pub fn name(self) -> &'static str {
        match self {
            Estimator::Bernoulli => "bernoulli",
            Estimator::Jaccard => "jaccard",
            Estimator::Em => "em",
        }
    }
}

/// The Beta prior's strength.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Prior {
    /// Chosen on held-out cascades of the training data. The default.
    Auto,
    /// A fixed strength `k >= 0` (0: the raw estimate).
    Strength(f64),
}

/// How to learn. Every field has a default.
#[derive(Debug, Clone, PartialEq)]
pub struct LearnConfig {
    /// The estimator. Default [`Estimator::Bernoulli`].
    pub estimator: Estimator,
    /// The prior strength. Default [`Prior::Auto`].
    pub prior: Prior,
    /// Strengths tried by [`Prior::Auto`]. Default 0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000.
    pub strengths: Vec<f64>,
    /// Prior means tried by [`Prior::Auto`], as fractions of the pooled rate (the pooled rate
    /// over arcs with evidence is biased upward: an arc exists only once it succeeded).
    /// Default 1, 1/2, 1/4, ..., 1/64.
    pub mean_fractions: Vec<f64>,
    /// Held-out groups for [`Prior::Auto`] (at least 2). Default 3.
    pub inner_folds: usize,
    /// EM iterations. Default 50.
    pub em_iterations: usize,
    /// Recalibrate the smoothed probabilities by isotonic regression (pool adjacent
    /// violators) fitted on the held-out chances of [`Prior::Auto`]'s inner split, so that
    /// arcs predicted at `p` succeed a fraction `p` of the time there. Default false.
    pub isotonic: bool,
    /// With [`Prior::Auto`], also try a two-component Beta mixture prior. Default true.
    pub mixture: bool,
}

impl Default for LearnConfig {
    fn default() -> Self {
        LearnConfig {
            estimator: Estimator::Bernoulli,
            prior: Prior::Auto,
            strengths: vec![0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0],
            mean_fractions: (0..7).map(|j| 0.5f64.powi(j)).collect(),
            inner_folds: 3,
            em_iterations: 50,
            isotonic: false,
            mixture: true,
        }
    }
}

/// The held-out score of one prior (mean, strength).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct StrengthScore {
    /// The prior mean as a fraction of the pooled rate.
    pub mean_fraction: f64,
    /// The strength `k`.
    pub strength: f64,
    /// Mean Bernoulli log-loss per held-out chance (lower is better).
    pub log_loss: f64,
}

/// Learned arcs `source -> target` (account numbers of the log), sorted by (source, target).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Learned {
    /// The estimator used.
    pub estimator: Estimator,
    /// Cascades learned from.
    pub cascades: usize,
    /// Arc sources.
    #[serde(skip)]
    pub sources: Vec<u32>,
    /// Arc targets.
    #[serde(skip)]
    pub targets: Vec<u32>,
    /// Smoothed probabilities.
    #[serde(skip)]
    pub probability: Vec<f64>,
    /// Credited successes per arc (`A_{u2v}`, or EM's expected count).
    #[serde(skip)]
    pub successes: Vec<f64>,
    /// Trials per arc (the estimator's denominator).
    #[serde(skip)]
    pub trials: Vec<f64>,
    /// The pooled rate `sum successes / sum trials` over arcs with evidence.
    pub pooled_rate: f64,
    /// The prior mean `m` used.
    pub prior_mean: f64,
    /// The prior strength `k` used.
    pub prior_strength: f64,
    /// With [`Prior::Auto`], the score of every strength tried.
    pub strength_scores: Vec<StrengthScore>,
    /// With [`Prior::Auto`], the second Beta component of the prior, when one lowers the
    /// held-out log-loss (see the module docs).
    pub component: Option<Component>,
    /// The isotonic map applied after smoothing, as `(smoothed p, recalibrated p)` steps
    /// (empty: none).
    pub isotonic: Vec<(f64, f64)>,
}

impl Learned {
    /// Number of arcs (all have evidence).
    pub fn len(&self) -> usize {
        self.sources.len()
    }

    /// Whether nothing was learned.
    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }
}

/// Raw counts over a set of cascades.
struct Counts {
    /// `(u, v) -> (successes, trials)`, sorted.
    arcs: Vec<((u32, u32), f64, f64)>,
}

/// Index of each account's action in a cascade.
fn actors(c: &Cascade) -> HashMap<u32, usize> {
    c.actions.iter().enumerate().map(|(i, a)| (a.user, i)).collect()
}

fn count(log: &ActionLog, which: &[usize], cfg: &LearnConfig) -> Counts {
    let n = log.users.len();
    let mut acted = vec![0u32; n];
    let mut success: HashMap<(u32, u32), f64> = HashMap::new();
    for &ci in which {
        let c = &log.cascades[ci];
        for a in &c.actions {
            acted[a.user as usize] += 1;
            let share = 1.0 / a.parents.len().max(1) as f64;
            for &u in &a.parents {
                *success.entry((u, a.user)).or_insert(0.0) += share;
            }
        }
    }
    if cfg.estimator == Estimator::Em {
        em(log, which, &acted, &mut success, cfg.em_iterations);
    }
    let mut both: HashMap<(u32, u32), u32> = HashMap::new();
    if cfg.estimator == Estimator::Jaccard {
        let mut out: HashMap<u32, Vec<u32>> = HashMap::new();
        for &(u, v) in success.keys() {
            out.entry(u).or_default().push(v);
        }
        for &ci in which {
            let c = &log.cascades[ci];
            let here = actors(c);
            for a in &c.actions {
                for &v in out.get(&a.user).map_or(&[][..], |v| v.as_slice()) {
                    if here.contains_key(&v) {
                        *both.entry((a.user, v)).or_insert(0) += 1;
                    }
                }
            }
        }
    }
    let mut arcs: Vec<((u32, u32), f64, f64)> = success
        .into_iter()
        .filter(|&(_, s)| s > 0.0)
        .map(|((u, v), s)| {
            let trials = match cfg.estimator {
                Estimator::Jaccard => {
                    let b = both.get(&(u, v)).copied().unwrap_or(0);
                    (acted[u as usize] + acted[v as usize] - b) as f64
                }
                _ => acted[u as usize] as f64,
            };
            ((u, v), s, trials.max(s))
        })
        .collect();
    arcs.sort_unstable_by_key(|a| a.0);
    Counts { arcs }
}

/// Saito et al.'s EM: replaces the partial-credit successes by expected successes.
fn em(
    log: &ActionLog,
    which: &[usize],
    acted: &[u32],
    success: &mut HashMap<(u32, u32), f64>,
    iterations: usize,
) {
    // Index arcs, and list each ambiguous activation's arcs.
    let keys: Vec<(u32, u32)> = {
        let mut k: Vec<_> = success.keys().copied().collect();
        k.sort_unstable();
        k
    };
    let index: HashMap<(u32, u32), usize> = keys.iter().enumerate().map(|(i, &k)| (k, i)).collect();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for &ci in which {
        for a in &log.cascades[ci].actions {
            if !a.parents.is_empty() {
                groups.push(a.parents.iter().map(|&u| index[&(u, a.user)]).collect());
            }
        }
    }
    let trials: Vec<f64> = keys.iter().map(|&(u, _)| acted[u as usize].max(1) as f64).collect();
    let mut p: Vec<f64> =
        keys.iter().zip(&trials).map(|(k, t)| (success[k] / t).min(1.0)).collect();
    let mut expected = vec![0.0; keys.len()];
    for _ in 0..iterations {
        expected.iter_mut().for_each(|e| *e = 0.0);
        for g in &groups {
            let none: f64 = g.iter().map(|&i| 1.0 - p[i]).product();
            let any = (1.0 - none).max(1e-12);
            for &i in g {
                expected[i] += p[i] / any;
            }
        }
        for i in 0..p.len() {
            p[i] = (expected[i] / trials[i]).clamp(0.0, 1.0);
        }
    }
    for (k, e) in keys.iter().zip(&expected) {
        success.insert(*k, e.min(trials[index[k]]));
    }
}

fn pooled_mean(counts: &Counts) -> f64 {
    let (s, t) = counts.arcs.iter().fold((0.0, 0.0), |(s, t), a| (s + a.1, t + a.2));
    if t > 0.0 { s / t } else { 0.0 }
}

/// `p = (s + k m) / (t + k)`.
#[inline]
pub(crate) fn smoothed(s: f64, t: f64, m: f64, k: f64) -> f64 {
    if t + k > 0.0 { ((s + k * m) / (t + k)).clamp(0.0, 1.0) } else { m }
}

/// A second Beta component of the prior: weight `w`, mean `mean`, strength `strength`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Component {
    /// Its prior weight (the first component has `1 - weight`).
    pub weight: f64,
    /// Its mean.
    pub mean: f64,
    /// Its strength.
    pub strength: f64,
    /// Held-out log-loss with it (per chance).
    pub log_loss: f64,
}

/// The posterior mean of `p` after `s` successes in `t` trials under the prior
/// `(1 - w) Beta(k m, k (1 - m)) + w Beta(k2 m2, k2 (1 - m2))`: each component's smoothed
/// estimate, weighted by how likely it makes the counts. No component: [`smoothed`].
pub(crate) fn posterior(s: f64, t: f64, m: f64, k: f64, c: Option<&Component>) -> f64 {
    let Some(c) = c else { return smoothed(s, t, m, k) };
    let (a1, b1) = (k * m, k * (1.0 - m));
    let (a2, b2) = (c.strength * c.mean, c.strength * (1.0 - c.mean));
    if !(a1 > 0.0 && b1 > 0.0 && a2 > 0.0 && b2 > 0.0 && c.weight > 0.0 && c.weight < 1.0) {
        return smoothed(s, t, m, k);
    }
    let f = (t - s).max(0.0);
    let l1 = (1.0 - c.weight).ln() + ln_beta(s + a1, f + b1) - ln_beta(a1, b1);
    let l2 = c.weight.ln() + ln_beta(s + a2, f + b2) - ln_beta(a2, b2);
    // w2 = e^l2 / (e^l1 + e^l2), computed without overflow.
    let w2 = 1.0 / (1.0 + (l1 - l2).exp());
    let p = (1.0 - w2) * smoothed(s, t, m, k) + w2 * smoothed(s, t, c.mean, c.strength);
    p.clamp(0.0, 1.0)
}

/// `ln B(a, b)` for `a, b > 0`.
fn ln_beta(a: f64, b: f64) -> f64 {
    ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b)
}

/// `ln Γ(x)` for `x > 0`: Lanczos (g = 7, 9 terms; relative error below 1e-14), with the
/// reflection-free shift `Γ(x) = Γ(x + 1) / x` below 0.5.
pub(crate) fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        return ln_gamma(x + 1.0) - x.ln();
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + G + 0.5;
    for (i, &c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// Learns from the cascades `which` of `log` (all when `None`). Deterministic.
pub fn learn(log: &ActionLog, which: Option<&[usize]>, cfg: &LearnConfig) -> Learned {
    let all: Vec<usize>;
    let which = match which {
        Some(w) => w,
        None => {
            all = (0..log.cascades.len()).collect();
            &all
        }
    };
    let counts = count(log, which, cfg);
    let pooled = pooled_mean(&counts);
    let (mut fraction, mut k, scores, chances) = match cfg.prior {
        Prior::Strength(k) => (1.0, k.max(0.0), Vec::new(), Vec::new()),
        Prior::Auto => choose_strength(log, which, cfg),
    };
    let component = if cfg.prior == Prior::Auto && cfg.mixture {
        let (f2, k2, c) = choose_component(&chances, fraction, k, cfg);
        fraction = f2;
        k = k2;
        c
    } else {
        None
    };
    let steps = if cfg.isotonic {
        isotonic(chances.iter().map(|&(s, t, m, yes, no)| {
            (posterior(s, t, m * fraction, k, component.as_ref()), yes, no)
        }))
    } else {
        Vec::new()
    };
    let m = pooled * fraction;
    let mut learned = Learned {
        estimator: cfg.estimator,
        cascades: which.len(),
        sources: Vec::with_capacity(counts.arcs.len()),
        targets: Vec::with_capacity(counts.arcs.len()),
        probability: Vec::with_capacity(counts.arcs.len()),
        successes: Vec::with_capacity(counts.arcs.len()),
        trials: Vec::with_capacity(counts.arcs.len()),
        pooled_rate: pooled,
        prior_mean: m,
        prior_strength: k,
        strength_scores: scores,
        component,
        isotonic: steps,
    };
    for &((u, v), s, t) in &counts.arcs {
        learned.sources.push(u);
        learned.targets.push(v);
        let p = posterior(s, t, m, k, learned.component.as_ref());
        learned.probability.push(recalibrate(&learned.isotonic, p));
        learned.successes.push(s);
        learned.trials.push(t);
    }
    learned
}

/// The prior strength with the lowest held-out log-loss (see the module docs).
fn choose_strength(
    log: &ActionLog,
    which: &[usize],
    cfg: &LearnConfig,
) -> (f64, f64, Vec<StrengthScore>, Vec<Chance>) {
    let folds = cfg.inner_folds.max(2);
    // Held-out chances grouped by (successes, trials, prior mean): (joined, not joined).
    // Counts are few distinct values, so the grid search costs O(distinct x grid).
    let mut grouped: HashMap<(u64, u64, u64), (u64, u64)> = HashMap::new();
    for f in 0..folds {
        let held: Vec<usize> =
            which.iter().enumerate().filter(|(i, _)| i % folds == f).map(|(_, &c)| c).collect();
        let kept: Vec<usize> =
            which.iter().enumerate().filter(|(i, _)| i % folds != f).map(|(_, &c)| c).collect();
        if held.is_empty() || kept.is_empty() {
            continue;
        }
        let counts = count(log, &kept, cfg);
        let m = pooled_mean(&counts);
        let mut out: HashMap<u32, Vec<(u32, f64, f64)>> = HashMap::new();
        for &((u, v), s, t) in &counts.arcs {
            out.entry(u).or_default().push((v, s, t));
        }
        for &ci in &held {
            let c = &log.cascades[ci];
            let here = actors(c);
            for a in &c.actions {
                for &(v, s, t) in out.get(&a.user).map_or(&[][..], |v| v.as_slice()) {
                    let y = here.get(&v).is_some_and(|&i| c.actions[i].parents.contains(&a.user));
                    let e = grouped.entry((s.to_bits(), t.to_bits(), m.to_bits())).or_default();
                    if y { e.0 += 1 } else { e.1 += 1 }
                }
            }
        }
    }
    let fractions =
        if cfg.mean_fractions.is_empty() { vec![1.0] } else { cfg.mean_fractions.clone() };
    let chances: Vec<Chance> = {
        let mut c: Vec<_> = grouped
            .into_iter()
            .map(|((s, t, m), (a, b))| {
                (f64::from_bits(s), f64::from_bits(t), f64::from_bits(m), a, b)
            })
            .collect();
        // A fixed order, so the floating-point sums do not depend on hashing.
        c.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.total_cmp(&y.1)).then(x.2.total_cmp(&y.2)));
        c
    };
    let count: u64 = chances.iter().map(|c| c.3 + c.4).sum();
    let grid: Vec<(f64, f64)> =
        fractions.iter().flat_map(|&f| cfg.strengths.iter().map(move |&k| (f, k))).collect();
    let scores: Vec<StrengthScore> = grid
        .par_iter()
        .map(|&(fraction, k)| {
            let total: f64 = chances
                .iter()
                .map(|&(s, t, m, yes, no)| {
                    let p = smoothed(s, t, m * fraction, k).clamp(1e-9, 1.0 - 1e-9);
                    -(yes as f64) * p.ln() - (no as f64) * (1.0 - p).ln()
                })
                .sum();
            StrengthScore {
                mean_fraction: fraction,
                strength: k,
                log_loss: total / count.max(1) as f64,
            }
        })
        .collect();
    let best = scores.iter().min_by(|a, b| a.log_loss.total_cmp(&b.log_loss));
    match best {
        Some(b) => (b.mean_fraction, b.strength, scores, chances),
        None => (1.0, 1.0, scores, chances),
    }
}

/// Mean held-out log-loss of a prior over grouped chances.
fn held_out_loss(chances: &[Chance], fraction: f64, k: f64, c: Option<&Component>) -> f64 {
    let (total, count) = chances.iter().fold((0.0, 0u64), |(total, count), &(s, t, m, yes, no)| {
        let p = posterior(s, t, m * fraction, k, c).clamp(1e-9, 1.0 - 1e-9);
        (total - (yes as f64) * p.ln() - (no as f64) * (1.0 - p).ln(), count + yes + no)
    });
    total / count.max(1) as f64
}

/// The second component (and the first's refitted mean and strength) with the lowest
/// held-out log-loss, by coordinate search over grids; `None` when none beats one Beta.
fn choose_component(
    chances: &[Chance],
    fraction: f64,
    k: f64,
    cfg: &LearnConfig,
) -> (f64, f64, Option<Component>) {
    if chances.is_empty() || k <= 0.0 {
        return (fraction, k, None);
    }
    let single = held_out_loss(chances, fraction, k, None);
    let (mut fraction, mut k) = (fraction, k);
    let mut best: Option<Component> = None;
    let mut loss = single;
    let fractions =
        if cfg.mean_fractions.is_empty() { vec![1.0] } else { cfg.mean_fractions.clone() };
    let grid: Vec<(f64, f64, f64)> = COMPONENT_WEIGHTS
        .iter()
        .flat_map(|&w| {
            COMPONENT_MEANS
                .iter()
                .flat_map(move |&m| COMPONENT_STRENGTHS.iter().map(move |&s| (w, m, s)))
        })
        .collect();
    let first: Vec<(f64, f64)> = fractions
        .iter()
        .flat_map(|&f| cfg.strengths.iter().filter(|&&k| k > 0.0).map(move |&k| (f, k)))
        .collect();
    for _ in 0..4 {
        let (f0, k0) = (fraction, k);
        let found = grid
            .par_iter()
            .map(|&(weight, mean, strength)| {
                let c = Component { weight, mean, strength, log_loss: 0.0 };
                Component { log_loss: held_out_loss(chances, f0, k0, Some(&c)), ..c }
            })
            .min_by(|a, b| a.log_loss.total_cmp(&b.log_loss));
        let Some(c) = found else { break };
        if c.log_loss >= loss {
            break;
        }
        loss = c.log_loss;
        best = Some(c);
        let refit = first
            .par_iter()
            .map(|&(f, k)| (f, k, held_out_loss(chances, f, k, Some(&c))))
            .min_by(|a, b| a.2.total_cmp(&b.2));
        if let Some((f, k2, l)) = refit {
            if l < loss {
                fraction = f;
                k = k2;
                loss = l;
                best = Some(Component { log_loss: l, ..c });
            }
        }
    }
    (fraction, k, best)
}

const COMPONENT_WEIGHTS: [f64; 9] = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 0.5];
const COMPONENT_MEANS: [f64; 8] = [0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9];
const COMPONENT_STRENGTHS: [f64; 5] = [0.3, 1.0, 3.0, 10.0, 30.0];

/// Held-out chances with the same counts: (successes, trials, prior mean, joined, not joined).
type Chance = (f64, f64, f64, u64, u64);

/// Isotonic regression (pool adjacent violators) of outcomes on predictions: the
/// non-decreasing step function closest in squared error. Returns `(lowest p of the block,
/// block rate)` steps in ascending order.
pub(crate) fn isotonic(points: impl Iterator<Item = (f64, u64, u64)>) -> Vec<(f64, f64)> {
    let mut pts: Vec<(f64, u64, u64)> = points.filter(|p| p.1 + p.2 > 0).collect();
    pts.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Blocks: (lowest p, joined, total).
    let mut blocks: Vec<(f64, f64, f64)> = Vec::new();
    for (p, yes, no) in pts {
        blocks.push((p, yes as f64, (yes + no) as f64));
        while blocks.len() > 1 {
            let b = blocks[blocks.len() - 1];
            let a = blocks[blocks.len() - 2];
            if a.1 / a.2 >= b.1 / b.2 {
                blocks.pop();
                let last = blocks.last_mut().expect("two blocks");
                last.1 += b.1;
                last.2 += b.2;
            } else {
                break;
            }
        }
    }
    blocks.into_iter().map(|(p, y, n)| (p, y / n)).collect()
}

/// Applies isotonic steps: the rate of the last block starting at or below `p` (the first
/// block's rate below it). No steps: `p` unchanged.
pub(crate) fn recalibrate(steps: &[(f64, f64)], p: f64) -> f64 {
    if steps.is_empty() {
        return p;
    }
    let i = steps.partition_point(|s| s.0 <= p);
    steps[i.saturating_sub(1)].1
}
