//! Single instance: starting `tessera` while it runs brings the running
//! window forward (and hands it a link to add) instead of opening a second
//! one. The channel ([`channel`], Unix) is a lock that decides the primary
//! and a socket in a private folder, with timeouts on every read and write.
//! On platforms without Unix sockets every start opens a window.

#[cfg(unix)]
mod channel;

#[cfg(unix)]
use std::sync::{Mutex, OnceLock};

use iced::Subscription;
use zeroize::Zeroizing;

#[cfg(unix)]
pub use channel::Request;

/// What a later start asks of the running window.
#[cfg(not(unix))]
#[derive(Clone, Default, Debug)]
pub struct Request {
    pub token: Option<String>,
    pub link: Option<Zeroizing<String>>,
}

/// What this process is.
pub enum Role {
    /// The first instance: open the window and listen for later starts.
    Primary,
    /// Another instance was running and took the request.
    Forwarded,
}

/// Requests received before the app's subscription runs wait here (the
/// listener answers at once, so a later start never waits for the window).
#[cfg(unix)]
type Inbox = iced::futures::channel::mpsc::UnboundedReceiver<Request>;
#[cfg(unix)]
static INBOX: Mutex<Option<Inbox>> = Mutex::new(None);
/// The primary's lock, held until the process exits.
#[cfg(unix)]
static LOCK: OnceLock<std::fs::File> = OnceLock::new();

/// The request of this start: `link`, and the activation token its
/// launcher set (`XDG_ACTIVATION_TOKEN` on Wayland, `DESKTOP_STARTUP_ID`
/// on X11). A link with a control character (checked by the caller) is
/// left out: it cannot travel as one line.
pub fn request(link: Option<Zeroizing<String>>) -> Request {
    let token = ["XDG_ACTIVATION_TOKEN", "DESKTOP_STARTUP_ID"]
        .iter()
        .find_map(|v| std::env::var(v).ok())
        .filter(|t| fits_a_line(t));
    let link = link.filter(|l| fits_a_line(l));
    Request { token, link }
}

#[cfg(unix)]
use channel::fits_a_line;

#[cfg(not(unix))]
fn fits_a_line(value: &str) -> bool {
    !value.is_empty() && !value.chars().any(char::is_control)
}

/// Becomes the primary instance, or hands `request` to the running one.
/// Without a usable channel the app still opens (once, with a note).
#[cfg(unix)]
pub fn acquire(request: &Request) -> Role {
    let acquired = channel::default_dir().and_then(|dir| channel::acquire(&dir, request));
    match acquired {
        Ok(channel::Outcome::Forwarded) => Role::Forwarded,
        Ok(channel::Outcome::Primary(primary)) => {
            let (tx, rx) = iced::futures::channel::mpsc::unbounded();
            if let Ok(mut slot) = INBOX.lock() {
                *slot = Some(rx);
            }
            channel::serve(primary.listener, move |r| tx.unbounded_send(r).is_ok());
            let _ = LOCK.set(primary.lock);
            Role::Primary
        }
        // The error names only paths, never the request.
        Err(e) => {
            eprintln!("tessera: single-instance channel unavailable ({e}); opening anyway");
            Role::Primary
        }
    }
}

#[cfg(not(unix))]
pub fn acquire(_: &Request) -> Role {
    Role::Primary
}

/// Emits each request of a later `tessera` start.
pub fn requests() -> Subscription<Request> {
    Subscription::run(listen)
}

#[cfg(unix)]
fn listen() -> impl iced::futures::Stream<Item = Request> {
    use iced::futures::{SinkExt, StreamExt};
    iced::stream::channel(4, async move |mut output| {
        let inbox = INBOX.lock().ok().and_then(|mut slot| slot.take());
        let Some(mut inbox) = inbox else {
            return;
        };
        while let Some(request) = inbox.next().await {
            if output.send(request).await.is_err() {
                break;
            }
        }
    })
}

#[cfg(not(unix))]
fn listen() -> impl iced::futures::Stream<Item = Request> {
    iced::futures::stream::empty()
}
