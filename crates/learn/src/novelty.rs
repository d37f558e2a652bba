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
//! included) of the sub-trees hanging from first-seen links in the training cascades. A seed
//! absent from the training graph has no history; [`Novelty::unseen_seed`] is the mean number
//! of children of training seeds that acted in exactly one training cascade (the closest
//! accounts to "never seen"), by the same rule.
//!
//! A model's size prediction is then
//! `E[in-graph size] + subtree · (Σ_v P(v active) · rate(v) + unseen seeds · unseen_seed)`,
//! the same term for every compared model, weighted by each model's own activation
//! probabilities (seeds have probability 1). Nothing of a held-out cascade enters the counts.

use std::collections::HashMap;

use serde::Serialize;

use crate::log::ActionLog;

/// Good–Turing rates of first-seen links, learned on training cascades.
#[derive(Debug, Clone, PartialEq)]
pub struct Novelty {
    /// Per account of the log: expected children through arcs not seen in training, per
    /// cascade it acts in (0 for accounts that never acted in training).
    pub rate: Vec<f64>,
    /// Expected children of a seed with no training history.
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
    ) -> Novelty {
        let mut acted = vec![0u32; log.users.len()];
        let mut links: HashMap<(u32, u32), u32> = HashMap::new();
        for &ci in train {
            let c = &log.cascades[ci];
            for a in &c.actions {
                acted[a.user as usize] += 1;
                let mut parents = a.parents.clone();
                parents.sort_unstable();
                parents.dedup();
                for p in parents {
                    *links.entry((p, a.user)).or_default() += 1;
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

        // Sub-trees below first-seen links, and children of once-seen seeds.
        let (mut subtree_sum, mut subtree_count) = (0u64, 0u64);
        let (mut seed_children, mut seed_count) = (0u64, 0u64);
        let mut size: Vec<u64> = Vec::new();
        let mut children: Vec<u64> = Vec::new();
        for &ci in train {
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
            for s in seeds_of(c) {
                if acted[s as usize] == 1
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
            unseen_seed: mean(seed_children as f64, seed_count, 0.0),
            subtree: mean(subtree_sum as f64, subtree_count, 1.0),
        }
    }

    /// The expected accounts gained through first-seen links, given each account's
    /// activation probability (`active`: `(account of the log, probability)`) and the number
    /// of seeds with no training history.
    pub fn expected(&self, active: impl Iterator<Item = (u32, f64)>, unseen_seeds: usize) -> f64 {
        let children: f64 = active.map(|(u, p)| p * self.rate[u as usize]).sum::<f64>()
            + unseen_seeds as f64 * self.unseen_seed;
        children * self.subtree
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
