//! Parse-only benchmark of the directory parsers.
//!
//! `cargo run --release -p refnum-io --example parse_bench -- [--show N] FILE…`
//!
//! For each file: its detected kind, the records by type, the seconds spent;
//! then the peak resident memory of the process (`VmHWM` of
//! `/proc/self/status`). `--show N` prints the first N records of each file.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::time::Instant;

use refnum_io::annuaire::{self, Limits, Record};

fn kind_of(r: &Record) -> &'static str {
    match r {
        Record::School(_) => "school",
        Record::Structure(_) => "structure",
        Record::Nomenclature(_) => "nomenclature",
        Record::Staff(_) => "staff",
        Record::Pupil(_) => "pupil",
        Record::Guardian(_) => "guardian",
        Record::Delete { .. } => "delete",
    }
}

fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut show = 0usize;
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--show" {
            show = args.next().and_then(|n| n.parse().ok()).unwrap_or(5);
        } else {
            files.push(a);
        }
    }
    if files.is_empty() {
        eprintln!("usage: parse_bench [--show N] FILE…");
        std::process::exit(2);
    }
    let limits = Limits::default();
    let mut total_records = 0u64;
    let total_start = Instant::now();
    for path in &files {
        let mut head = Vec::with_capacity(4096);
        File::open(path)?.take(4096).read_to_end(&mut head)?;
        let kind = annuaire::detect(path, &head)?;
        let reader = BufReader::with_capacity(64 * 1024, File::open(path)?);
        let mut by_kind: BTreeMap<&'static str, u64> = BTreeMap::new();
        let mut shown = 0usize;
        let start = Instant::now();
        let meta = annuaire::parse(kind, reader, &limits, &mut |r| {
            *by_kind.entry(kind_of(&r)).or_default() += 1;
            if shown < show {
                shown += 1;
                println!("  {r:?}");
            }
            Ok(())
        })?;
        let secs = start.elapsed().as_secs_f64();
        total_records += meta.records;
        println!(
            "{path}: {kind:?}, {} records {by_kind:?}, {secs:.3} s, uai {:?}, year {:?}, encoding {}, warnings {:?}",
            meta.records, meta.uai, meta.school_year, meta.encoding, meta.warnings
        );
    }
    println!(
        "total: {total_records} records in {:.3} s; peak memory (VmHWM) {} KiB",
        total_start.elapsed().as_secs_f64(),
        peak_memory_kib()
            .map(|k| k.to_string())
            .unwrap_or_else(|| "?".into())
    );
    Ok(())
}
