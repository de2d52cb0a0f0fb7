//! Single instance: starting `tessera` while it runs brings the running
//! window forward instead of opening a second one.
//!
//! The first instance listens on a Unix socket in the user's runtime
//! directory; a later one connects, asks it to come forward, and exits.
//! On platforms without Unix sockets every start opens a window.

use std::sync::Mutex;

use iced::Subscription;

/// What this process is.
pub enum Role {
    /// The first instance: open the window and listen for later starts.
    Primary,
    /// Another instance was running and has been asked to come forward.
    Forwarded,
}

#[cfg(unix)]
static LISTENER: Mutex<Option<std::os::unix::net::UnixListener>> = Mutex::new(None);

#[cfg(unix)]
fn socket_path() -> std::path::PathBuf {
    let dir = directories::BaseDirs::new()
        .and_then(|d| d.runtime_dir().map(std::path::Path::to_path_buf))
        .unwrap_or_else(|| {
            let user = std::env::var("USER").unwrap_or_else(|_| String::from("user"));
            std::env::temp_dir().join(format!("tessera-{user}"))
        });
    dir.join(format!("{}.instance", crate::APP_ID))
}

/// Becomes the primary instance, or hands over to the running one.
#[cfg(unix)]
pub fn acquire() -> Role {
    use std::io::{Read, Write};
    use std::os::unix::net::{UnixListener, UnixStream};
    use std::time::Duration;

    let path = socket_path();
    if let Ok(mut stream) = UnixStream::connect(&path) {
        let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
        let mut reply = [0u8; 2];
        if stream.write_all(b"raise\n").is_ok()
            && stream.read_exact(&mut reply).is_ok()
            && &reply == b"ok"
        {
            return Role::Forwarded;
        }
    }
    // Nobody answers: a stale socket from a crashed run, or none at all.
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let _ = std::fs::remove_file(&path);
    match UnixListener::bind(&path) {
        Ok(listener) => {
            if let Ok(mut slot) = LISTENER.lock() {
                *slot = Some(listener);
            }
        }
        // Without the socket the app still works; only forwarding is lost.
        Err(e) => eprintln!("tessera: single-instance socket unavailable ({e})"),
    }
    Role::Primary
}

#[cfg(not(unix))]
pub fn acquire() -> Role {
    Role::Primary
}

/// Emits once each time a later `tessera` start asks to come forward.
pub fn raises() -> Subscription<()> {
    Subscription::run(listen)
}

#[cfg(unix)]
fn listen() -> impl iced::futures::Stream<Item = ()> {
    use iced::futures::SinkExt;
    iced::stream::channel(4, async move |mut output| {
        let listener = LISTENER.lock().ok().and_then(|mut slot| slot.take());
        let Some(listener) = listener else {
            return;
        };
        let (tx, mut rx) = iced::futures::channel::mpsc::unbounded::<()>();
        std::thread::spawn(move || {
            use std::io::{BufRead, BufReader, Write};
            for stream in listener.incoming().flatten() {
                let mut line = String::new();
                let mut reader = BufReader::new(&stream);
                if reader.read_line(&mut line).is_ok() && line.trim() == "raise" {
                    let _ = (&stream).write_all(b"ok");
                    if tx.unbounded_send(()).is_err() {
                        break;
                    }
                }
            }
        });
        use iced::futures::StreamExt;
        while rx.next().await.is_some() {
            if output.send(()).await.is_err() {
                break;
            }
        }
    })
}

#[cfg(not(unix))]
fn listen() -> impl iced::futures::Stream<Item = ()> {
    iced::futures::stream::empty()
}
