//! Power loss, the POSIX worst case (issue 11, "Beyond kill -9"): a
//! recording layer under the store ([`Disk`]) logs each save's operations;
//! every prefix is replayed from the last folder fsync, dropping what was
//! not synced (folder entries after the last folder fsync, the data of a
//! file written but not yet fsynced). After every cut point the vault must
//! open with the old or the new content.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::sync::{Arc, Mutex};

use super::disk::{Disk, RealDisk};
use super::*;
use crate::account::Account;
use crate::secret::Secret;

#[derive(Debug, Clone)]
enum Op {
    Write(String, Vec<u8>),
    Link(String, String),
    Rename(String, String),
    SyncDir,
    Remove(String),
}

/// Does every operation for real and logs it.
#[derive(Debug, Default)]
struct Recorder {
    ops: Mutex<Vec<Op>>,
}

fn name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

impl Recorder {
    fn log(&self, op: Op) {
        self.ops.lock().unwrap().push(op);
    }

    fn take(&self) -> Vec<Op> {
        std::mem::take(&mut *self.ops.lock().unwrap())
    }
}

impl Disk for Recorder {
    fn write_new_synced(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        self.log(Op::Write(name(path), bytes.to_vec()));
        RealDisk.write_new_synced(path, bytes)
    }
    fn hard_link(&self, from: &Path, to: &Path) -> io::Result<()> {
        self.log(Op::Link(name(from), name(to)));
        RealDisk.hard_link(from, to)
    }
    fn copy_synced(&self, from: &Path, to: &Path) -> io::Result<()> {
        self.log(Op::Link(name(from), name(to)));
        RealDisk.copy_synced(from, to)
    }
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        self.log(Op::Rename(name(from), name(to)));
        RealDisk.rename(from, to)
    }
    fn sync_dir(&self, dir: &Path) -> io::Result<()> {
        self.log(Op::SyncDir);
        RealDisk.sync_dir(dir)
    }
    fn remove(&self, path: &Path) -> io::Result<()> {
        self.log(Op::Remove(name(path)));
        RealDisk.remove(path)
    }
}

type Folder = BTreeMap<String, Vec<u8>>;

fn apply(folder: &mut Folder, op: &Op) {
    match op {
        Op::Write(n, bytes) => {
            folder.insert(n.clone(), bytes.clone());
        }
        Op::Link(a, b) => {
            if let Some(v) = folder.get(a).cloned() {
                folder.insert(b.clone(), v);
            }
        }
        Op::Rename(a, b) => {
            if let Some(v) = folder.remove(a) {
                folder.insert(b.clone(), v);
            }
        }
        Op::SyncDir => {}
        Op::Remove(n) => {
            folder.remove(n);
        }
    }
}

/// Every folder a power cut during `ops` (started from `before`) can leave.
fn crash_states(before: &Folder, ops: &[Op]) -> Vec<Folder> {
    let mut states = Vec::new();
    for cut in 0..=ops.len() {
        let synced = ops[..cut]
            .iter()
            .rposition(|op| matches!(op, Op::SyncDir))
            .map_or(0, |i| i + 1);
        let mut base = before.clone();
        for op in &ops[..synced] {
            apply(&mut base, op);
        }
        // Entries not yet synced may or may not have reached the disk (in
        // order); a written file whose fsync had not returned is empty.
        let mut state = base;
        states.push(state.clone());
        for op in &ops[synced..cut] {
            apply(&mut state, op);
            states.push(state.clone());
            if let Op::Write(n, _) = op {
                let mut torn = state.clone();
                torn.insert(n.clone(), Vec::new());
                states.push(torn);
            }
        }
    }
    states
}

fn snapshot(dir: &Path) -> Folder {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (name(&e.path()), fs::read(e.path()).unwrap())
        })
        .collect()
}

/// What a folder's vault opens to with `password`, if it does.
fn opens(state: &Folder, password: &str) -> Option<Vec<Entry>> {
    let dir = tempfile::tempdir().unwrap();
    for (n, bytes) in state {
        fs::write(dir.path().join(n), bytes).unwrap();
    }
    Vault::open(&dir.path().join("v.tessera"), Unlock::Password(password))
        .ok()
        .map(|v| v.entries().to_vec())
}

#[test]
fn every_power_cut_leaves_the_old_or_the_new_vault() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.tessera");
    let (mut vault, _) = Vault::create(
        &path,
        NewVault {
            keyring: None,
            password: Some("first password"),
            recovery: true,
            policy: KdfPolicy::TEST,
        },
    )
    .unwrap();
    let recorder = Arc::new(Recorder::default());
    vault.files.disk = recorder.clone();
    let mut password = String::from("first password");
    let mut cut_points = 0;
    let mut states_checked = 0;
    for step in 0..12u8 {
        let before = snapshot(dir.path());
        let old = vault.entries().to_vec();
        let old_password = password.clone();
        if step == 6 {
            password = String::from("second password");
            vault
                .change_password(&password, None, KdfPolicy::TEST)
                .unwrap();
        } else {
            let secret = Secret::from_bytes(vec![step + 1; 20]).unwrap();
            vault
                .add(vec![Account::totp(None, format!("a{step}"), secret)], 1)
                .unwrap();
        }
        let new = vault.entries().to_vec();
        let ops = recorder.take();
        cut_points += ops.len() + 1;
        for state in crash_states(&before, &ops) {
            states_checked += 1;
            let got = opens(&state, &old_password)
                .filter(|e| *e == old)
                .or_else(|| opens(&state, &password).filter(|e| *e == new));
            assert!(
                got.is_some(),
                "step {step}: a cut left neither the old nor the new vault: {:?}",
                state.keys().collect::<Vec<_>>()
            );
        }
    }
    eprintln!("power cut: {cut_points} cut points, {states_checked} crash states, 0 lost");
    assert!(cut_points >= 60, "{cut_points}");
}
