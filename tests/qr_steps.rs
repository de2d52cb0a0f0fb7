//! What each step of the QR pipeline buys, over the fixture images (the
//! `qr/` folder of `TESSERA_FIXTURES`, like every test; scripts/bench-qr
//! --steps --fixtures DIR/qr sets `TESSERA_FIXTURES=DIR`):
//! for each step, the images that only it reads (the pipeline without it
//! loses them) and its time. A report, not a check: run it with
//! `cargo test --release --test qr_steps -- --ignored --nocapture`
//! (scripts/bench-qr --steps does).

mod common;

use std::time::Instant;

use tessera::import::qr::decode::{Step, decode_steps};

#[test]
#[ignore = "a report: run with --ignored --nocapture"]
fn step_report() {
    let Some(manifest) = common::fixture_file("qr", "manifest.json") else {
        return;
    };
    let dir = manifest.parent().unwrap().to_path_buf();
    let manifest = std::fs::read(&manifest).unwrap();
    let cases: serde_json::Value = serde_json::from_slice(&manifest).unwrap();
    let mut images = Vec::new();
    for case in cases.as_array().unwrap() {
        let file = case["file"].as_str().unwrap();
        let Ok(bytes) = std::fs::read(dir.join(file)) else {
            continue;
        };
        let Ok(image) = tessera::import::image::load_image(&bytes) else {
            continue;
        };
        let mut want: Vec<String> = case["payloads"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap().to_string())
            .collect();
        want.sort();
        images.push((
            file.to_string(),
            tessera::import::image::to_luma(&image),
            want,
        ));
    }
    let exact = |steps: &[Step]| -> Vec<&str> {
        images
            .iter()
            .filter(|(_, luma, want)| {
                let mut got = decode_steps(luma, steps).0;
                got.sort();
                got == *want
            })
            .map(|(file, ..)| file.as_str())
            .collect()
    };
    let all = exact(&Step::ALL);
    println!(
        "{} images, {} read exactly by the whole pipeline",
        images.len(),
        all.len()
    );
    println!(
        "{:10} {:>6} {:>11} {:>11}  only this step reads",
        "step", "alone", "mean ms", "max ms"
    );
    for step in Step::ALL {
        let without: Vec<Step> = Step::ALL.into_iter().filter(|s| *s != step).collect();
        let kept = exact(&without);
        let lost: Vec<&str> = all.iter().filter(|f| !kept.contains(f)).copied().collect();
        let alone = exact(&[step]).len();
        let mut times = Vec::new();
        for (_, luma, _) in &images {
            let t = Instant::now();
            let _ = decode_steps(luma, &[step]);
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        let mean = times.iter().sum::<f64>() / times.len().max(1) as f64;
        let max = times.iter().copied().fold(0.0, f64::max);
        println!(
            "{:10} {alone:>6} {mean:>11.1} {max:>11.1}  {} {lost:?}",
            step.name(),
            lost.len()
        );
    }
}
