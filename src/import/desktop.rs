//! Accounts from the desktop: the clipboard (an image or otpauth text) and
//! the screen (every monitor). Pure Rust on Linux: the X11 protocol through
//! x11rb, the XDG Screenshot portal on Wayland through D-Bus (ashpd), the
//! clipboard's images through x11rb (see `clipboard`), its text through
//! arboard. Built with the `desktop` feature.
//!
//! Failures to reach the desktop are reported as [`ImportError::UnreadableFile`]
//! (the source could not be read), so the `scan --json` contract is unchanged.

use ::image::GrayImage;

use super::{Options, Report, image, read, read_lumas};
use crate::error::ImportError;

/// The accounts in the clipboard: the QR codes of an image, or the otpauth
/// links of a text.
pub fn read_clipboard() -> Report {
    let unreadable = |e: arboard::Error| {
        failed(ImportError::UnreadableFile(format!(
            "cannot read the clipboard: {e}"
        )))
    };
    if let Some(e) = no_display("read the clipboard") {
        return failed(e);
    }
    let mut clipboard = match arboard::Clipboard::new() {
        Ok(c) => c,
        Err(e) => return unreadable(e),
    };
    // An image is read as the bytes of its file through X11 (where arboard
    // reads too: it is built without Wayland support), so the limits of
    // image files apply before anything is decoded.
    if has_env("DISPLAY") {
        match super::clipboard::read_image() {
            Ok(super::clipboard::Content::Image(bytes)) => {
                return match image::load_image(&bytes) {
                    Ok(decoded) => read_lumas(&[image::into_luma(decoded)]),
                    Err(e) => failed(e),
                };
            }
            Ok(super::clipboard::Content::NoImage) => {}
            Err(e) => return failed(e),
        }
    }
    match clipboard.get_text() {
        // Text goes the way of every other input.
        Ok(text) => read(text.as_bytes(), &Options::links_only(None)).unwrap_or_default(),
        Err(arboard::Error::ContentNotAvailable) => failed(ImportError::UnreadableFile(
            String::from("the clipboard is empty: copy a QR image or an otpauth:// link first"),
        )),
        Err(e) => unreadable(e),
    }
}

/// The accounts in the QR codes shown on every monitor.
pub fn read_screen() -> Report {
    match capture_screen() {
        Ok(images) => read_lumas(&images),
        Err(e) => failed(e),
    }
}

/// Grey images of every monitor: the XDG Screenshot portal on Wayland
/// (X11 as a fallback), the X server's root windows on X11.
pub fn capture_screen() -> Result<Vec<GrayImage>, ImportError> {
    if let Some(e) = no_display("capture the screen") {
        return Err(e);
    }
    if has_env("WAYLAND_DISPLAY") {
        portal::capture().or_else(|e| {
            if has_env("DISPLAY") {
                x11::capture()
            } else {
                Err(e)
            }
        })
    } else {
        x11::capture()
    }
}

fn has_env(name: &str) -> bool {
    std::env::var_os(name).is_some_and(|v| !v.is_empty())
}

/// The error when there is no desktop session at all.
fn no_display(action: &str) -> Option<ImportError> {
    (!has_env("WAYLAND_DISPLAY") && !has_env("DISPLAY")).then(|| {
        ImportError::UnreadableFile(format!(
            "cannot {action}: no display (neither WAYLAND_DISPLAY nor DISPLAY is set)"
        ))
    })
}

fn failed(error: ImportError) -> Report {
    Report::failed(error)
}

/// X11: `GetImage` of each screen's root window, which spans all its
/// monitors, read in strips to bound the reply size.
mod x11 {
    use ::image::GrayImage;
    use x11rb::connection::Connection;
    use x11rb::protocol::xproto::{ConnectionExt as _, ImageFormat, ImageOrder, Screen};

    use crate::error::ImportError;

    const STRIP_ROWS: u16 = 256;

    fn error(what: impl std::fmt::Display) -> ImportError {
        ImportError::UnreadableFile(format!("cannot capture the X11 screen: {what}"))
    }

    pub fn capture() -> Result<Vec<GrayImage>, ImportError> {
        let (conn, _) = x11rb::connect(None).map_err(error)?;
        let setup = conn.setup();
        let lsb = setup.image_byte_order == ImageOrder::LSB_FIRST;
        setup
            .roots
            .iter()
            .map(|screen| {
                let bpp = setup
                    .pixmap_formats
                    .iter()
                    .find(|f| f.depth == screen.root_depth)
                    .map(|f| usize::from(f.bits_per_pixel))
                    .ok_or_else(|| error("no pixel format for the root depth"))?;
                capture_root(&conn, screen, bpp, lsb)
            })
            .collect()
    }

