//! Accounts a cascade gains through links never seen in training: the part of a real cascade
//! that no Independent Cascade model on the training graph can reach, estimated from the
//! training cascades alone by Good–Turing's rule.
//!
//! An IC model on the training graph predicts who joins *through the arcs it learned*. In real
//! cascades most joiners arrive through links seen for the first time (on Twitter15, 73 % of a
//! held-out cascade's accounts are not in the training graph at all), so its expected size
//! under-counts by construction. Good & Turing's estimate (Good, Biometrika 1953) of the mass
//! of unseen species is the share of species seen exactly once; applied per account, the
//! expected number of children `u` gains through arcs it has never used, in its next cascade,
//! is
//!
//! ```text
//! rate(u) = (out-arcs of u credited in exactly one training cascade) / (training cascades u acted in)
//! ```
//!
//! Each such child brings its own sub-tree: [`Novelty::subtree`] is the mean size (the child
//! included) of the sub-trees hanging from first-seen links in the training cascades.
//!
//! With `by_role` (root seeds: the account that starts a cascade), seeds are counted in their
//! role as seeds. An account that starts a cascade reaches other people than when it passes one
//! on (on Twitter15, a root's children are its own audience; an account seen only retweeting
//! was itself retweeted almost never), so a seed's rate counts only the training cascades it
//! seeded:
//!
//! ```text
//! seed_rate(s) = (children of s, in cascades s seeded, seen in exactly one of them) / (cascades s seeded)
//! ```
//!
//! A seed that never seeded a training cascade, whether absent from the training graph or
//! seen there only passing cascades on, has no history as a seed; it gets
//! [`Novelty::unseen_seed`], the mean number of children of training seeds that seeded exactly
//! one training cascade (the closest seeds to "never seen", by the same rule).
//!
//! Without `by_role` (early seeds: every account active in a cascade's first minutes, mostly
//! accounts passing it on, the same role as in their history), a seed counts as any account:
//! `seed_rate(s) = rate(s)` when `s` acted in training, and a seed that never acted in
//! training gets the mean children of training seeds that acted in exactly one training
//! cascade.
//!
//! A model's size prediction is then
//! `E[in-graph size] + subtree · (Σ_{v not a seed} P(v active) · rate(v) + Σ_{seeds s} seed_rate(s))`,
//! the same term for every compared model, weighted by each model's own activation
//! probabilities. Nothing of a held-out cascade enters the counts.

use std::collections::HashMap;

use serde::Serialize;

use crate::log::ActionLog;

/// Good–Turing rates of first-seen links, learned on training cascades.
#[derive(Debug, Clone, PartialEq)]
pub struct Novelty {
    /// Per account of the log: expected children through arcs not seen in training, per
    /// cascade it acts in (0 for accounts that never acted in training).
    pub rate: Vec<f64>,
    /// Per account of the log, as a seed: expected children through links not seen in the
    /// training cascades it seeded, per cascade it seeds (`None`: it never seeded one).
    pub seed_rate: Vec<Option<f64>>,
    /// Expected children of a seed with no training history as a seed.
    pub unseen_seed: f64,
    /// Mean sub-tree size (the child included) below a first-seen link.
    pub subtree: f64,
    /// Mean of `rate` over accounts that acted in training.
    pub mean_rate: f64,
}

/// A fold's novelty summary, for the validation record.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct NoveltySummary {
    /// [`Novelty::unseen_seed`].
    pub unseen_seed_children: f64,
    /// [`Novelty::subtree`].
    pub subtree: f64,
    /// Mean of `rate` over accounts that acted in training.
    pub mean_rate: f64,
}

