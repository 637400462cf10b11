//! Counters and histograms for `GET /metrics`, in the Prometheus text format.
//! One `Metrics` lives in the application state and is shared by every
//! worker; recording is a few atomic adds or a short lock.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// Request latency buckets, in seconds.
const LATENCY_BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];
/// DataLoader batch-size buckets, in keys.
const BATCH_BUCKETS: [f64; 9] = [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 500.0, 1000.0];
/// Distinct operation names kept as labels; the rest count as "other", so a
/// client cannot grow the metrics without bound.
const MAX_OPERATION_LABELS: usize = 100;

#[derive(Debug, Default)]
struct Histogram {
    counts: Vec<u64>,
    sum: f64,
    count: u64,
}

impl Histogram {
    fn observe(&mut self, buckets: &[f64], value: f64) {
        if self.counts.is_empty() {
            self.counts = vec![0; buckets.len()];
        }
        for (count, bound) in self.counts.iter_mut().zip(buckets) {
            if value <= *bound {
                *count += 1;
            }
        }
        self.sum += value;
        self.count += 1;
    }

    fn render(&self, out: &mut String, name: &str, labels: &str, buckets: &[f64]) {
        let sep = if labels.is_empty() { "" } else { "," };
        for (count, bound) in self.counts.iter().zip(buckets) {
            let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"{bound}\"}} {count}");
        }
        let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"+Inf\"}} {}", self.count);
        let braces = if labels.is_empty() {
            String::new()
        } else {
            format!("{{{labels}}}")
        };
        let _ = writeln!(out, "{name}_sum{braces} {}", self.sum);
        let _ = writeln!(out, "{name}_count{braces} {}", self.count);
    }
}

#[derive(Default)]
pub struct Metrics {
    /// (operation, outcome) -> requests.
    requests: Mutex<BTreeMap<(String, &'static str), u64>>,
    latency: Mutex<Histogram>,
    sql_statements: AtomicU64,
    /// loader -> batch sizes.
    batches: Mutex<BTreeMap<&'static str, Histogram>>,
    /// extensions.code -> errors.
    errors: Mutex<BTreeMap<String, u64>>,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic elsewhere must not take the metrics down with it.
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// A label value: the operation name when it is a plain GraphQL name.
fn operation_label(operation: Option<&str>) -> String {
    match operation {
        None => "anonymous".to_owned(),
        Some(name)
            if name.len() <= 64
                && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
        {
            name.to_owned()
        }
        Some(_) => "other".to_owned(),
    }
}

impl Metrics {
    /// Records one finished request; `outcome` is `ok`, `error`, `timeout`, or
    /// `rejected` (refused before execution: bad JSON, wrong media type, too large).
    pub fn observe_request(&self, operation: Option<&str>, outcome: &'static str, seconds: f64) {
        let mut label = operation_label(operation);
        {
            let mut requests = lock(&self.requests);
            let known = requests.keys().any(|(op, _)| *op == label);
            if !known && requests.len() >= MAX_OPERATION_LABELS * 3 {
                label = "other".to_owned();
            }
            *requests.entry((label, outcome)).or_default() += 1;
        }
        lock(&self.latency).observe(&LATENCY_BUCKETS, seconds);
    }

    pub fn count_statement(&self) {
        self.sql_statements.fetch_add(1, Ordering::Relaxed);
    }

    pub fn sql_statements(&self) -> u64 {
        self.sql_statements.load(Ordering::Relaxed)
    }

    pub fn observe_batch(&self, loader: &'static str, keys: usize) {
        lock(&self.batches)
            .entry(loader)
            .or_default()
            .observe(&BATCH_BUCKETS, keys as f64);
    }

    pub fn count_error(&self, code: &str) {
        // Codes are ours (a fixed set), but cap them all the same.
        let mut errors = lock(&self.errors);
        if errors.contains_key(code) || errors.len() < 50 {
            *errors.entry(code.to_owned()).or_default() += 1;
        }
    }

    /// Everything, in the Prometheus text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str("# HELP kangzhan_requests_total GraphQL requests by operation name and outcome.\n");
        out.push_str("# TYPE kangzhan_requests_total counter\n");
        for ((operation, outcome), count) in lock(&self.requests).iter() {
            let _ = writeln!(
                out,
                "kangzhan_requests_total{{operation=\"{operation}\",outcome=\"{outcome}\"}} {count}"
            );
        }
        out.push_str("# HELP kangzhan_request_duration_seconds Time to answer a GraphQL request.\n");
        out.push_str("# TYPE kangzhan_request_duration_seconds histogram\n");
        lock(&self.latency).render(&mut out, "kangzhan_request_duration_seconds", "", &LATENCY_BUCKETS);
        out.push_str("# HELP kangzhan_sql_statements_total SQL statements run.\n");
        out.push_str("# TYPE kangzhan_sql_statements_total counter\n");
        let _ = writeln!(out, "kangzhan_sql_statements_total {}", self.sql_statements());
        out.push_str("# HELP kangzhan_dataloader_batch_size Keys per DataLoader batch.\n");
        out.push_str("# TYPE kangzhan_dataloader_batch_size histogram\n");
        for (loader, histogram) in lock(&self.batches).iter() {
            histogram.render(
                &mut out,
                "kangzhan_dataloader_batch_size",
                &format!("loader=\"{loader}\""),
                &BATCH_BUCKETS,
            );
        }
        out.push_str("# HELP kangzhan_errors_total GraphQL errors by extensions.code.\n");
        out.push_str("# TYPE kangzhan_errors_total counter\n");
        for (code, count) in lock(&self.errors).iter() {
            let _ = writeln!(out, "kangzhan_errors_total{{code=\"{code}\"}} {count}");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_histograms() {
        let metrics = Metrics::default();
        metrics.observe_request(Some("Timeline"), "ok", 0.003);
        metrics.observe_request(Some("bad name!"), "error", 0.2);
        metrics.count_statement();
        metrics.observe_batch("BattleById", 7);
        metrics.count_error("BAD_USER_INPUT");
        let text = metrics.render();
        assert!(
            text.contains("kangzhan_requests_total{operation=\"Timeline\",outcome=\"ok\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("kangzhan_requests_total{operation=\"other\",outcome=\"error\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("kangzhan_request_duration_seconds_bucket{le=\"0.005\"} 1"),
            "{text}"
        );
        assert!(text.contains("kangzhan_request_duration_seconds_count 2"), "{text}");
        assert!(text.contains("kangzhan_sql_statements_total 1"), "{text}");
        assert!(
            text.contains("kangzhan_dataloader_batch_size_bucket{loader=\"BattleById\",le=\"10\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("kangzhan_errors_total{code=\"BAD_USER_INPUT\"} 1"),
            "{text}"
        );
    }
}