    fn capture_root(
        conn: &impl Connection,
        screen: &Screen,
        bpp: usize,
        lsb: bool,
    ) -> Result<GrayImage, ImportError> {
        let visual = screen
            .allowed_depths
            .iter()
            .flat_map(|d| &d.visuals)
            .find(|v| v.visual_id == screen.root_visual)
            .ok_or_else(|| error("the root visual is unknown"))?;
        if !matches!(bpp, 24 | 32) {
            return Err(error(format!("unsupported pixel size of {bpp} bits")));
        }
        let masks = [visual.red_mask, visual.green_mask, visual.blue_mask];
        let (width, height) = (screen.width_in_pixels, screen.height_in_pixels);
        let mut luma = GrayImage::new(u32::from(width), u32::from(height));
        let bytes = bpp / 8;
        for top in (0..height).step_by(usize::from(STRIP_ROWS)) {
            let rows = STRIP_ROWS.min(height - top);
            let strip = conn
                .get_image(
                    ImageFormat::Z_PIXMAP,
                    screen.root,
                    0,
                    top as i16,
                    width,
                    rows,
                    u32::MAX,
                )
                .map_err(error)?
                .reply()
                .map_err(error)?;
            let stride = strip.data.len() / usize::from(rows).max(1);
            for y in 0..usize::from(rows) {
                for x in 0..usize::from(width) {
                    let at = y * stride + x * bytes;
                    let Some(px) = strip.data.get(at..at + bytes) else {
                        return Err(error("the X server sent a short image"));
                    };
                    let value = px.iter().enumerate().fold(0u32, |v, (i, &b)| {
                        let shift = if lsb { i } else { bytes - 1 - i } * 8;
                        v | u32::from(b) << shift
                    });
                    let [r, g, b] = masks.map(|m| channel(value, m));
                    let grey = (299 * r + 587 * g + 114 * b) / 1000;
                    luma.put_pixel(
                        x as u32,
                        u32::from(top) + y as u32,
                        image::Luma([grey as u8]),
                    );
                }
            }
        }
        Ok(luma)
    }

    /// One colour channel scaled to 0..=255.
    fn channel(value: u32, mask: u32) -> u32 {
        if mask == 0 {
            return 0;
        }
        let max = mask >> mask.trailing_zeros();
        ((value & mask) >> mask.trailing_zeros()) * 255 / max
    }
}

/// Wayland: the XDG Screenshot portal saves a screenshot of every monitor
/// to a file, which is read and then deleted (it may show secrets).
mod portal {
    use std::time::Duration;

    use ::image::GrayImage;
    use ashpd::desktop::screenshot::Screenshot;

    use crate::error::ImportError;
    use crate::import::{file, image};

    fn error(what: impl std::fmt::Display) -> ImportError {
        ImportError::UnreadableFile(format!(
            "cannot capture the screen through the XDG desktop portal: {what}"
        ))
    }

    /// Seconds to wait for the portal's answer (`TESSERA_PORTAL_TIMEOUT`
    /// overrides, 1–600): a permission dialog nobody answers, or a portal
    /// that never replies, must not hang the scan.
    pub const DEFAULT_TIMEOUT_SECS: u64 = 30;

    fn timeout() -> Duration {
        let secs = std::env::var("TESSERA_PORTAL_TIMEOUT")
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .filter(|s| (1..=600).contains(s))
            .unwrap_or(DEFAULT_TIMEOUT_SECS);
        Duration::from_secs(secs)
    }

    pub fn capture() -> Result<Vec<GrayImage>, ImportError> {
        // The request runs on a thread of its own: if the portal never
        // answers, the caller gets an error at the timeout (the thread
        // ends with the answer, if one ever comes).
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name(String::from("tessera-portal"))
            .spawn(move || {
                let answer = ashpd::zbus::block_on(async {
                    let request = Screenshot::request()
                        .interactive(false)
                        .modal(false)
                        .send()
                        .await?;
                    request.response().map(|shot| shot.uri().clone())
                });
                let _ = tx.send(answer.map_err(|e| e.to_string()));
            })
            .map_err(error)?;
        let wait = timeout();
        let uri = match rx.recv_timeout(wait) {
            Ok(answer) => answer.map_err(error)?,
            Err(_) => {
                return Err(error(format!(
                    "the Screenshot portal did not answer within {} s (a permission \
                     dialog left open, or a portal that does not work in this session)",
                    wait.as_secs()
                )));
            }
        };
        let path = uri
            .to_file_path()
            .map_err(|()| error("the portal returned a non-file location"))?;
        let bytes = file::read_bounded(&path);
        let _ = std::fs::remove_file(&path);
        Ok(vec![image::into_luma(image::load_image(&bytes?)?)])
    }
}