impl Novelty {
    /// Counts the training cascades `train` of `log`; `seeds_of` gives a cascade's seeds.
    ///
    /// A child's tree parent is its first credited parent (the only one in propagation
    /// trees); a link `u -> v` counts once per cascade however many times it is credited.
    pub fn learn(
        log: &ActionLog,
        train: &[usize],
        seeds_of: impl Fn(&crate::log::Cascade) -> Vec<u32>,
        by_role: bool,
    ) -> Novelty {
        let mut acted = vec![0u32; log.users.len()];
        let mut seeded = vec![0u32; log.users.len()];
        let mut links: HashMap<(u32, u32), u32> = HashMap::new();
        // Links out of a seed, counted over the cascades it seeded only.
        let mut seed_links: HashMap<(u32, u32), u32> = HashMap::new();
        // Each training cascade's seeds, sorted and distinct (used by both passes below).
        let seed_lists: Vec<Vec<u32>> = train
            .iter()
            .map(|&ci| {
                let mut seeds = seeds_of(&log.cascades[ci]);
                seeds.sort_unstable();
                seeds.dedup();
                seeds
            })
            .collect();
        for (&ci, seeds) in train.iter().zip(&seed_lists) {
            let c = &log.cascades[ci];
            for &s in seeds {
                seeded[s as usize] += 1;
            }
            for a in &c.actions {
                acted[a.user as usize] += 1;
                let mut parents = a.parents.clone();
                parents.sort_unstable();
                parents.dedup();
                for p in parents {
                    *links.entry((p, a.user)).or_default() += 1;
                    if by_role && seeds.binary_search(&p).is_ok() {
                        *seed_links.entry((p, a.user)).or_default() += 1;
                    }
                }
            }
        }
        let mut once = vec![0u32; log.users.len()];
        for (&(u, _), &k) in &links {
            if k == 1 {
                once[u as usize] += 1;
            }
        }
        let rate: Vec<f64> = once
            .iter()
            .zip(&acted)
            .map(|(&f1, &a)| if a == 0 { 0.0 } else { f64::from(f1) / f64::from(a) })
            .collect();
        let mut seed_once = vec![0u32; log.users.len()];
        for (&(s, _), &k) in &seed_links {
            if k == 1 {
                seed_once[s as usize] += 1;
            }
        }
        let seed_rate: Vec<Option<f64>> = if by_role {
            seed_once
                .iter()
                .zip(&seeded)
                .map(|(&f1, &n)| (n > 0).then(|| f64::from(f1) / f64::from(n)))
                .collect()
        } else {
            rate.iter().zip(&acted).map(|(&r, &a)| (a > 0).then_some(r)).collect()
        };
        // The seeds that stand in for a seed never seen: seeded once (by role) or acted once.
        let once_seen = if by_role { &seeded } else { &acted };

        // Sub-trees below first-seen links, and children of once-seen seeds.
        let (mut subtree_sum, mut subtree_count) = (0u64, 0u64);
        let (mut seed_children, mut seed_count) = (0u64, 0u64);
        let mut size: Vec<u64> = Vec::new();
        let mut children: Vec<u64> = Vec::new();
        for (&ci, seeds) in train.iter().zip(&seed_lists) {
            let c = &log.cascades[ci];
            let index: HashMap<u32, usize> =
                c.actions.iter().enumerate().map(|(i, a)| (a.user, i)).collect();
            let parent: Vec<Option<usize>> = c
                .actions
                .iter()
                .map(|a| a.parents.first().and_then(|p| index.get(p)).copied())
                .collect();
            size.clear();
            size.resize(c.actions.len(), 1);
            children.clear();
            children.resize(c.actions.len(), 0);
            // A parent is recorded before its children, so sizes fold from the end.
            for i in (0..c.actions.len()).rev() {
                if let Some(p) = parent[i]
                    && p != i
                {
                    size[p] += size[i];
                    children[p] += 1;
                }
            }
            for (i, a) in c.actions.iter().enumerate() {
                if let Some(p) = parent[i]
                    && links.get(&(c.actions[p].user, a.user)) == Some(&1)
                {
                    subtree_sum += size[i];
                    subtree_count += 1;
                }
            }
            for &s in seeds {
                if once_seen[s as usize] == 1
                    && let Some(&i) = index.get(&s)
                {
                    seed_children += children[i];
                    seed_count += 1;
                }
            }
        }
        let mean = |sum: f64, count: u64, empty: f64| {
            if count == 0 { empty } else { sum / count as f64 }
        };
        let actors = acted.iter().filter(|&&a| a > 0).count() as u64;
        Novelty {
            mean_rate: mean(rate.iter().sum(), actors, 0.0),
            rate,
            seed_rate,
            unseen_seed: mean(seed_children as f64, seed_count, 0.0),
            subtree: mean(subtree_sum as f64, subtree_count, 1.0),
        }
    }

    /// The expected accounts gained through first-seen links, given the cascade's `seeds`
    /// (accounts of the log, sorted, in the training graph or not) and each other account's
    /// activation probability (`active`: `(account of the log, probability)`; seeds in it are
    /// skipped).
    pub fn expected(&self, active: impl Iterator<Item = (u32, f64)>, seeds: &[u32]) -> f64 {
        let others: f64 = active
            .filter(|(u, _)| seeds.binary_search(u).is_err())
            .map(|(u, p)| p * self.rate[u as usize])
            .sum();
        let seeds: f64 =
            seeds.iter().map(|&s| self.seed_rate[s as usize].unwrap_or(self.unseen_seed)).sum();
        (others + seeds) * self.subtree
    }

    /// The summary recorded per fold.
    pub fn summary(&self) -> NoveltySummary {
        NoveltySummary {
            unseen_seed_children: self.unseen_seed,
            subtree: self.subtree,
            mean_rate: self.mean_rate,
        }
    }
}
