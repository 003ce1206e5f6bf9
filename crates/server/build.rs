//! Rebuilds the binary when the web app it embeds (`web/dist`, see `src/web.rs`) is built or rebuilt.
//!
//! rust-embed reads the folder at compile time, so without this a binary compiled before `npm run build` would
//! keep serving the "not built" page. While `web/dist` does not exist we watch `web/` itself (its modification
//! time changes when `dist` is created); once it exists, only `dist` is watched, so editing web sources or
//! reinstalling `node_modules` does not recompile the server.

use std::path::Path;

fn main() {
    let dist = Path::new("../../web/dist");
    if dist.exists() {
        println!("cargo:rerun-if-changed=../../web/dist");
    } else {
        println!("cargo:rerun-if-changed=../../web");
    }
}
