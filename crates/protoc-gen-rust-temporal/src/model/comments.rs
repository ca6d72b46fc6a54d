//! Proto comments of services and methods, for rustdoc.

use prost_reflect::FileDescriptor;

/// Leading comment (or trailing if there is no leading one) at `path`,
/// trimmed of the single space protoc keeps after `//`, with line ends
/// normalised to `\n`: protoc keeps a `\r` that is not followed by `\n`
/// in comment text, and one in a doc comment does not compile.
pub fn at(file: &FileDescriptor, path: &[i32]) -> Option<String> {
    let info = file.file_descriptor_proto().source_code_info.as_ref()?;
    let location = info.location.iter().find(|l| l.path == path)?;
    let raw = location
        .leading_comments
        .as_deref()
        .filter(|c| !c.trim().is_empty())
        .or(location.trailing_comments.as_deref())?;
    let raw = raw.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = raw
        .trim_end()
        .lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l).trim_end())
        .collect();
    let text = lines.join("\n");
    (!text.trim().is_empty()).then_some(text)
}
