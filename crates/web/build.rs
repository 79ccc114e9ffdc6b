//! Embeds the OpenDyslexic font, installed from the npm registry into
//! `assets/node_modules` by `npm ci --prefix assets` (never committed).
//! Without it the build still succeeds and the dyslexia setting falls back
//! to the system font; `refnum serve` says so at start.

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("manifest dir"));
    let files = manifest.join("../../assets/node_modules/@fontsource/opendyslexic/files");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("out dir"));
    // Watch only paths that exist: cargo reruns a build script whose
    // watched path is missing on every build, which recompiled this crate
    // each time without the fonts. With the fonts, watch the two files;
    // without them, the lock file and the assets folder, whose contents
    // change when `npm ci --prefix assets` installs them.
    let wanted = [
        "opendyslexic-latin-400-normal.woff2",
        "opendyslexic-latin-700-normal.woff2",
    ];
    if wanted.iter().all(|n| files.join(n).exists()) {
        for n in wanted {
            println!("cargo:rerun-if-changed={}", files.join(n).display());
        }
    } else {
        println!(
            "cargo:rerun-if-changed={}",
            manifest.join("../../assets").display()
        );
    }
    println!(
        "cargo:rerun-if-changed={}",
        manifest.join("../../assets/package-lock.json").display()
    );
    println!("cargo:rerun-if-changed=build.rs");
    let mut code = String::from("pub static FONTS: &[(&str, &[u8])] = &[\n");
    for (weight, name) in [
        ("400", "opendyslexic-latin-400-normal.woff2"),
        ("700", "opendyslexic-latin-700-normal.woff2"),
    ] {
        let src = files.join(name);
        if src.exists() {
            let dest = out.join(format!("opendyslexic-{weight}.woff2"));
            std::fs::copy(&src, &dest).expect("copy font");
            code.push_str(&format!(
                "    (\"opendyslexic-{weight}.woff2\", include_bytes!({:?})),\n",
                dest.display().to_string()
            ));
        } else {
            println!(
                "cargo:warning=OpenDyslexic not found at {}; run `npm ci --prefix assets`",
                src.display()
            );
        }
    }
    code.push_str("];\n");
    std::fs::write(out.join("fonts.rs"), code).expect("write fonts.rs");
}
