//! Counters and histograms for `GET /metrics`, kept and rendered in the
//! Prometheus text format by the `prometheus` crate. One `Metrics` lives in
//! the application state and is shared by every worker.

use std::collections::HashSet;
use std::sync::RwLock;

use prometheus::{Encoder, Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, Opts, Registry};

/// Request latency buckets, in seconds.
const LATENCY_BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];
/// DataLoader batch-size buckets, in keys.
const BATCH_BUCKETS: [f64; 9] = [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 500.0, 1000.0];
/// Distinct operation names kept as label values; later ones count as
/// "other", so a client cannot grow the metrics without bound.
const MAX_OPERATION_LABELS: usize = 100;

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: Histogram,
    sql_statements: IntCounter,
    batches: HistogramVec,
    errors: IntCounterVec,
    /// The operation names that have a label of their own.
    operations: RwLock<HashSet<String>>,
}

impl Default for Metrics {
    fn default() -> Self {
        // The names, help texts and buckets are constants: building them cannot fail.
        let requests = IntCounterVec::new(
            Opts::new(
                "kangzhan_requests_total",
                "GraphQL requests by operation name and outcome.",
            ),
            &["operation", "outcome"],
        )
        .expect("valid metric");
        let latency = Histogram::with_opts(
            HistogramOpts::new("kangzhan_request_duration_seconds", "Time to answer a GraphQL request.")
                .buckets(LATENCY_BUCKETS.to_vec()),
        )
        .expect("valid metric");
        let sql_statements =
            IntCounter::new("kangzhan_sql_statements_total", "SQL statements run.").expect("valid metric");
        let batches = HistogramVec::new(
            HistogramOpts::new("kangzhan_dataloader_batch_size", "Keys per DataLoader batch.")
                .buckets(BATCH_BUCKETS.to_vec()),
            &["loader"],
        )
        .expect("valid metric");
        let errors = IntCounterVec::new(
            Opts::new("kangzhan_errors_total", "GraphQL errors by extensions.code."),
            &["code"],
        )
        .expect("valid metric");
        let registry = Registry::new();
        for collector in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(latency.clone()),
            Box::new(sql_statements.clone()),
            Box::new(batches.clone()),
            Box::new(errors.clone()),
        ] {
            registry.register(collector).expect("distinct metric names");
        }
        Self {
            registry,
            requests,
            latency,
            sql_statements,
            batches,
            errors,
            operations: RwLock::default(),
        }
    }
}

/// A label value: the operation name when it is a plain GraphQL name.
fn operation_label(operation: Option<&str>) -> &str {
    match operation {
        None => "anonymous",
        Some(name)
            if name.len() <= 64
                && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
        {
            name
        }
        Some(_) => "other",
    }
}

impl Metrics {
    /// Records one finished request; `outcome` is `ok`, `error`, `timeout`, or
    /// `rejected` (refused before execution: bad JSON, wrong media type, too large).
    pub fn observe_request(&self, operation: Option<&str>, outcome: &'static str, seconds: f64) {
        let label = self.capped(operation_label(operation));
        self.requests.with_label_values(&[label, outcome]).inc();
        self.latency.observe(seconds);
    }

    /// `label` if it has a label of its own or there is room for one, else "other".
    fn capped<'a>(&self, label: &'a str) -> &'a str {
        // A poisoned lock only means another request panicked mid-insert; the set is still usable.
        if self
            .operations
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .contains(label)
        {
            return label;
        }
        let mut operations = self.operations.write().unwrap_or_else(|e| e.into_inner());
        if operations.len() < MAX_OPERATION_LABELS {
            operations.insert(label.to_owned());
            label
        } else if operations.contains(label) {
            label
        } else {
            "other"
        }
    }

    pub fn count_statement(&self) {
        self.sql_statements.inc();
    }

    pub fn sql_statements(&self) -> u64 {
        self.sql_statements.get()
    }

    pub fn observe_batch(&self, loader: &'static str, keys: usize) {
        self.batches.with_label_values(&[loader]).observe(keys as f64);
    }

    /// Counts an error by its code, one of the fixed set in `error::Code`.
    pub fn count_error(&self, code: &'static str) {
        self.errors.with_label_values(&[code]).inc();
    }

    /// Everything, in the Prometheus text exposition format.
    pub fn render(&self) -> String {
        let mut out = Vec::new();
        // Encoding into a Vec fails only on an I/O error, which a Vec never has.
        let _ = prometheus::TextEncoder::new().encode(&self.registry.gather(), &mut out);
        String::from_utf8(out).unwrap_or_default()
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

    #[test]
    fn caps_operation_labels() {
        let metrics = Metrics::default();
        for i in 0..MAX_OPERATION_LABELS + 5 {
            metrics.observe_request(Some(&format!("Op{i}")), "ok", 0.001);
        }
        metrics.observe_request(Some("Op0"), "ok", 0.001);
        let text = metrics.render();
        assert!(
            text.contains("kangzhan_requests_total{operation=\"Op0\",outcome=\"ok\"} 2"),
            "{text}"
        );
        assert!(
            !text.contains(&format!("operation=\"Op{MAX_OPERATION_LABELS}\"")),
            "{text}"
        );
        assert!(
            text.contains("kangzhan_requests_total{operation=\"other\",outcome=\"ok\"} 5"),
            "{text}"
        );
    }
}
