//! Tessera's GUI-free core: accounts, one-time codes, otpauth and Google
//! export parsing, QR decoding. Time is always a parameter (`unix_time`);
//! only the front ends (`cli`, `gui`) read the clock.

pub mod account;
pub mod dates;
pub mod error;
pub mod export;
pub mod fs;
pub mod hardening;
pub mod import;
pub mod migration;
pub mod otp;
pub mod paths;
pub mod secret;
pub mod session;
pub mod settings;
pub mod uri;
pub mod vault;

pub use account::{Account, Algorithm, Digits, OtpKind, Period};
pub use error::{ErrorCode, ImportError};
pub use secret::Secret;

#[cfg(feature = "gui")]
pub mod gui;

pub use paths::APP_ID;
