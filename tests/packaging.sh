#!/usr/bin/env bash
# Validates the desktop integration files and builds the Debian package, then
# unpacks it and runs the packaged binary (run by scripts/test).
set -euo pipefail
cd "$(dirname "$0")/.."
id=io.github.tessera.Tessera

desktop-file-validate "packaging/linux/$id.desktop"
appstreamcli validate --no-net "packaging/linux/$id.metainfo.xml"
# One app id everywhere: desktop file, metainfo, icons, the code.
grep -q "^Icon=$id$" "packaging/linux/$id.desktop"
grep -q "^StartupWMClass=$id$" "packaging/linux/$id.desktop"
# Debian 12's desktop-file-validate refuses the unprefixed SingleMainWindow key.
grep -q "^X-SingleMainWindow=true$" "packaging/linux/$id.desktop"
# Setup links open in Tessera: the URL is passed, both schemes are claimed.
grep -q "^Exec=tessera %u$" "packaging/linux/$id.desktop"
grep -q "^MimeType=.*x-scheme-handler/otpauth;" "packaging/linux/$id.desktop"
grep -q "^MimeType=.*x-scheme-handler/otpauth-migration;" "packaging/linux/$id.desktop"
grep -q "<id>$id</id>" "packaging/linux/$id.metainfo.xml"
grep -q "APP_ID: &str = \"$id\"" src/paths.rs
for s in 16 24 32 48 64 128 256 512; do
  f="assets/icons/hicolor/${s}x${s}/apps/$id.png"
  [[ "$(identify -format '%wx%h' "$f")" == "${s}x${s}" ]] || { echo "bad icon $f"; exit 1; }
done

command -v cargo-deb >/dev/null || cargo install --locked cargo-deb
cargo deb --no-build --output target/debian/tessera.deb
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg-deb -x target/debian/tessera.deb "$tmp"
dpkg-deb -I target/debian/tessera.deb | sed -n '/Package:/,/Description:/p'
for f in usr/bin/tessera "usr/share/applications/$id.desktop" "usr/share/metainfo/$id.metainfo.xml" \
         "usr/share/icons/hicolor/256x256/apps/$id.png" "usr/share/icons/hicolor/scalable/apps/$id.svg" \
         usr/share/doc/tessera/THIRD-PARTY.md usr/share/doc/tessera/FiraSans-OFL.txt usr/share/doc/tessera/NotoSansCJK-OFL.txt \
         usr/share/bash-completion/completions/tessera usr/share/zsh/vendor-completions/_tessera \
         usr/share/fish/vendor_completions.d/tessera.fish; do
  [[ -e "$tmp/$f" ]] || { echo "missing in the package: $f"; exit 1; }
done
# cargo-deb may gzip the man page.
[[ -e "$tmp/usr/share/man/man1/tessera.1" || -e "$tmp/usr/share/man/man1/tessera.1.gz" ]] ||
  { echo "missing in the package: usr/share/man/man1/tessera.1"; exit 1; }
# Libraries opened with dlopen() (winit: X11, Wayland; rfd: libdbus) and the
# glibc that DT_RELR (scripts/build-dist) needs.
depends=$(dpkg-deb -f target/debian/tessera.deb Depends)
for d in libwayland-client0 libdbus-1-3 libxkbcommon-x11-0 "libc6 (>= 2.36)"; do
  [[ "$depends" == *"$d"* ]] || { echo "Depends lacks $d: $depends"; exit 1; }
done
# The packaged completions and man page are what this binary generates.
cmp <("$tmp/usr/bin/tessera" completions bash) "$tmp/usr/share/bash-completion/completions/tessera"
version=$("$tmp/usr/bin/tessera" --version)
echo "packaged binary: $version"
[[ "$version" == "tessera $(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)" ]]
echo "packaging: ok"
