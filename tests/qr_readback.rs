//! A second, independent decoder (rqrr, not the rxing that Tessera scans
//! with) reads back every QR code Tessera draws, so its exports stay
//! readable by other decoders: each `migration-qr` PNG and each code of the
//! HTML export (the app's account QR: `src/gui/unlocked/account.rs`).
//!
//! `rqrr_as_a_last_fallback` (ignored, a report) measures whether rqrr,
//! tried after the whole scan pipeline, reads any code of the fixture
//! corpus that the pipeline misses:
//! `cargo test --release --test qr_readback -- --ignored --nocapture`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use image::GrayImage;
use tessera::account::Account;
use tessera::export::{self, ExportFormat};
use tessera::{migration, uri};

/// Accounts with what a QR code must carry intact: non-ASCII and reserved
/// characters, every algorithm, HOTP, 8 digits, a 60 s period.
fn accounts() -> Vec<Account> {
    [
        "otpauth://totp/ACME%20Co:me%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=ACME%20Co",
        "otpauth://totp/%E4%BA%AC%E4%B8%9C%E4%BA%91:ops%2B1%40example.cn?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=SHA256&digits=8&period=60",
        "otpauth://hotp/Bank%3A%20Europe%20%26%20%3CCo%3E:alice?secret=KUVJJOM753IHTNDSZVCNKL7GII&algorithm=SHA512&counter=10300",
        "otpauth://totp/solo?secret=MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LK",
    ]
    .iter()
    .map(|link| uri::parse(link).unwrap())
    .collect()
}

/// Every payload rqrr reads in `luma`.
fn rqrr_payloads(luma: &GrayImage) -> Vec<String> {
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(
        luma.width() as usize,
        luma.height() as usize,
        |x, y| luma.get_pixel(x as u32, y as u32).0[0],
    );
    prepared
        .detect_grids()
        .iter()
        .filter_map(|grid| grid.decode().ok().map(|(_, text)| text))
        .collect()
}

#[test]
fn every_migration_qr_png_reads_back_with_rqrr() {
    // 23 accounts the format carries: three PNGs (10, 10, 3).
    let carried: Vec<Account> = accounts()
        .into_iter()
        .filter(|a| migration::check_encodable(a).is_ok())
        .collect();
    let many: Vec<Account> = (0..23)
        .map(|i| {
            let mut a = carried[i % carried.len()].clone();
            a.name = format!("user{i}@example.com");
            a
        })
        .collect();
    let exported = export::export(&many, ExportFormat::MigrationQr, None).unwrap();
    assert_eq!(exported.files.len(), 3);
    let mut read = Vec::new();
    for file in &exported.files {
        let luma = image::load_from_memory(&file.bytes).unwrap().to_luma8();
        let payloads = rqrr_payloads(&luma);
        assert_eq!(payloads.len(), 1, "{}: one code", file.name);
        let batch = migration::parse(&payloads[0]).unwrap();
        read.extend(batch.entries.into_iter().map(Result::unwrap));
    }
    let links = |list: &[Account]| list.iter().map(uri::format).collect::<Vec<_>>();
    assert_eq!(links(&read), links(&many));
}

/// The codes of the HTML page, drawn as its SVGs say: each dark module
/// (`M x y h1v1h-1z`) a `scale`-pixel square on white.
fn html_codes(page: &str, scale: u32) -> Vec<GrayImage> {
    page.split("<svg ")
        .skip(1)
        .map(|svg| {
            let side: u32 = svg
                .split("viewBox=\"0 0 ")
                .nth(1)
                .and_then(|v| v.split(' ').next())
                .unwrap()
                .parse()
                .unwrap();
            let path = svg.split(" d=\"").nth(1).unwrap();
            let path = &path[..path.find('"').unwrap()];
            let mut luma = GrayImage::from_pixel(side * scale, side * scale, image::Luma([255]));
            for module in path.split('M').filter(|m| !m.is_empty()) {
                let module = module.strip_suffix("h1v1h-1z").unwrap();
                let (x, y) = module.split_once(' ').unwrap();
                let (x, y): (u32, u32) = (x.parse().unwrap(), y.parse().unwrap());
                for dy in 0..scale {
                    for dx in 0..scale {
                        luma.put_pixel(x * scale + dx, y * scale + dy, image::Luma([0]));
                    }
                }
            }
            luma
        })
        .collect()
}

#[test]
fn every_code_of_the_html_export_reads_back_with_rqrr() {
    let accounts = accounts();
    let exported = export::export_at(&accounts, ExportFormat::Html, None, 0).unwrap();
    let page = String::from_utf8(exported.files[0].bytes.to_vec()).unwrap();
    let codes = html_codes(&page, 4);
    assert_eq!(codes.len(), accounts.len());
    for (luma, account) in codes.iter().zip(&accounts) {
        assert_eq!(rqrr_payloads(luma), [uri::format(account)]);
    }
}

#[test]
#[ignore = "a report: run with --ignored --nocapture"]
fn rqrr_as_a_last_fallback() {
    let Some(dir) = std::env::var_os("TESSERA_QR_FIXTURES")
        .map(PathBuf::from)
        .or_else(common::qr_fixtures)
    else {
        return;
    };
    let cases: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let (mut images, mut wanted, mut by_pipeline, mut only_rqrr, mut rqrr_total) = (0, 0, 0, 0, 0);
    for case in cases.as_array().unwrap() {
        let file = case["file"].as_str().unwrap();
        let want: BTreeSet<String> = case["payloads"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap().to_string())
            .collect();
        let Ok(bytes) = std::fs::read(dir.join(file)) else {
            continue;
        };
        let Ok(image) = tessera::import::image::load_image(&bytes) else {
            continue;
        };
        images += 1;
        let luma = tessera::import::image::into_luma(image);
        let pipeline: BTreeSet<String> = tessera::import::qr::decode_luma(&luma)
            .into_iter()
            .collect();
        // rqrr on the image and on its negative (dark mode), as a last step would.
        let mut negative = luma.clone();
        image::imageops::invert(&mut negative);
        let second: BTreeSet<String> = rqrr_payloads(&luma)
            .into_iter()
            .chain(rqrr_payloads(&negative))
            .collect();
        wanted += want.len();
        by_pipeline += want.intersection(&pipeline).count();
        rqrr_total += want.intersection(&second).count();
        let missed: Vec<&String> = want
            .iter()
            .filter(|p| second.contains(*p) && !pipeline.contains(*p))
            .collect();
        only_rqrr += missed.len();
        if !missed.is_empty() {
            eprintln!(
                "{file}: rqrr reads {} code(s) the pipeline misses",
                missed.len()
            );
        }
        let wrong = second.difference(&want).count();
        if wrong > 0 {
            eprintln!("{file}: rqrr reads {wrong} payload(s) the manifest does not list");
        }
    }
    println!(
        "{images} images, {wanted} codes: the pipeline reads {by_pipeline}, rqrr alone {rqrr_total}, \
         rqrr but not the pipeline {only_rqrr}"
    );
}
