//! The HTTP/1.1 server: our own accept loop around hyper, so that connections
//! are bounded.
//!
//! - **Header timeout**: a connection must deliver a request's complete
//!   headers within `header_timeout` of being ready for one (just opened, or
//!   kept alive after a response); otherwise it is closed. This closes both
//!   clients that trickle header bytes and idle kept-alive connections.
//! - **A cap on open connections**, below the process's open-file limit, so
//!   that the database pool and uploads always find a file descriptor. When
//!   the cap is reached, the connection idle for the longest time (waiting
//!   for headers, or kept alive between requests) is closed to make room; if
//!   every connection is in the middle of a request, new ones wait in the
//!   listener's backlog until one ends.
//! - **Graceful shutdown**: on the signal the listener closes, idle
//!   connections close, and requests in flight finish.
//!
//! Each request carries `ConnectInfo<SocketAddr>` like `axum::serve` gives.

use axum::Router;
use axum::extract::ConnectInfo;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{Notify, Semaphore, watch};
use tower::ServiceExt;

/// How many connections, and how long a client may take to send its headers.
#[derive(Debug, Clone)]
pub struct ConnectionLimits {
    /// Open connections at most (see [`default_max_connections`]).
    pub max_connections: usize,
    /// Longest wait for a request's complete headers, from the moment the
    /// connection is ready for a request (also the longest idle keep-alive).
    pub header_timeout: Duration,
}

/// Default of [`ConnectionLimits::header_timeout`].
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// The default cap never exceeds this many connections.
pub const MAX_DEFAULT_CONNECTIONS: usize = 4096;

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            max_connections: default_max_connections(open_files_limit()),
            header_timeout: DEFAULT_HEADER_TIMEOUT,
        }
    }
}

/// The process's open-file limit (the soft one), if it can be read.
pub fn open_files_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        rustix::process::getrlimit(rustix::process::Resource::Nofile).current
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// The default cap on connections for an open-file limit: three quarters of
/// it (a quarter stays for the database connections, SQLite's files,
/// uploads, logs), at most [`MAX_DEFAULT_CONNECTIONS`], at least 16. With the
/// usual limit of 1,024: 768. Unknown limit: 768.
pub fn default_max_connections(open_files: Option<u64>) -> usize {
    let limit = open_files.unwrap_or(1024);
    let three_quarters = usize::try_from(limit / 4 * 3).unwrap_or(usize::MAX);
    three_quarters.clamp(16, MAX_DEFAULT_CONNECTIONS)
}

/// Counters of one server, readable while it runs (tests, metrics).
#[derive(Clone, Default, Debug)]
pub struct ConnectionStats(Arc<StatsInner>);

#[derive(Default, Debug)]
struct StatsInner {
    open: AtomicUsize,
    peak: AtomicUsize,
    accepted: AtomicU64,
    evicted: AtomicU64,
}

impl ConnectionStats {
    /// Connections open now.
    pub fn open(&self) -> usize {
        self.0.open.load(Ordering::SeqCst)
    }
    /// Most connections open at once since the start.
    pub fn peak(&self) -> usize {
        self.0.peak.load(Ordering::SeqCst)
    }
    /// Connections accepted since the start.
    pub fn accepted(&self) -> u64 {
        self.0.accepted.load(Ordering::SeqCst)
    }
    /// Idle connections closed to make room for new ones.
    pub fn evicted(&self) -> u64 {
        self.0.evicted.load(Ordering::SeqCst)
    }

    fn opened(&self) {
        let n = self.0.open.fetch_add(1, Ordering::SeqCst) + 1;
        self.0.peak.fetch_max(n, Ordering::SeqCst);
        self.0.accepted.fetch_add(1, Ordering::SeqCst);
        metrics::gauge!("http_connections_open").set(n as f64);
    }

    fn closed(&self) {
        let n = self.0.open.fetch_sub(1, Ordering::SeqCst).saturating_sub(1);
        metrics::gauge!("http_connections_open").set(n as f64);
    }
}

/// One open connection, as the accept loop sees it.
struct Tracked {
    /// Requests in progress (a response is in progress until its body is sent).
    busy: AtomicUsize,
    /// Since when the connection has had no request in progress (ms since
    /// the server started).
    idle_since: AtomicU64,
    /// Told to close to make room.
    evict: Notify,
}

/// The open connections, to choose one to close when the cap is reached.
struct Registry {
    started: Instant,
    conns: Mutex<HashMap<u64, Arc<Tracked>>>,
}

impl Registry {
    fn now_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn insert(&self, id: u64, t: Arc<Tracked>) {
        if let Ok(mut c) = self.conns.lock() {
            c.insert(id, t);
        }
    }

    fn remove(&self, id: u64) {
        if let Ok(mut c) = self.conns.lock() {
            c.remove(&id);
        }
    }

    /// Tells the connection idle for the longest time to close and forgets
    /// it; false when every connection has a request in progress.
    fn evict_oldest_idle(&self) -> bool {
        let Ok(mut c) = self.conns.lock() else {
            return false;
        };
        let oldest = c
            .iter()
            .filter(|(_, t)| t.busy.load(Ordering::SeqCst) == 0)
            .min_by_key(|(_, t)| t.idle_since.load(Ordering::SeqCst))
            .map(|(id, _)| *id);
        match oldest.and_then(|id| c.remove(&id)) {
            Some(t) => {
                t.evict.notify_one();
                true
            }
            None => false,
        }
    }
}

/// Marks a request in progress on its connection until dropped (with the
/// response's body, once sent).
struct Busy {
    conn: Arc<Tracked>,
    registry: Arc<Registry>,
}

