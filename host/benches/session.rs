//! The session store on the request path: counting a call, reading the
//! counters policies see, and opening/closing sessions, with 10 000 other
//! sessions open. Run once with `cargo bench -p warden --bench session`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use warden::session::SessionStore;

fn sessions(c: &mut Criterion) {
    let store = SessionStore::new();
    for i in 0..10_000 {
        store.open(&format!("session-{i}"), "bot", "crm");
    }
    let held = store.open("session-42", "bot", "crm");
    let mut group = c.benchmark_group("session");
    group.warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2));
    group.bench_function("record_call on a held session", |b| {
        b.iter(|| black_box(held.record_call(black_box(512), black_box(2_048), &[])))
    });
    group.bench_function("record_call with findings", |b| {
        b.iter(|| black_box(held.record_call(512, 2_048, black_box(&["pii", "secrets"]))))
    });
    group.bench_function("record_call by id", |b| {
        b.iter(|| black_box(store.record_call(black_box("session-4242"), 512, 2_048, &[])))
    });
    group.bench_function("counters for a policy", |b| b.iter(|| black_box(held.counters())));
    group.bench_function("open and close", |b| {
        b.iter(|| {
            store.open("fresh", "bot", "crm");
            black_box(store.close("fresh"))
        })
    });
    group.bench_function("get snapshot", |b| b.iter(|| black_box(store.get("session-4242"))));
    group.finish();
}

criterion_group!(benches, sessions);
criterion_main!(benches);
