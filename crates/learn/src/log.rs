//! The action log every reader produces: cascades of timestamped actions by accounts, each
//! action with the accounts credited for it.
//!
//! # Direction
//! A credited parent `u` of an action by `v` means information flowed `u -> v` (`v` retweeted,
//! replied to or mentioned `u`'s post), so learned arcs point the way influence flows, as every
//! clout graph does.

use std::collections::HashMap;

/// One account's action in one cascade: its first action there (later ones are dropped: an
/// account joins a cascade once, as in the Independent Cascade model).
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    /// The account (index into [`ActionLog::users`]).
    pub user: u32,
    /// Minutes since the cascade's first action.
    pub time: f64,
    /// The accounts credited for this action: the parent when the log names it, otherwise
    /// earlier actors among the account's in-neighbours in a social graph (see
    /// [`credit_from_graph`](crate::credit_from_graph)). Empty for the cascade's root.
    pub parents: Vec<u32>,
}

/// One cascade (an information item and everyone who acted on it), actions in time order.
#[derive(Debug, Clone, PartialEq)]
pub struct Cascade {
    /// Its name in the log (a tree file's source tweet id, a window number, a CSV cascade id).
    pub id: String,
    /// A label when the log has one (Twitter15/16: non-rumor, false, true, unverified).
    pub label: Option<String>,
    /// Absolute start time in minutes when the log has absolute times (Higgs, CSV), else 0.
    pub start: f64,
    /// Actions in time order (ties in log order), one per account.
    pub actions: Vec<Action>,
}

impl Cascade {
    /// The first action's account (the source of a propagation tree).
    pub fn root(&self) -> Option<u32> {
        self.actions.first().map(|a| a.user)
    }

    /// Accounts that acted within `minutes` of the cascade's start (the seeds of the "early
    /// adopters" variant).
    pub fn early(&self, minutes: f64) -> Vec<u32> {
        self.actions.iter().take_while(|a| a.time <= minutes).map(|a| a.user).collect()
    }
}

/// Cascades over one account id space, with original account ids.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActionLog {
    /// Original account ids; an [`Action::user`] indexes this.
    pub users: Vec<String>,
    /// The cascades, in a deterministic order (by id for tree files, by time otherwise).
    pub cascades: Vec<Cascade>,
    /// Where the log came from (file names, format).
    pub provenance: String,
}

impl ActionLog {
    /// Total actions over all cascades.
    pub fn action_count(&self) -> usize {
        self.cascades.iter().map(|c| c.actions.len()).sum()
    }
}

/// Interns original ids as dense `u32` account numbers, in order of first appearance.
#[derive(Debug, Default)]
pub(crate) struct Interner {
    pub(crate) names: Vec<String>,
    index: HashMap<String, u32>,
}

impl Interner {
    pub(crate) fn id(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(name.to_string());
        self.index.insert(name.to_string(), i);
        i
    }
}

/// Collects one cascade's raw events `(user, time, parent)` into a [`Cascade`]: events are
/// sorted by time (stably), each account keeps its first action, self-credit is dropped, and a
/// credited parent that never acted itself is added as acting just before its first child
/// (it must have posted for anyone to react), so that every credited parent counts as active
/// in the cascade.
pub(crate) fn assemble(
    id: String,
    label: Option<String>,
    start: f64,
    mut events: Vec<(u32, f64, Option<u32>)>,
) -> Cascade {
    events.sort_by(|a, b| a.1.total_cmp(&b.1));
    let mut seen: HashMap<u32, usize> = HashMap::new();
    let mut actions: Vec<Action> = Vec::with_capacity(events.len());
    for (user, time, parent) in events {
        let parent = parent.filter(|&p| p != user);
        if let Some(p) = parent
            && !seen.contains_key(&p)
        {
            seen.insert(p, actions.len());
            actions.push(Action { user: p, time, parents: Vec::new() });
        }
        if seen.contains_key(&user) {
            continue;
        }
        seen.insert(user, actions.len());
        actions.push(Action { user, time, parents: parent.into_iter().collect() });
    }
    let t0 = actions.first().map_or(0.0, |a| a.time);
    for a in &mut actions {
        a.time -= t0;
    }
    Cascade { id, label, start: start + t0, actions }
}
