//! Locking with the screen: when the desktop's screensaver locks the
//! screen it says so on the session bus (`ActiveChanged(true)` of
//! org.freedesktop.ScreenSaver, which KDE, Xfce and others use, or of
//! org.gnome.ScreenSaver, Cinnamon's and MATE's), and the open vault locks
//! with it. Without a session bus, nothing is watched.

use iced::Subscription;
use iced::futures::{SinkExt, StreamExt};

use ashpd::zbus;

/// The interfaces whose `ActiveChanged(true)` means the screen locked.
const SCREENSAVERS: &[&str] = &[
    "org.freedesktop.ScreenSaver",
    "org.gnome.ScreenSaver",
    "org.cinnamon.ScreenSaver",
    "org.mate.ScreenSaver",
];

/// One `()` each time the screen locks.
pub fn locks() -> Subscription<()> {
    Subscription::run(listen)
}

fn listen() -> impl iced::futures::Stream<Item = ()> {
    iced::stream::channel(2, async move |mut output| {
        let Ok(mut signals) = signals().await else {
            return;
        };
        while let Some(message) = signals.next().await {
            let Ok(message) = message else {
                continue;
            };
            if is_lock(&message) && output.send(()).await.is_err() {
                break;
            }
        }
    })
}

/// The `ActiveChanged` signals of the session bus.
async fn signals() -> zbus::Result<zbus::MessageStream> {
    let connection = zbus::Connection::session().await?;
    let rule = zbus::MatchRule::builder()
        .msg_type(zbus::message::Type::Signal)
        .member("ActiveChanged")?
        .build();
    zbus::MessageStream::for_match_rule(rule, &connection, Some(8)).await
}

/// Whether `message` says that a screensaver became active.
fn is_lock(message: &zbus::Message) -> bool {
    let header = message.header();
    let ours = header
        .interface()
        .is_some_and(|i| SCREENSAVERS.contains(&i.as_str()));
    ours && message.body().deserialize::<bool>().unwrap_or(false)
}
