//! The private channel between `tessera` starts (Unix).
//!
//! - A lock file decides the primary: the process that holds an exclusive
//!   `flock` on `instance.lock` is the primary for as long as it lives (the
//!   kernel drops the lock when it exits, even on a crash). Nobody else ever
//!   removes or binds the socket, so two quick starts cannot both become
//!   the primary.
//! - Both files live in a private folder: `$XDG_RUNTIME_DIR/tessera`
//!   (`$XDG_RUNTIME_DIR/app/FLATPAK_ID/tessera` in Flatpak), or
//!   `/tmp/tessera-UID` without a runtime directory; created with mode 0700
//!   and refused unless it is a real folder owned by this user that no one
//!   else can enter.
//! - Every read and write on the socket has a timeout, on both sides; each
//!   connection is served on its own thread, so a client that says nothing
//!   delays no one.
//!
//! The request: a first line `tessera-instance 1`, then optional
//! `token VALUE` (the xdg-activation or startup-notification token of the
//! later start) and `link VALUE` lines, then end of stream; the answer is
//! `ok`. A link carries a key: it is never logged, and held zeroized.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::Shutdown;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use zeroize::Zeroizing;

/// Read and write timeout of every socket operation, both sides.
pub const IO_TIMEOUT: Duration = Duration::from_secs(2);
/// How long a later start keeps trying to reach a primary that holds the
/// lock but has not bound its socket yet (it is starting, or exiting).
const CONNECT_WAIT: Duration = Duration::from_secs(5);
/// Longest request read (an `otpauth-migration://` link of a large export
/// fits many times over).
const MAX_REQUEST: u64 = 2 * 1024 * 1024;
const MAGIC: &str = "tessera-instance 1";
const REPLY: &[u8; 3] = b"ok\n";

/// What a later start asks of the primary.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Request {
    /// The later start's activation token (`XDG_ACTIVATION_TOKEN` on
    /// Wayland, `DESKTOP_STARTUP_ID` on X11), if its launcher gave one.
    pub token: Option<String>,
    /// An `otpauth://` or `otpauth-migration://` link to add.
    pub link: Option<Zeroizing<String>>,
}

impl std::fmt::Debug for Request {
    // The link holds a key: never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("token", &self.token.is_some())
            .field("link", &self.link.is_some())
            .finish()
    }
}

impl Request {
    /// The wire form (the caller checked that no value holds a line break).
    fn encode(&self) -> Zeroizing<String> {
        let mut out = Zeroizing::new(format!("{MAGIC}\n"));
        if let Some(token) = &self.token {
            out.push_str("token ");
            out.push_str(token);
            out.push('\n');
        }
        if let Some(link) = &self.link {
            out.push_str("link ");
            out.push_str(link);
            out.push('\n');
        }
        out
    }

    fn decode(text: &str) -> Option<Self> {
        let mut lines = text.lines();
        if lines.next()? != MAGIC {
            return None;
        }
        let mut request = Self::default();
        for line in lines {
            match line.split_once(' ') {
                Some(("token", value)) if !value.is_empty() => {
                    request.token = Some(value.to_string());
                }
                Some(("link", value)) if !value.is_empty() => {
                    request.link = Some(Zeroizing::new(value.to_string()));
                }
                // Unknown lines are from a newer version: ignored.
                _ => {}
            }
        }
        Some(request)
    }
}

/// Whether `value` can travel as one request line.
pub fn fits_a_line(value: &str) -> bool {
    !value.is_empty() && !value.chars().any(char::is_control)
}

/// The primary's end: the lock (held until the process exits) and the
/// listening socket.
pub struct Primary {
    /// Held for the life of the process.
    pub lock: File,
    pub listener: UnixListener,
}

/// What `acquire` decided.
pub enum Outcome {
    Primary(Primary),
    /// The running primary took the request.
    Forwarded,
}

/// The private folder of the channel: `$XDG_RUNTIME_DIR/tessera`, else
/// `/tmp/tessera-UID`, created 0700 and checked.
pub fn default_dir() -> io::Result<PathBuf> {
    let runtime = std::env::var_os("XDG_RUNTIME_DIR").filter(|v| !v.is_empty());
    // Inside Flatpak each instance has its own runtime folder; the app's
    // shared one is app/ID.
    let flatpak = std::env::var_os("FLATPAK_ID").filter(|v| !v.is_empty());
    let dir = match (runtime, flatpak) {
        (Some(runtime), Some(id)) => PathBuf::from(runtime).join("app").join(id).join("tessera"),
        (Some(runtime), None) => PathBuf::from(runtime).join("tessera"),
        (None, _) => {
            std::env::temp_dir().join(format!("tessera-{}", rustix::process::getuid().as_raw()))
        }
    };
    ensure_private(&dir)?;
    Ok(dir)
}

