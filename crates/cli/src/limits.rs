//! Resource limits of one `clout` run: the memory budget (an explicit `--max-memory SIZE`, else
//! the memory available now), parsing SIZE and `--threads`, and the check every command makes
//! before a large allocation.
//!
//! # The budget
//! With `--max-memory SIZE`, a command may allocate at most SIZE for its work: RR sets,
//! per-trial results, generated arcs, per-thread scratch (the graph it loaded is not counted).
//! The flag replaces the detected limit, so it can also allow more (with swap, say).
//! Without it, the limit is the memory available when the check runs: `MemAvailable` from
//! `/proc/meminfo`, lowered to what the process's cgroup (v2 `memory.max` minus
//! `memory.current` over the cgroup and its ancestors, or v1 `memory.limit_in_bytes` minus
//! `memory.usage_in_bytes`) still allows. Where neither can be read there is no limit, and the
//! library's fallible allocations are the only guard.
//!
//! # The check
//! [`check`] compares an estimate (the library crates' `memory_estimate` functions, computed
//! with saturating arithmetic) with the budget and fails with an error that names the estimate,
//! the limit and where it came from, and what to lower. Errors exit with status 1.

use std::sync::OnceLock;

use anyhow::{Result, bail};

/// The explicit `--max-memory`, recorded once at start-up.
static MAX_MEMORY: OnceLock<Option<u64>> = OnceLock::new();

/// The fewest threads `--threads` caps at, whatever the core count (so determinism tests at
/// a few dozen threads run anywhere).
const MIN_THREAD_CAP: usize = 64;
/// Threads allowed per core.
const THREADS_PER_CORE: usize = 4;
/// The most threads `--threads` accepts on any machine.
const MAX_THREADS: usize = 1024;

/// Records `--max-memory` (bytes) for the rest of the run.
pub fn init(max_memory: Option<u64>) {
    let _ = MAX_MEMORY.set(max_memory);
}

/// The memory a command may allocate now, and where that number comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Bytes; `u64::MAX` when nothing limits them.
    pub bytes: u64,
    /// What set the limit.
    pub source: Source,
}

/// Where a [`Budget`] comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// `--max-memory`.
    Flag,
    /// `MemAvailable` of `/proc/meminfo`.
    MemAvailable,
    /// The cgroup's memory limit minus its usage.
    Cgroup,
    /// Nothing could be read.
    Unknown,
}

/// The current budget: `--max-memory` when given, else the available memory.
pub fn budget() -> Budget {
    if let Some(Some(bytes)) = MAX_MEMORY.get() {
        return Budget { bytes: *bytes, source: Source::Flag };
    }
    available()
}

/// The memory available to this process now (see the module docs).
pub fn available() -> Budget {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok().and_then(|t| mem_available(&t));
    let cgroup = cgroup_remaining();
    match (meminfo, cgroup) {
        (Some(m), Some(c)) if c < m => Budget { bytes: c, source: Source::Cgroup },
        (Some(m), _) => Budget { bytes: m, source: Source::MemAvailable },
        (None, Some(c)) => Budget { bytes: c, source: Source::Cgroup },
        (None, None) => Budget { bytes: u64::MAX, source: Source::Unknown },
    }
}

/// The memory limit for library calls that check their own growth (RR sets): `None` when
/// nothing limits it.
pub fn library_limit() -> Option<u64> {
    let b = budget();
    (b.source != Source::Unknown).then_some(b.bytes)
}

/// Fails when `needed` bytes exceed the budget. `what` says what needs them ("simulating
/// 1000000 trials"); `lower` says which flag to lower ("--trials").
pub fn check(needed: u64, what: &str, lower: &str) -> Result<()> {
    check_against(budget(), needed, what, lower)
}

