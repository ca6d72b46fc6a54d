//! buf for the build scripts of the test crates (`tests`, `tests/go-peer`,
//! `tests/pipelines`), which include this file with `#[path]`: finding the
//! binary, and building a descriptor set from proto roots that live
//! anywhere (the Go module cache, say), as protoc 3.21 cannot for editions
//! files.

use std::path::{Path, PathBuf};
use std::process::Command;

/// `BUF`, else `.tools/node_modules/.bin/buf` under the workspace `root`
/// (scripts/setup.sh installs it there from npm), else `buf` on `PATH`.
pub fn find(root: &Path) -> PathBuf {
    if let Some(buf) = std::env::var_os("BUF") {
        return buf.into();
    }
    let local = root.join(".tools/node_modules/.bin/buf");
    if local.is_file() {
        return local;
    }
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|dir| dir.join("buf"))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| PathBuf::from("buf"))
}

/// The encoded `FileDescriptorSet` (imports and source info included) of
/// every file under `modules`, each a `(name, directory)`: `buf build` on
/// a workspace made in `workspace` of links named after the modules. The
/// set is also written to `set_path`.
pub fn build_set(
    buf: &Path,
    workspace: &Path,
    modules: &[(&str, &Path)],
    set_path: &Path,
) -> Result<Vec<u8>, String> {
    let io = |what: &str, e: std::io::Error| format!("{what}: {e}");
    let _ = std::fs::remove_dir_all(workspace);
    std::fs::create_dir_all(workspace).map_err(|e| io("creating the buf workspace", e))?;
    let mut yaml = String::from("version: v2\nmodules:\n");
    for (name, dir) in modules {
        std::os::unix::fs::symlink(dir, workspace.join(name))
            .map_err(|e| io("linking into the buf workspace", e))?;
        yaml.push_str(&format!("  - path: {name}\n"));
    }
    std::fs::write(workspace.join("buf.yaml"), yaml).map_err(|e| io("writing buf.yaml", e))?;
    let output = Command::new(buf)
        .arg("build")
        .arg(workspace)
        .arg("-o")
        .arg(set_path)
        .output()
        .map_err(|e| format!("cannot run {} ({e}): run scripts/setup.sh", buf.display()))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!(
            "buf: {}",
            stderr.lines().next().unwrap_or("failed")
        ));
    }
    std::fs::read(set_path).map_err(|e| io("reading buf's descriptor set", e))
}