/// Creates `dir` with mode 0700, or checks an existing one: a folder (not a
/// link), owned by this user; group and other permissions are removed.
pub fn ensure_private(dir: &Path) -> io::Result<()> {
    match std::fs::DirBuilder::new().mode(0o700).create(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    let meta = std::fs::symlink_metadata(dir)?;
    if !meta.is_dir() {
        return Err(io::Error::other(format!(
            "{} is not a folder",
            dir.display()
        )));
    }
    if meta.uid() != rustix::process::getuid().as_raw() {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!("{} belongs to another user", dir.display()),
        ));
    }
    if meta.mode() & 0o077 != 0 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// Becomes the primary (lock taken, socket bound) or hands `request` to
/// the running one. Fails when the folder is unusable, or when the lock
/// is held by a process that never answers within `CONNECT_WAIT`.
pub fn acquire(dir: &Path, request: &Request) -> io::Result<Outcome> {
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .mode(0o600)
        .open(dir.join("instance.lock"))?;
    let socket = dir.join("instance.sock");
    let deadline = Instant::now() + CONNECT_WAIT;
    loop {
        match lock.try_lock() {
            Ok(()) => {
                // The lock is ours: a socket file left is from a process
                // that is gone, and nobody else will bind it.
                match std::fs::remove_file(&socket) {
                    Ok(()) => {}
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                    Err(e) => return Err(e),
                }
                let listener = UnixListener::bind(&socket)?;
                return Ok(Outcome::Primary(Primary { lock, listener }));
            }
            Err(TryLockError::WouldBlock) => {}
            Err(TryLockError::Error(e)) => return Err(e),
        }
        match send(&socket, request) {
            Ok(()) => return Ok(Outcome::Forwarded),
            Err(e) if Instant::now() >= deadline => return Err(e),
            // Not bound yet (starting) or no longer (exiting): retry.
            Err(_) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
}

/// Hands `request` to the primary listening on `socket`; `Ok` once it
/// confirmed.
pub fn send(socket: &Path, request: &Request) -> io::Result<()> {
    let mut stream = UnixStream::connect(socket)?;
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    stream.write_all(request.encode().as_bytes())?;
    stream.shutdown(Shutdown::Write)?;
    let mut reply = [0u8; 3];
    stream.read_exact(&mut reply)?;
    if &reply != REPLY {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "the running Tessera gave an unexpected answer",
        ));
    }
    Ok(())
}

/// Serves `listener` on a thread of its own, passing each request to
/// `deliver` until it returns `false`. Each connection gets its own
/// thread and the timeouts, so a silent client holds up nothing.
pub fn serve(listener: UnixListener, deliver: impl Fn(Request) -> bool + Send + Sync + 'static) {
    let deliver = std::sync::Arc::new(deliver);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let deliver = deliver.clone();
            std::thread::spawn(move || {
                if let Some(request) = receive(&stream) {
                    let _ = (&stream).write_all(REPLY);
                    deliver(request);
                }
            });
        }
    });
}

