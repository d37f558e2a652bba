//! Progress bars on stderr, drawn only when stderr is a terminal (batch jobs and pipes see none).

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// A bar for `total` units drawn with `template`, or a hidden one when stderr is not a terminal.
fn bar(total: u64, template: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    let style = ProgressStyle::with_template(template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    bar.set_style(style);
    bar
}

/// A byte-counting progress bar for `total` bytes.
pub fn bytes_bar(total: u64, what: &str) -> ProgressBar {
    let bar = bar(total, "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}");
    bar.set_message(what.to_string());
    bar
}

/// A trial-counting progress bar for a simulation of `total` trials.
pub fn trials_bar(total: u64) -> ProgressBar {
    bar(total, "simulating [{bar:30}] {pos}/{len} trials {per_sec} eta {eta}")
}

/// A spinner with a message for work of unknown length.
pub fn spinner(what: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    bar.set_message(what.to_string());
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}