impl Busy {
    fn enter(conn: Arc<Tracked>, registry: Arc<Registry>) -> Busy {
        conn.busy.fetch_add(1, Ordering::SeqCst);
        Busy { conn, registry }
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.conn
            .idle_since
            .store(self.registry.now_ms(), Ordering::SeqCst);
        self.conn.busy.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Serves `app` on `listener` within `limits` until `shutdown` resolves; the
/// requests in flight finish first. `stats` counts the connections.
pub async fn serve_bounded(
    listener: tokio::net::TcpListener,
    app: Router,
    limits: ConnectionLimits,
    stats: ConnectionStats,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let cap = limits.max_connections.max(1);
    let registry = Arc::new(Registry {
        started: Instant::now(),
        conns: Mutex::new(HashMap::new()),
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);

    // Dropping the receiver tells every connection to finish.
    let (signal_tx, signal_rx) = watch::channel(());
    tokio::spawn(async move {
        shutdown.await;
        drop(signal_rx);
    });
    // Every connection holds a receiver; the sender sees when all are gone.
    let (close_tx, close_rx) = watch::channel(());
    // One permit per open connection: the cap holds exactly.
    let permits = Arc::new(Semaphore::new(cap));
    let mut next_id: u64 = 0;

    'accept: loop {
        // Room for one more connection: below the cap, or else the
        // connection idle for the longest time is closed (and its permit
        // awaited). When every one is busy, wait for one to end or to become
        // idle.
        let permit = match permits.clone().try_acquire_owned() {
            Ok(p) => p,
            Err(_) => {
                let mut warned = false;
                loop {
                    if registry.evict_oldest_idle() {
                        stats.0.evicted.fetch_add(1, Ordering::SeqCst);
                        metrics::counter!("http_connections_evicted_total").increment(1);
                    } else if !warned {
                        tracing::warn!(
                            max_connections = cap,
                            "connection limit reached with every connection busy: new connections wait"
                        );
                        warned = true;
                    }
                    tokio::select! {
                        p = permits.clone().acquire_owned() => match p {
                            Ok(p) => break p,
                            Err(_) => break 'accept,
                        },
                        _ = tokio::time::sleep(Duration::from_millis(200)) => {}
                        _ = signal_tx.closed() => break 'accept,
                    }
                }
            }
        };
        let (stream, addr) = tokio::select! {
            r = listener.accept() => match r {
                Ok(x) => x,
                Err(e) => {
                    if !is_connection_error(&e) {
                        // Out of file descriptors or similar: wait, then go on.
                        tracing::error!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(500)).await;
                    }
                    continue;
                }
            },
            _ = signal_tx.closed() => break,
        };
        next_id += 1;
        let id = next_id;
        let tracked = Arc::new(Tracked {
            busy: AtomicUsize::new(0),
            idle_since: AtomicU64::new(registry.now_ms()),
            evict: Notify::new(),
        });
        registry.insert(id, tracked.clone());
        stats.opened();

        let service = {
            let app = app.clone();
            let tracked = tracked.clone();
            let registry = registry.clone();
            hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
                let busy = Busy::enter(tracked.clone(), registry.clone());
                req.extensions_mut().insert(ConnectInfo(addr));
                let app = app.clone();
                async move {
                    let res = match app.oneshot(req).await {
                        Ok(res) => res,
                        Err(never) => match never {},
                    };
                    // The connection stays busy until the body is sent.
                    Ok::<_, Infallible>(res.map(move |body| {
                        body.map_frame(move |frame| {
                            let _ = &busy;
                            frame
                        })
                    }))
                }
            })
        };
        let conn = builder.serve_connection(TokioIo::new(stream), service);
        let signal_tx = signal_tx.clone();
        let close_rx = close_rx.clone();
        let registry = registry.clone();
        let stats = stats.clone();
        tokio::spawn(async move {
            let _permit = permit;
            let mut conn = std::pin::pin!(conn);
            let mut signal = std::pin::pin!(signal_tx.closed());
            let mut finishing = false;
            loop {
                tokio::select! {
                    res = conn.as_mut() => {
                        if let Err(e) = res {
                            tracing::debug!(error = %e, "connection ended with an error");
                        }
                        break;
                    }
                    _ = tracked.evict.notified(), if !finishing => {
                        if tracked.busy.load(Ordering::SeqCst) == 0 {
                            break;
                        }
                        // A request came in meanwhile: answer it, then close.
                        conn.as_mut().graceful_shutdown();
                        finishing = true;
                    }
                    _ = &mut signal, if !finishing => {
                        conn.as_mut().graceful_shutdown();
                        finishing = true;
                    }
                }
            }
            registry.remove(id);
            stats.closed();
            drop(close_rx);
        });
    }

    drop(close_rx);
    drop(listener);
    close_tx.closed().await;
    Ok(())
}

/// Errors of one connection that do not concern the listener.
fn is_connection_error(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        e.kind(),
        ConnectionRefused | ConnectionAborted | ConnectionReset
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_cap_stays_below_the_open_file_limit() {
        for (limit, cap) in [
            (Some(1024), 768),
            (Some(256), 192),
            (Some(64), 48),
            (Some(20), 16),
            (Some(4096), 3072),
            (Some(1_048_576), MAX_DEFAULT_CONNECTIONS),
            (None, 768),
        ] {
            assert_eq!(default_max_connections(limit), cap, "{limit:?}");
            if let Some(l) = limit.filter(|l| *l > 64) {
                assert!((cap as u64) < l);
            }
        }
    }
}
