//! The tray icon: a StatusNotifierItem over D-Bus (ksni, Linux). Its menu
//! holds the most recently used accounts (a click copies the current code,
//! with the window's clipboard rules), Show/Hide window, Lock and Quit;
//! while locked only Unlock. Clicks become [`Event`]s for the app; the app
//! sends the menu it wants with [`show`]. Where no tray host answers (no
//! StatusNotifierWatcher on the session bus) the app runs as without a
//! tray, and says so once on stderr.

use std::sync::Mutex;

use iced::Subscription;

/// Most accounts in the menu.
pub const MAX_ACCOUNTS: usize = 10;

/// A click in the tray menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Copy the current code of the account with this id.
    Copy(String),
    /// Show the window (open it again if it was closed), or hide it.
    ToggleWindow,
    Lock,
    Quit,
}

/// What the menu shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Menu {
    pub unlocked: bool,
    /// The accounts to offer: (entry id, label), most recently used first.
    pub accounts: Vec<(String, String)>,
    pub window_shown: bool,
}

type Inbox = iced::futures::channel::mpsc::UnboundedReceiver<Event>;
static INBOX: Mutex<Option<Inbox>> = Mutex::new(None);

#[cfg(target_os = "linux")]
static HANDLE: Mutex<Option<ksni::blocking::Handle<Item>>> = Mutex::new(None);

/// Puts the item on the session bus; `false` (said once on stderr) when no
/// tray host takes it.
#[cfg(target_os = "linux")]
pub fn start(menu: Menu) -> bool {
    use ksni::blocking::TrayMethods;
    let (tx, rx) = iced::futures::channel::mpsc::unbounded();
    let item = Item {
        menu,
        tx,
        icon: icon(),
    };
    // Inside Flatpak the item cannot own its well-known name.
    let sandboxed = std::env::var_os("FLATPAK_ID").is_some();
    match item.disable_dbus_name(sandboxed).spawn() {
        Ok(handle) => {
            if let Ok(mut slot) = HANDLE.lock() {
                *slot = Some(handle);
            }
            if let Ok(mut slot) = INBOX.lock() {
                *slot = Some(rx);
            }
            true
        }
        Err(e) => {
            eprintln!("tessera: no tray icon: no tray host answers on the session bus ({e})");
            false
        }
    }
}

#[cfg(not(target_os = "linux"))]
pub fn start(_: Menu) -> bool {
    false
}

/// Replaces the menu (and the item's tooltip) with `menu`.
#[cfg(target_os = "linux")]
pub fn show(menu: Menu) {
    if let Ok(slot) = HANDLE.lock()
        && let Some(handle) = slot.as_ref()
    {
        handle.update(|item| item.menu = menu);
    }
}

#[cfg(not(target_os = "linux"))]
pub fn show(_: Menu) {}

/// The clicks in the tray menu.
pub fn events() -> Subscription<Event> {
    Subscription::run(listen)
}

fn listen() -> impl iced::futures::Stream<Item = Event> {
    use iced::futures::{SinkExt, StreamExt};
    iced::stream::channel(4, async move |mut output| {
        let inbox = INBOX.lock().ok().and_then(|mut slot| slot.take());
        let Some(mut inbox) = inbox else {
            return;
        };
        while let Some(event) = inbox.next().await {
            if output.send(event).await.is_err() {
                break;
            }
        }
    })
}

#[cfg(target_os = "linux")]
struct Item {
    menu: Menu,
    tx: iced::futures::channel::mpsc::UnboundedSender<Event>,
    icon: Vec<ksni::Icon>,
}

#[cfg(target_os = "linux")]
impl Item {
    fn send(&self, event: Event) {
        let _ = self.tx.unbounded_send(event);
    }
}

#[cfg(target_os = "linux")]
impl ksni::Tray for Item {
    fn id(&self) -> String {
        String::from("tessera")
    }

    fn title(&self) -> String {
        String::from("Tessera")
    }

