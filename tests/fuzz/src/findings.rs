//! Writes what a run found where a person can replay it: per finding, the
//! request protoc would send, the generated protos when there are any, and
//! the command that replays it in-process.

use std::path::Path;

use crate::compile::Schema;
use crate::input::{self, Mode};
use crate::protogen::Protos;
use crate::supervisor::Report;

/// Example inputs written per finding.
const EXAMPLES: usize = 3;

pub fn save(
    report: &Report,
    seed: u64,
    mode: Mode,
    out: &Path,
    seeds: &[Vec<u8>],
    schema: &Schema,
) -> std::io::Result<()> {
    let dir = out.join("findings");
    let _ = std::fs::remove_dir_all(&dir);
    for finding in report.findings.values() {
        for &index in finding.indices.iter().take(EXAMPLES) {
            let case = dir.join(format!("{}-{index}", finding.kind));
            std::fs::create_dir_all(&case)?;
            let made = std::panic::catch_unwind(|| input::make(seed, index, mode, seeds, schema));
            if let Ok(Ok(input)) = made {
                std::fs::write(case.join("request.binpb"), &input.request)?;
                if let Some(protos) = &input.protos {
                    write_protos(protos, &case.join("protos"))?;
                }
            }
            std::fs::write(
                case.join("finding.txt"),
                format!(
                    "{}: {}\nreplay: cargo run -p fuzz --release -- repro --seed {seed} --mode {} --index {index}\n",
                    finding.kind,
                    finding.detail,
                    mode.name()
                ),
            )?;
        }
    }
    Ok(())
}

/// Writes generated protos under `dir` by their import names.
pub fn write_protos(protos: &Protos, dir: &Path) -> std::io::Result<()> {
    for (name, source) in &protos.files {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, source)?;
    }
    Ok(())
}
