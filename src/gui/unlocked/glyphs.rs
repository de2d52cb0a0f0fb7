//! Names no font can draw. The UI's own text is covered by the embedded
//! fonts (Fira Sans, the CJK subset); account names rely on the system's
//! fonts. When a name has characters that no loaded font covers, the app
//! says so once, naming the characters, instead of only drawing boxes.

use std::collections::BTreeSet;

use iced::Task;
use iced::advanced::graphics::text::{cosmic_text, font_system};

use crate::vault::Entry;

use super::super::task::blocking;
use super::{Message, Unlocked};

/// The characters checked so far, and whether the note was shown.
#[derive(Debug, Default)]
pub struct Glyphs {
    checked: BTreeSet<char>,
    said: bool,
}

/// The characters of the names and issuers that plain ASCII does not
/// cover (those always render).
fn wanted(entries: &[Entry]) -> BTreeSet<char> {
    entries
        .iter()
        .flat_map(|e| {
            let a = &e.account;
            a.name
                .chars()
                .chain(a.issuer.iter().flat_map(|i| i.chars()))
        })
        .filter(|c| !c.is_ascii() && !c.is_whitespace() && !c.is_control())
        .collect()
}

/// Which of `chars` no loaded font has. The embedded fonts are looked at
/// first: with them, the usual names need no system font to be read.
pub fn uncovered(chars: &BTreeSet<char>) -> Vec<char> {
    use cosmic_text::skrifa::{FontRef, MetadataProvider};
    let mut left: BTreeSet<char> = chars.clone();
    let Ok(mut fonts) = font_system().write() else {
        return Vec::new();
    };
    let db = fonts.raw().db();
    let mut faces: Vec<(bool, cosmic_text::fontdb::ID)> = db
        .faces()
        .map(|f| {
            let embedded = matches!(f.source, cosmic_text::fontdb::Source::Binary(_));
            (!embedded, f.id)
        })
        .collect();
    faces.sort_by_key(|f| f.0);
    for (_, id) in faces {
        if left.is_empty() {
            break;
        }
        // The font's character map, read in place (nothing is cached).
        let _ = db.with_face_data(id, |data, index| {
            if let Ok(font) = FontRef::from_index(data, index) {
                let map = font.charmap();
                left.retain(|c| map.map(*c).is_none());
            }
        });
    }
    left.into_iter().collect()
}

impl Glyphs {
    /// A check of the characters not looked at yet, in a task (reading the
    /// system's fonts is slow), or none.
    pub fn check(&mut self, entries: &[Entry]) -> Task<Message> {
        if self.said {
            return Task::none();
        }
        let new: BTreeSet<char> = wanted(entries).difference(&self.checked).copied().collect();
        if new.is_empty() {
            return Task::none();
        }
        self.checked.extend(new.iter().copied());
        Task::perform(blocking(move || Ok(uncovered(&new))), Message::Glyphs)
    }
}

impl Unlocked {
    /// The check's answer: said once, as a note.
    pub(super) fn glyphs_found(&mut self, missing: Result<Vec<char>, String>, now: u64) {
        let Ok(missing) = missing else {
            return;
        };
        if missing.is_empty() || self.glyphs.said {
            return;
        }
        self.glyphs.said = true;
        let shown: String = missing.iter().take(12).collect();
        self.toast = Some((tr!("codes.no_font", chars = shown), now));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_without_a_font_are_found() {
        // The app loads the CJK subset at start; here, by hand.
        if let Ok(mut fonts) = font_system().write() {
            fonts.load_font(std::borrow::Cow::Borrowed(
                super::super::super::widget::CJK_FONT,
            ));
        }
        let chars: BTreeSet<char> = ['é', 'Ж', '京', '云', '\u{10FFFD}'].into_iter().collect();
        assert_eq!(uncovered(&chars), ['\u{10FFFD}'], "a private-use character");
    }

    #[test]
    fn only_names_outside_ascii_are_checked_and_once() {
        let (session, _dir) = crate::gui::task::testing::session();
        let key = |s: &str| crate::secret::Secret::from_base32(s).unwrap();
        let accounts = vec![
            crate::account::Account::totp(Some("京东云".into()), "root", key("JBSWY3DPEHPK3PXP")),
            crate::account::Account::totp(Some("ACME".into()), "ops", key("GEZDGNBVGY3TQOJQ")),
        ];
        session.lock().unwrap().import(accounts, 0).unwrap();
        let entries = session.lock().unwrap().entries().to_vec();
        assert_eq!(wanted(&entries), ['东', '云', '京'].into_iter().collect());
        let mut glyphs = Glyphs::default();
        assert!(crate::gui::sim_tests::run(glyphs.check(&entries)).len() == 1);
        // Checked already: no second task.
        assert!(crate::gui::sim_tests::run(glyphs.check(&entries)).is_empty());
    }
}