/// Reads one request (bounded, with timeouts); `None` for a silent,
/// slow or malformed client.
fn receive(stream: &UnixStream) -> Option<Request> {
    stream.set_read_timeout(Some(IO_TIMEOUT)).ok()?;
    stream.set_write_timeout(Some(IO_TIMEOUT)).ok()?;
    let mut bytes = Zeroizing::new(Vec::new());
    let mut reader = BufReader::new(stream.take(MAX_REQUEST));
    loop {
        let buffer = reader.fill_buf().ok()?;
        if buffer.is_empty() {
            break;
        }
        let n = buffer.len();
        bytes.extend_from_slice(buffer);
        reader.consume(n);
    }
    let text = std::str::from_utf8(&bytes).ok()?;
    Request::decode(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    fn link_request() -> Request {
        Request {
            token: Some(String::from("token-1")),
            link: Some(Zeroizing::new(String::from(
                "otpauth://totp/ACME:me?secret=JBSWY3DPEHPK3PXP",
            ))),
        }
    }

    #[test]
    fn folder_is_created_private_and_tightened() {
        let base = tempfile::tempdir().expect("temp dir");
        let dir = base.path().join("tessera");
        ensure_private(&dir).expect("created");
        let mode = std::fs::metadata(&dir).expect("meta").mode();
        assert_eq!(mode & 0o777, 0o700);
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).expect("chmod");
        ensure_private(&dir).expect("checked");
        let mode = std::fs::metadata(&dir).expect("meta").mode();
        assert_eq!(mode & 0o777, 0o700);
    }

    #[test]
    fn a_link_in_place_of_the_folder_is_refused() {
        let base = tempfile::tempdir().expect("temp dir");
        let target = base.path().join("elsewhere");
        std::fs::create_dir(&target).expect("dir");
        let dir = base.path().join("tessera");
        std::os::unix::fs::symlink(&target, &dir).expect("symlink");
        assert!(ensure_private(&dir).is_err());
    }

    #[test]
    fn request_round_trip_and_debug_hides_the_link() {
        let request = link_request();
        let decoded = Request::decode(&request.encode()).expect("decoded");
        assert_eq!(decoded, request);
        let shown = format!("{request:?}");
        assert!(
            !shown.contains("JBSW") && !shown.contains("token-1"),
            "{shown}"
        );
        assert!(Request::decode("hello\nlink x\n").is_none());
        assert!(fits_a_line("otpauth://totp/a?secret=B"));
        assert!(!fits_a_line("otpauth://a\nlink evil"));
    }

    /// 50 starts at the same moment: exactly one primary, every other one
    /// forwarded to it.
    #[test]
    fn simultaneous_starts_leave_one_primary() {
        let base = tempfile::tempdir().expect("temp dir");
        let dir = base.path().to_path_buf();
        let (tx, rx) = mpsc::channel();
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(50));
        let starts: Vec<_> = (0..50)
            .map(|_| {
                let (dir, barrier, tx) = (dir.clone(), barrier.clone(), tx.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    match acquire(&dir, &Request::default()).expect("acquired") {
                        Outcome::Primary(primary) => {
                            let tx = std::sync::Mutex::new(tx);
                            serve(primary.listener, move |_| {
                                tx.lock().is_ok_and(|tx| tx.send(()).is_ok())
                            });
                            // The lock stays held, as by a running app.
                            Some(primary.lock)
                        }
                        Outcome::Forwarded => None,
                    }
                })
            })
            .collect();
        drop(tx);
        let locks: Vec<File> = starts
            .into_iter()
            .filter_map(|s| s.join().expect("thread"))
            .collect();
        assert_eq!(locks.len(), 1, "primaries");
        let delivered = (0..49)
            .filter(|_| rx.recv_timeout(Duration::from_secs(5)).is_ok())
            .count();
        assert_eq!(delivered, 49, "every later start reached the primary");
    }

    #[test]
    fn a_silent_client_does_not_block_forwarding() {
        let base = tempfile::tempdir().expect("temp dir");
        let Outcome::Primary(primary) = acquire(base.path(), &Request::default()).expect("first")
        else {
            panic!("the first start must be the primary");
        };
        let (tx, rx) = mpsc::channel();
        let tx = std::sync::Mutex::new(tx);
        serve(primary.listener, move |r| {
            tx.lock().is_ok_and(|tx| tx.send(r).is_ok())
        });
        // Connects and never writes nor closes.
        let _silent = UnixStream::connect(base.path().join("instance.sock")).expect("connect");
        let request = link_request();
        match acquire(base.path(), &request).expect("second") {
            Outcome::Forwarded => {}
            Outcome::Primary(_) => panic!("the lock is held: no second primary"),
        }
        let got = rx.recv_timeout(IO_TIMEOUT).expect("delivered");
        assert_eq!(got, request);
    }

    #[test]
    fn a_stale_socket_is_replaced_by_the_lock_holder() {
        let base = tempfile::tempdir().expect("temp dir");
        // A socket file left by a crashed run: bound, then never served.
        drop(UnixListener::bind(base.path().join("instance.sock")).expect("bind"));
        match acquire(base.path(), &Request::default()).expect("acquired") {
            Outcome::Primary(_) => {}
            Outcome::Forwarded => panic!("nobody was running"),
        }
    }
}
