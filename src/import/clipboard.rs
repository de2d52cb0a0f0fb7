//! The clipboard's image as the bytes of its file (PNG, JPEG, ...), read
//! from the X11 selection with x11rb, so it goes through the same decoder
//! and limits as an image file ([`super::image::load_image`]).
//!
//! arboard's `get_image` decodes the PNG itself with no size limit (a 538 KB
//! PNG of a huge blank page cost 911 MB): it is not used for images.
//! Transfers are bounded: at most [`MAX_FILE_BYTES`] are read, in one
//! property or in INCR chunks, and every wait has a deadline.

use std::time::{Duration, Instant};

use x11rb::connection::Connection;
use x11rb::protocol::Event;
use x11rb::protocol::xproto::{
    Atom, AtomEnum, ConnectionExt as _, CreateWindowAux, EventMask, Property, Window, WindowClass,
};
use x11rb::rust_connection::RustConnection;

use super::image::MAX_FILE_BYTES;
use crate::error::ImportError;

/// Image types asked for, most preferred first.
const IMAGE_TARGETS: [&str; 5] = [
    "image/png",
    "image/jpeg",
    "image/bmp",
    "image/gif",
    "image/webp",
];
/// How long the clipboard's owner may take to answer one request.
const WAIT: Duration = Duration::from_secs(5);

/// What the clipboard offers.
pub enum Content {
    /// The bytes of an image file.
    Image(Vec<u8>),
    /// No image: read the text instead (or nothing is there).
    NoImage,
}

fn error(what: impl std::fmt::Display) -> ImportError {
    ImportError::UnreadableFile(format!("cannot read the clipboard: {what}"))
}

fn too_large() -> ImportError {
    ImportError::ImageTooLarge(format!(
        "the clipboard image is over {} MiB: at most {MAX_FILE_BYTES} bytes are read",
        MAX_FILE_BYTES >> 20
    ))
}

/// The clipboard's image, if it offers one, as file bytes.
pub fn read_image() -> Result<Content, ImportError> {
    let (conn, screen) = x11rb::connect(None).map_err(error)?;
    let root = conn
        .setup()
        .roots
        .get(screen)
        .ok_or_else(|| error("no X11 screen"))?
        .root;
    let window = conn.generate_id().map_err(error)?;
    conn.create_window(
        x11rb::COPY_DEPTH_FROM_PARENT,
        window,
        root,
        0,
        0,
        1,
        1,
        0,
        WindowClass::INPUT_OUTPUT,
        0,
        &CreateWindowAux::new().event_mask(EventMask::PROPERTY_CHANGE),
    )
    .map_err(error)?;
    let property = intern(&conn, "TESSERA_CLIPBOARD")?;
    let reader = Reader {
        conn,
        window,
        property,
    };
    let result = reader.run();
    // Best effort: the window goes with the connection anyway.
    let _ = reader.conn.destroy_window(window);
    let _ = reader.conn.flush();
    result
}

struct Reader {
    conn: RustConnection,
    window: Window,
    property: Atom,
}

fn intern(conn: &RustConnection, name: &str) -> Result<Atom, ImportError> {
    Ok(conn
        .intern_atom(false, name.as_bytes())
        .map_err(error)?
        .reply()
        .map_err(error)?
        .atom)
}

impl Reader {
    fn atom(&self, name: &str) -> Result<Atom, ImportError> {
        intern(&self.conn, name)
    }

    fn run(&self) -> Result<Content, ImportError> {
        let clipboard = self.atom("CLIPBOARD")?;
        let targets = self.atom("TARGETS")?;
        let incr = self.atom("INCR")?;
        if self.convert(clipboard, targets)?.is_none() {
            return Ok(Content::NoImage);
        }
        let (_, list) = self.take(incr, 64 * 1024)?;
        let offered: Vec<Atom> = list
            .chunks_exact(4)
            .map(|c| u32::from_ne_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        for name in IMAGE_TARGETS {
            let target = self.atom(name)?;
            if !offered.contains(&target) {
                continue;
            }
            if self.convert(clipboard, target)?.is_none() {
                continue;
            }
            let (_, bytes) = self.take(incr, MAX_FILE_BYTES as usize)?;
            return Ok(Content::Image(bytes));
        }
        Ok(Content::NoImage)
    }

    /// Asks the owner of `selection` for `target` into our property; `None`
    /// when there is no owner or it refuses the target.
    fn convert(&self, selection: Atom, target: Atom) -> Result<Option<()>, ImportError> {
        self.conn
            .convert_selection(
                self.window,
                selection,
                target,
                self.property,
                x11rb::CURRENT_TIME,
            )
            .map_err(error)?;
        self.conn.flush().map_err(error)?;
        let deadline = Instant::now() + WAIT;
        loop {
            match self.next_event(deadline)? {
                Event::SelectionNotify(e) if e.requestor == self.window => {
                    return Ok((e.property != x11rb::NONE).then_some(()));
                }
                _ => continue,
            }
        }
    }

    /// Reads and deletes our property, following the INCR protocol when the
    /// owner sends the data in chunks. Refuses more than `limit` bytes.
    fn take(&self, incr: Atom, limit: usize) -> Result<(Atom, Vec<u8>), ImportError> {
        let (kind, first) = self.get(limit)?;
        if kind != incr {
            return Ok((kind, first));
        }
        // INCR: the value was a size hint; deleting the property (done by
        // `get`) asks for the first chunk, an empty chunk ends the data.
        let mut data = Vec::new();
        let mut kind = kind;
        loop {
            let deadline = Instant::now() + WAIT;
            loop {
                match self.next_event(deadline)? {
                    Event::PropertyNotify(e)
                        if e.window == self.window
                            && e.atom == self.property
                            && e.state == Property::NEW_VALUE =>
                    {
                        break;
                    }
                    _ => continue,
                }
            }
            let (chunk_kind, chunk) = self.get(limit - data.len())?;
            if chunk.is_empty() {
                return Ok((kind, data));
            }
            kind = chunk_kind;
            data.extend_from_slice(&chunk);
        }
    }

    /// One GetProperty of at most `limit` bytes, deleting the property.
    fn get(&self, limit: usize) -> Result<(Atom, Vec<u8>), ImportError> {
        let words = u32::try_from(limit.div_ceil(4) + 1).unwrap_or(u32::MAX);
        let reply = self
            .conn
            .get_property(true, self.window, self.property, AtomEnum::ANY, 0, words)
            .map_err(error)?
            .reply()
            .map_err(error)?;
        if reply.bytes_after > 0 || reply.value.len() > limit {
            return Err(too_large());
        }
        Ok((reply.type_, reply.value))
    }

    fn next_event(&self, deadline: Instant) -> Result<Event, ImportError> {
        loop {
            if let Some(event) = self.conn.poll_for_event().map_err(error)? {
                return Ok(event);
            }
            if Instant::now() >= deadline {
                return Err(error("the program holding it did not answer in time"));
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}