/// [`check`] against a given budget.
pub fn check_against(budget: Budget, needed: u64, what: &str, lower: &str) -> Result<()> {
    if needed <= budget.bytes {
        return Ok(());
    }
    let (limit, raise) = match budget.source {
        Source::Flag => ("allowed by --max-memory", "raise --max-memory"),
        Source::MemAvailable => {
            ("available (MemAvailable in /proc/meminfo)", "set --max-memory to allow more")
        }
        Source::Cgroup => ("left under this cgroup's memory limit", "raise the cgroup limit"),
        Source::Unknown => ("addressable", "use a smaller input"),
    };
    bail!(
        "{what} needs about {} of memory, more than the {} {limit}; lower {lower} (or {raise})",
        human_bytes(needed),
        human_bytes(budget.bytes)
    )
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

/// Parses `--max-memory SIZE`: a positive number of bytes, optionally with a fraction and a
/// binary unit K, M, G, T, P or E (1024-based; `KB`, `KiB` and lower case are the same).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        "t" | "tb" | "tib" => 40,
        "p" | "pb" | "pib" => 50,
        "e" | "eb" | "eib" => 60,
        _ => return Err(format!("`{text}` is not a size such as 512M, 2G or 1.5T")),
    };
    let valid = !number.is_empty() && number.matches('.').count() <= 1 && number != ".";
    let value: f64 = match number.parse() {
        Ok(v) if valid => v,
        _ => return Err(format!("`{text}` is not a size such as 512M, 2G or 1.5T")),
    };
    let bytes = value * (1u64 << shift) as f64;
    if bytes < 1.0 {
        return Err(format!("`{text}` is less than one byte; give a positive size such as 2G"));
    }
    // 2^64 as f64 is exact; anything at or above it does not fit.
    if bytes >= 18_446_744_073_709_551_616.0 {
        return Err(format!("`{text}` is more than 16 EiB"));
    }
    Ok(bytes as u64)
}

/// The most `--threads` accepts here: four per core, at least 64, at most 1024.
pub fn thread_cap() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    cores.saturating_mul(THREADS_PER_CORE).clamp(MIN_THREAD_CAP, MAX_THREADS)
}

/// Parses `--threads T`: 1 up to [`thread_cap`].
pub fn parse_threads(text: &str) -> Result<usize, String> {
    let cap = thread_cap();
    let threads: usize = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a whole number of threads (1 to {cap})"))?;
    if threads == 0 {
        return Err("at least one thread is needed (leave --threads out for one per core)".into());
    }
    if threads > cap {
        return Err(format!(
            "{threads} threads is above the cap of {cap} on this machine (four per core, at \
             least {MIN_THREAD_CAP}, at most {MAX_THREADS}); more threads than that only add \
             memory and start-up time"
        ));
    }
    Ok(threads)
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
    fn sizes_parse_with_binary_units() {
        assert_eq!(parse_size("2G"), Ok(2 << 30));
        assert_eq!(parse_size("512m"), Ok(512 << 20));
        assert_eq!(parse_size("1.5GiB"), Ok(3 << 29));
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size("1kb"), Ok(1024));
        assert_eq!(parse_size("15E"), Ok(15 << 60));
        for bad in ["", "0", "0.1", "-1", "NaN", "inf", "1e9", "2X", "1..5G", ".", "16E", "1e30T"] {
            assert!(parse_size(bad).is_err(), "{bad} parsed");
        }
    }

    #[test]
    fn threads_are_capped() {
        assert_eq!(parse_threads("1"), Ok(1));
        assert_eq!(parse_threads("64"), Ok(64));
        assert!(parse_threads("0").is_err());
        assert!(parse_threads("-1").is_err());
        assert!(parse_threads("1025").is_err());
        assert!(parse_threads("18446744073709551616").is_err());
        assert!((MIN_THREAD_CAP..=MAX_THREADS).contains(&thread_cap()));
    }

    #[test]
    fn meminfo_is_read_in_bytes() {
        let text = "MemTotal:       24683780 kB\nMemAvailable:   2048 kB\n";
        assert_eq!(mem_available(text), Some(2048 * 1024));
        assert_eq!(mem_available("MemTotal: 5 kB\n"), None);
    }

    #[test]
    fn the_check_names_the_estimate_the_limit_and_the_flag() {
        let budget = Budget { bytes: 1 << 30, source: Source::Flag };
        assert!(check_against(budget, 1 << 30, "x", "--trials").is_ok());
        let err = check_against(budget, 3 << 40, "simulating 10 trials", "--trials").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("3.0 TiB"), "{text}");
        assert!(text.contains("1.0 GiB allowed by --max-memory"), "{text}");
        assert!(text.contains("lower --trials"), "{text}");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(12), "12 bytes");
    }
}
