//! In-process execution of the benchmark queries (no HTTP): where the time
//! goes inside one request, on the real data in SQLite. `cargo bench`.

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use kangzhan::app::App;
use kangzhan::config::Config;
use kangzhan::pipeline::{GraphqlService, Outcome, RequestContext};

const QUERIES: &[(&str, &str)] = &[
    ("typename", include_str!("../bench/queries/typename.graphql")),
    ("node", include_str!("../bench/queries/node.graphql")),
    ("page", include_str!("../bench/queries/page.graphql")),
    ("deep", include_str!("../bench/queries/deep.graphql")),
    ("search", include_str!("../bench/queries/search.graphql")),
    ("active_on", include_str!("../bench/queries/active_on.graphql")),
];

fn execute(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let file = std::env::temp_dir().join(format!("kangzhan_bench_{}.db", std::process::id()));
    let config = Config::for_database(&format!("sqlite://{}?mode=rwc", file.display()));
    let db = runtime.block_on(kangzhan::data::prepare(&config)).unwrap();
    let service = runtime.block_on(App::build(db, &config)).unwrap().service;

    let mut group = c.benchmark_group("execute");
    for (name, query) in QUERIES {
        let outcome = runtime.block_on(run(&service, query));
        assert!(
            outcome.response.errors.is_empty(),
            "{name}: {:?}",
            outcome.response.errors
        );
        group.bench_function(*name, |b| b.to_async(&runtime).iter(|| run(&service, query)));
    }
    group.finish();
    let _ = std::fs::remove_file(file);
}

/// One request through the whole pipeline, as the HTTP layer sends it.
async fn run(service: &GraphqlService, query: &str) -> Outcome {
    let context = RequestContext {
        request_id: "bench",
        is_get: false,
        deadline: Instant::now() + Duration::from_secs(5),
    };
    service.execute(async_graphql::Request::new(query), &context).await
}

criterion_group!(benches, execute);
criterion_main!(benches);
