//! `refnum serve` as a process, within its open-file limit: a crowd of slow
//! clients does not lock the health check out, and the metrics token comes
//! from the environment as written.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `refnum serve` on a loopback port, stopped when dropped.
struct Server {
    child: Child,
    addr: String,
    dir: PathBuf,
    /// Kept open: the server's standard output stays writable.
    _stdout: BufReader<ChildStdout>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Starts `refnum serve` on a fresh data directory, through `sh` so that
/// `ulimit -n` can lower its open-file limit first.
fn serve(open_files: Option<u32>, env: &[(&str, &str)]) -> Server {
    let dir = std::env::temp_dir().join(format!("refnum-serve-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let limit = open_files
        .map(|n| format!("ulimit -n {n} && "))
        .unwrap_or_default();
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!("{limit}exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_refnum"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir.join("data"))
        .env_remove("REFNUM_DATABASE_URL")
        .env_remove("REFNUM_DATA_DIR")
        .env_remove("REFNUM_METRICS_TOKEN")
        .env("REFNUM_LOG", "warn")
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("start refnum serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    let mut stdout = BufReader::new(stdout);
    stdout.read_line(&mut line).expect("the listening line");
    let addr = line
        .trim()
        .strip_prefix("RefNum listening on http://")
        .and_then(|a| a.strip_suffix('/'))
        .unwrap_or_else(|| panic!("unexpected first line: {line}"))
        .to_string();
    Server {
        child,
        addr,
        dir,
        _stdout: stdout,
    }
}

/// One request on a new connection: the status, the body and the time.
fn get(addr: &str, path: &str, headers: &str) -> (u16, String, Duration) {
    let start = Instant::now();
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{headers}Connection: close\r\n\r\n"
    )
    .expect("write");
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    let status = out
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = out.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    (status, body.to_string(), start.elapsed())
}

#[test]
fn more_slow_clients_than_open_files_do_not_lock_the_health_check_out() {
    // 256 files: 192 connections at most (three quarters); 300 clients
    // that never finish their headers would need more descriptors than
    // the process has.
    let server = serve(Some(256), &[]);
    let (status, _, _) = get(&server.addr, "/healthz", "");
    assert_eq!(status, 200);
    let mut slow = vec![];
    for _ in 0..300 {
        let mut s = TcpStream::connect(&server.addr).expect("connect");
        let _ = s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Lent: a");
        slow.push(s);
    }
    std::thread::sleep(Duration::from_millis(500));
    for _ in 0..3 {
        let (status, body, took) = get(&server.addr, "/healthz", "");
        assert_eq!(status, 200, "{body}");
        assert!(body.contains("\"ok\""), "{body}");
        assert!(took < Duration::from_secs(3), "/healthz took {took:?}");
        std::thread::sleep(Duration::from_millis(200));
    }
    drop(slow);
}

#[test]
fn the_metrics_token_is_read_from_the_environment_verbatim() {
    // A token that looks like a number stays the text it is.
    let server = serve(None, &[("REFNUM_METRICS_TOKEN", "007123")]);
    let (status, body, _) = get(&server.addr, "/metrics", "");
    assert_eq!(status, 401);
    assert!(!body.contains("http_requests_total"));
    let (status, _, _) = get(&server.addr, "/metrics", "Authorization: Bearer 7123\r\n");
    assert_eq!(status, 401);
    let (status, body, _) = get(&server.addr, "/metrics", "Authorization: Bearer 007123\r\n");
    assert_eq!(status, 200);
    assert!(body.contains("http_requests_total"), "{body}");
    let (status, _, _) = get(&server.addr, "/healthz", "");
    assert_eq!(status, 200);
}
