//! Error messages on stderr: the library's message and its causes, with the command-line flag
//! behind each setting a message names (the library speaks of settings, not flags).

use clout::memory::BudgetSource;
use clout::{Error, Setting};

/// The error and its causes, joined by `: ` (`clout::describe`), with the flag behind each
/// setting a library message names; control characters other than newlines are escaped, so
/// nothing echoed from an input or a file name can drive the terminal.
pub fn describe(err: &anyhow::Error) -> String {
    let err: &(dyn std::error::Error + 'static) = err.as_ref();
    let message = clout::describe_with(err, &|cause| {
        let text = cause.to_string();
        let text = match cause.downcast_ref::<clout::Error>() {
            Some(e) => with_flag_hint(e, text),
            None => text,
        };
        with_flags_named(&text)
    });
    message.split('\n').map(clout::ingest::escape::escape_str).collect::<Vec<_>>().join("\n")
}

/// The flag behind a library setting.
fn flag(setting: Setting) -> &'static str {
    match setting {
        Setting::Trials => "--trials",
        Setting::CelfTrials => "--celf-trials",
        Setting::Threads => "--threads",
        Setting::GeneratedSize => "--scale or --edge-factor",
        Setting::RrSets => "-k, or raise --epsilon or --delta",
        Setting::MaxIterations => "--max-iter",
        Setting::Epsilon => "--epsilon",
        Setting::Quality => "--quality",
        Setting::QualityFile => "--quality-file",
        Setting::Target => "--target or --target-default",
        Setting::Conversion => "--conversion or --conversion-rate",
        Setting::Seeds => "--seeds",
        Setting::Sampling => "--epsilon or --samples",
        Setting::Draw => "--draw",
        Setting::Edges => "the edges",
        Setting::Learning => "--prior or --isotonic",
        Setting::LogKinds => "--kinds",
        _ => "the settings",
    }
}

/// Phrases of library messages that describe a setting, and the flag that changes it here.
const FLAG_HINTS: [(&str, &str); 7] = [
    ("read the input with a sign column", "`--format signed` or `--sign COL`"),
    ("use string ids", "`--ids string`"),
    ("read the first line as a header row", "`--header`"),
    ("read the input with a weight column", "`--weight COL`"),
    ("keep the first copy of a repeated edge instead of summing", "`--duplicates first`"),
    ("weight-normalized probabilities to scale weights", "`--prob weight-normalized`"),
    ("or do not ask for PNG files", "leave out `--png`"),
];

/// `text` with each setting it describes followed by its flag in parentheses.
fn with_flags_named(text: &str) -> String {
    let mut out = text.to_string();
    for (phrase, flag) in FLAG_HINTS {
        out = out.replace(phrase, &format!("{phrase} ({flag})"));
    }
    out
}

/// A library error's message with the flag to change: a memory limit names the flag to lower
/// and how to allow more; a bad setting is prefixed with its flag.
fn with_flag_hint(e: &Error, text: String) -> String {
    match e {
        Error::MemoryLimit(m) => {
            let (limit, raise) = match m.budget.source {
                BudgetSource::Set => ("allowed by --max-memory", "raise --max-memory"),
                BudgetSource::MemAvailable => {
                    ("available (MemAvailable in /proc/meminfo)", "set --max-memory to allow more")
                }
                BudgetSource::Cgroup => {
                    ("left under this cgroup's memory limit", "raise the cgroup limit")
                }
                BudgetSource::Unknown => ("addressable", "use a smaller input"),
            };
            format!(
                "{} needs about {} of memory, more than the {} {limit}; lower {} (or {raise})",
                m.what,
                clout::memory::human_bytes(m.needed),
                clout::memory::human_bytes(m.budget.bytes),
                flag(m.lower)
            )
        }
        Error::Invalid { setting, .. } => format!("{}: {text}", flag(*setting)),
        _ => text,
    }
}
