//! The memory budget of a run, and the check made before every large allocation.
//!
//! A budget is either set by the program ([`set_limit`], e.g. from a command line's
//! `--max-memory`) or, by default, the memory available when a check runs: `MemAvailable`
//! from `/proc/meminfo`, lowered to what the process's cgroup still allows (v2 `memory.max`
//! minus `memory.current` over the cgroup and its ancestors, or v1 `memory.limit_in_bytes`
//! minus `memory.usage_in_bytes`). Where neither can be read there is no limit, and the
//! engines' fallible allocations are the only guard.
//!
//! The budget counts the work of a call — RR sets, per-trial results, generated arcs,
//! per-thread scratch — not the graph it runs on, which is already loaded (or mapped).

use std::sync::OnceLock;

use crate::setting::Setting;

/// A call that would need more memory than the budget allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemoryLimit {
    /// What needs it ("simulating 1000 trials").
    pub what: String,
    /// Estimated bytes.
    pub needed: u64,
    /// The budget it exceeds.
    pub budget: Budget,
    /// What to lower.
    pub lower: Setting,
}

/// The limit a program set, once, for the rest of the process.
static LIMIT: OnceLock<Option<u64>> = OnceLock::new();

/// Sets the memory limit (bytes) for the rest of the process; `None` keeps the detected
/// limit. Only the first call counts; returns whether this one did.
pub fn set_limit(bytes: Option<u64>) -> bool {
    LIMIT.set(bytes).is_ok()
}

/// The memory a call may allocate now, and where that number comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Bytes; `u64::MAX` when nothing limits them.
    pub bytes: u64,
    /// What set the limit.
    pub source: BudgetSource,
}

/// Where a [`Budget`] comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetSource {
    /// [`set_limit`].
    Set,
    /// `MemAvailable` of `/proc/meminfo`.
    MemAvailable,
    /// The cgroup's memory limit minus its usage.
    Cgroup,
    /// Nothing could be read.
    Unknown,
}

impl BudgetSource {
    /// How a message says where the limit comes from: "allowed by the memory limit",
    /// "available (MemAvailable in /proc/meminfo)", ...
    pub fn describe(self) -> &'static str {
        match self {
            BudgetSource::Set => "allowed by the memory limit",
            BudgetSource::MemAvailable => "available (MemAvailable in /proc/meminfo)",
            BudgetSource::Cgroup => "left under this cgroup's memory limit",
            BudgetSource::Unknown => "addressable",
        }
    }
}

/// The current budget: the limit set with [`set_limit`], else the available memory.
pub fn budget() -> Budget {
    if let Some(Some(bytes)) = LIMIT.get() {
        return Budget { bytes: *bytes, source: BudgetSource::Set };
    }
    available()
}

/// The memory available to this process now (see the module docs).
pub fn available() -> Budget {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok().and_then(|t| mem_available(&t));
    let cgroup = cgroup_remaining();
    match (meminfo, cgroup) {
        (Some(m), Some(c)) if c < m => Budget { bytes: c, source: BudgetSource::Cgroup },
        (Some(m), _) => Budget { bytes: m, source: BudgetSource::MemAvailable },
        (None, Some(c)) => Budget { bytes: c, source: BudgetSource::Cgroup },
        (None, None) => Budget { bytes: u64::MAX, source: BudgetSource::Unknown },
    }
}

/// The limit to hand to engine calls that check their own growth (RR sets, CELF): `None`
/// when nothing limits it.
pub fn engine_limit() -> Option<u64> {
    let b = budget();
    (b.source != BudgetSource::Unknown).then_some(b.bytes)
}

/// Fails with a [`MemoryLimit`] when `needed` bytes exceed the budget. `what` says what
/// needs them ("simulating 1000000 trials"); `lower` is the setting that reduces them.
pub fn check(needed: u64, what: impl Into<String>, lower: Setting) -> Result<(), MemoryLimit> {
    check_against(budget(), needed, what, lower)
}

/// [`check`] against a given budget.
pub fn check_against(
    budget: Budget,
    needed: u64,
    what: impl Into<String>,
    lower: Setting,
) -> Result<(), MemoryLimit> {
    if needed <= budget.bytes {
        return Ok(());
    }
    Err(MemoryLimit { what: what.into(), needed, budget, lower })
}

/// `1536` -> `1.5 KiB`: bytes with a binary unit, for messages.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 7] = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 { format!("{bytes} bytes") } else { format!("{value:.1} {}", UNITS[unit]) }
}

/// `MemAvailable` of a `/proc/meminfo` text, in bytes.
fn mem_available(meminfo: &str) -> Option<u64> {
    let line = meminfo.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib.saturating_mul(1024))
}

/// What the cgroup limits still allow (the smallest over the cgroup and its ancestors), if
/// any limit is set.
fn cgroup_remaining() -> Option<u64> {
    let read = |path: &str| std::fs::read_to_string(path).ok();
    let number = |text: Option<String>| text.and_then(|t| t.trim().parse::<u64>().ok());
    let mut best: Option<u64> = None;
    let mut consider = |limit: Option<u64>, usage: Option<u64>| {
        if let Some(limit) = limit {
            let left = limit.saturating_sub(usage.unwrap_or(0));
            best = Some(best.map_or(left, |b| b.min(left)));
        }
    };
    // cgroup v2: the process's own cgroup and its ancestors ("max" means unlimited).
    let own = read("/proc/self/cgroup")
        .and_then(|t| t.lines().find_map(|l| l.strip_prefix("0::").map(str::to_string)));
    let mut dirs = vec!["/sys/fs/cgroup".to_string()];
    if let Some(own) = own {
        let mut path = String::from("/sys/fs/cgroup");
        for part in own.trim().split('/').filter(|p| !p.is_empty()) {
            path.push('/');
            path.push_str(part);
            dirs.push(path.clone());
        }
    }
    for dir in &dirs {
        let limit = number(read(&format!("{dir}/memory.max")));
        consider(limit, number(read(&format!("{dir}/memory.current"))));
    }
    // cgroup v1: a limit near 2^63 means unlimited.
    let v1 = number(read("/sys/fs/cgroup/memory/memory.limit_in_bytes")).filter(|&l| l < 1 << 62);
    consider(v1, number(read("/sys/fs/cgroup/memory/memory.usage_in_bytes")));
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meminfo_is_read_in_bytes() {
        let text = "MemTotal:       24683780 kB\nMemAvailable:   2048 kB\n";
        assert_eq!(mem_available(text), Some(2048 * 1024));
        assert_eq!(mem_available("MemTotal: 5 kB\n"), None);
    }

    #[test]
    fn the_check_names_the_estimate_the_limit_and_the_setting() {
        let budget = Budget { bytes: 1 << 30, source: BudgetSource::Set };
        assert!(check_against(budget, 1 << 30, "x", Setting::Trials).is_ok());
        let err =
            check_against(budget, 3 << 40, "simulating 10 trials", Setting::Trials).unwrap_err();
        assert_eq!(err.lower, Setting::Trials);
        let text = crate::Error::from(err).to_string();
        assert!(text.contains("3.0 TiB"), "{text}");
        assert!(text.contains("1.0 GiB allowed by the memory limit"), "{text}");
        assert!(text.contains("simulating 10 trials"), "{text}");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(12), "12 bytes");
    }
}