    fn icon_name(&self) -> String {
        String::from(crate::APP_ID)
    }

    fn icon_pixmap(&self) -> Vec<ksni::Icon> {
        self.icon.clone()
    }

    fn category(&self) -> ksni::Category {
        ksni::Category::ApplicationStatus
    }

    /// A left click shows or hides the window.
    fn activate(&mut self, _x: i32, _y: i32) {
        self.send(Event::ToggleWindow);
    }

    fn menu(&self) -> Vec<ksni::MenuItem<Self>> {
        use ksni::menu::{MenuItem, StandardItem};
        let action = |label: String, event: Event| {
            MenuItem::Standard(StandardItem {
                label,
                activate: Box::new(move |item: &mut Self| item.send(event.clone())),
                ..StandardItem::default()
            })
        };
        if !self.menu.unlocked {
            return vec![action(tr!("tray.unlock"), Event::ToggleWindow)];
        }
        let mut items: Vec<MenuItem<Self>> = self
            .menu
            .accounts
            .iter()
            .take(MAX_ACCOUNTS)
            // "_" marks an access key in menu labels: doubled, it shows.
            .map(|(id, label)| action(label.replace('_', "__"), Event::Copy(id.clone())))
            .collect();
        if !items.is_empty() {
            items.push(MenuItem::Separator);
        }
        let toggle = if self.menu.window_shown {
            tr!("tray.hide")
        } else {
            tr!("tray.show")
        };
        items.push(action(toggle, Event::ToggleWindow));
        items.push(action(tr!("tray.lock"), Event::Lock));
        items.push(action(tr!("tray.quit"), Event::Quit));
        items
    }
}

/// The app icon as the ARGB32 pixmaps (big-endian) the tray protocol takes.
#[cfg(target_os = "linux")]
fn icon() -> Vec<ksni::Icon> {
    let Ok(image) = image::load_from_memory_with_format(super::ICON_PNG, image::ImageFormat::Png)
    else {
        return Vec::new();
    };
    [32u32, 64]
        .iter()
        .map(|&size| {
            let rgba = image
                .resize_exact(size, size, image::imageops::FilterType::Triangle)
                .to_rgba8();
            let data = rgba
                .pixels()
                .flat_map(|p| [p[3], p[0], p[1], p[2]])
                .collect();
            ksni::Icon {
                width: size as i32,
                height: size as i32,
                data,
            }
        })
        .collect()
}

/// The accounts to offer: (id, label), recently used first, then in list
/// order, at most [`MAX_ACCOUNTS`].
pub fn accounts(entries: &[crate::vault::Entry], recent: &[String]) -> Vec<(String, String)> {
    let used = recent
        .iter()
        .filter_map(|id| entries.iter().find(|e| &e.id == id));
    let rest = entries.iter().filter(|e| !recent.contains(&e.id));
    used.chain(rest)
        .take(MAX_ACCOUNTS)
        .map(|e| (e.id.clone(), e.account.display_label()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::Account;
    use crate::secret::Secret;
    use crate::vault::Entry;

    fn entry(id: &str, issuer: &str) -> Entry {
        let secret = Secret::from_bytes(vec![7; 20]).expect("a key");
        Entry::new(
            id.to_string(),
            Account::totp(Some(issuer.to_string()), "me", secret),
            0,
        )
    }

    #[test]
    fn recently_used_first_then_list_order_at_most_ten() {
        let entries: Vec<Entry> = (0..12)
            .map(|i| entry(&format!("id{i}"), &format!("I{i}")))
            .collect();
        let recent = vec![
            String::from("id5"),
            String::from("gone"),
            String::from("id2"),
        ];
        let offered = accounts(&entries, &recent);
        let ids: Vec<&str> = offered.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "id5", "id2", "id0", "id1", "id3", "id4", "id6", "id7", "id8", "id9"
            ]
        );
        assert_eq!(offered[0].1, entries[5].account.display_label());
        assert!(accounts(&[], &recent).is_empty());
    }
}
