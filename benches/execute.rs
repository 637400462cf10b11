//! In-process execution of the benchmark queries (no HTTP): where the time
//! goes inside one request, on the real data in SQLite. `cargo bench`.

use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use kangzhan::config::Config;
use kangzhan::db::ACQUIRE_TIMEOUT;
use kangzhan::graphql::Executor;
use kangzhan::graphql::loaders::LoaderDb;
use kangzhan::metrics::Metrics;
use kangzhan::pool::Pool;

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
    let db = runtime.block_on(kangzhan::startup::prepare_database(&config)).unwrap();
    let executor = Executor::new(Arc::new(config.limits.clone()));
    let pool = Pool::new(db, config.max_connections as usize, ACQUIRE_TIMEOUT);
    let loader_db = LoaderDb::new(pool, Arc::new(Metrics::default()));

    let mut group = c.benchmark_group("execute");
    for (name, query) in QUERIES {
        let response = runtime.block_on(executor.execute(async_graphql::Request::new(*query), &loader_db));
        assert!(response.errors.is_empty(), "{name}: {:?}", response.errors);
        group.bench_function(*name, |b| {
            b.to_async(&runtime)
                .iter(|| executor.execute(async_graphql::Request::new(*query), &loader_db))
        });
    }
    group.finish();
    let _ = std::fs::remove_file(file);
}

criterion_group!(benches, execute);
criterion_main!(benches);
