//! The results table: printed as aligned text and written as Markdown.

use std::fmt::Write as _;

/// A goal a measured value must meet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Goal {
    /// The value must not exceed this.
    AtMost(f64),
    /// The value must reach at least this.
    AtLeast(f64),
}

impl Goal {
    /// Whether `value` meets the goal.
    pub fn met_by(self, value: f64) -> bool {
        match self {
            Goal::AtMost(limit) => value <= limit,
            Goal::AtLeast(floor) => value >= floor,
        }
    }

    fn describe(self) -> String {
        match self {
            Goal::AtMost(limit) => format!("<= {}", number(limit)),
            Goal::AtLeast(floor) => format!(">= {}", number(floor)),
        }
    }
}

/// One line of the table: what we measured, the reference measured in the
/// same run, and the compared value (a ratio or a count) with its goal.
#[derive(Debug, Clone)]
pub struct Row {
    /// Benchmark section (`codegen`, `latency`, ...).
    pub section: &'static str,
    /// What is measured.
    pub measure: String,
    /// Our side.
    pub ours: String,
    /// The reference, measured in the same run ("-" when there is none).
    pub reference: String,
    /// The compared value: ours over the reference, or a count.
    pub value: Option<f64>,
    /// The goal `value` must meet, if any.
    pub goal: Option<Goal>,
}

impl Row {
    /// A row with nothing compared.
    pub fn info(
        section: &'static str,
        measure: impl Into<String>,
        ours: impl Into<String>,
    ) -> Self {
        Self {
            section,
            measure: measure.into(),
            ours: ours.into(),
            reference: "-".to_string(),
            value: None,
            goal: None,
        }
    }

    /// A row comparing `ours` with `reference` through `value`.
    pub fn compared(
        section: &'static str,
        measure: impl Into<String>,
        ours: impl Into<String>,
        reference: impl Into<String>,
        value: f64,
    ) -> Self {
        Self {
            section,
            measure: measure.into(),
            ours: ours.into(),
            reference: reference.into(),
            value: Some(value),
            goal: None,
        }
    }

    /// The same row with a goal for its value.
    pub fn goal(mut self, goal: Goal) -> Self {
        self.goal = Some(goal);
        self
    }

    /// `met`, `MISSED` or empty when there is no goal.
    pub fn verdict(&self) -> &'static str {
        match (self.goal, self.value) {
            (Some(goal), Some(value)) if goal.met_by(value) => "met",
            (Some(_), _) => "MISSED",
            (None, _) => "",
        }
    }

    fn cells(&self) -> [String; 7] {
        [
            self.section.to_string(),
            self.measure.clone(),
            self.ours.clone(),
            self.reference.clone(),
            self.value.map(number).unwrap_or_else(|| "-".to_string()),
            self.goal
                .map(Goal::describe)
                .unwrap_or_else(|| "-".to_string()),
            self.verdict().to_string(),
        ]
    }
}

const HEADERS: [&str; 7] = [
    "section",
    "measure",
    "ours",
    "reference",
    "ratio/value",
    "goal",
    "result",
];

/// Every row and note of one benchmark run.
#[derive(Debug, Default)]
pub struct Report {
    rows: Vec<Row>,
    notes: Vec<String>,
}

impl Report {
    /// Adds a row and prints it at once, so a long run shows progress.
    pub fn push(&mut self, row: Row) {
        println!(
            "  {} | {}: {} (reference {}) {} {}",
            row.section,
            row.measure,
            row.ours,
            row.reference,
            row.value.map(number).unwrap_or_default(),
            row.verdict()
        );
        self.rows.push(row);
    }

    /// Adds an explanation under the table (a miss and its profile, a
    /// caveat), printing it at once.
    pub fn note(&mut self, note: impl Into<String>) {
        let note = note.into();
        println!("  note: {note}");
        self.notes.push(note);
    }

    /// The rows so far.
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// Rows whose goal was missed.
    pub fn misses(&self) -> impl Iterator<Item = &Row> {
        self.rows.iter().filter(|r| r.verdict() == "MISSED")
    }

    /// The table as aligned plain text.
    pub fn to_text(&self) -> String {
        let cells: Vec<[String; 7]> = self.rows.iter().map(Row::cells).collect();
        let mut widths = HEADERS.map(str::len);
        for row in &cells {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let mut out = String::new();
        let line = |out: &mut String, cells: &[String]| {
            let padded: Vec<String> = cells
                .iter()
                .zip(widths)
                .map(|(c, w)| format!("{c:<w$}"))
                .collect();
            let _ = writeln!(out, "{}", padded.join("  ").trim_end());
        };
        line(&mut out, &HEADERS.map(str::to_string));
        line(&mut out, &widths.map(|w| "-".repeat(w)));
        for row in &cells {
            line(&mut out, row);
        }
        out
    }

    /// The table and the notes as Markdown, under `title` and `preamble`.
    pub fn to_markdown(&self, title: &str, preamble: &[String]) -> String {
        let mut out = format!("# {title}\n\n");
        for line in preamble {
            let _ = writeln!(out, "- {line}");
        }
        if !preamble.is_empty() {
            out.push('\n');
        }
        let _ = writeln!(out, "| {} |", HEADERS.join(" | "));
        let _ = writeln!(out, "|{}", "---|".repeat(HEADERS.len()));
        for row in &self.rows {
            let cells = row.cells().map(|c| markdown_cell(&c));
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
        if !self.notes.is_empty() {
            out.push_str("\n## Notes\n\n");
            for note in &self.notes {
                let _ = writeln!(out, "- {note}");
            }
        }
        out
    }
}

fn markdown_cell(cell: &str) -> String {
    cell.replace('|', "\\|")
}

/// A number with at most three significant decimals.
pub fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else if value.abs() >= 100.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.3}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_follow_goals() {
        let row = Row::compared("latency", "m", "1", "2", 0.5);
        assert_eq!(row.verdict(), "");
        assert_eq!(row.clone().goal(Goal::AtMost(1.5)).verdict(), "met");
        assert_eq!(row.clone().goal(Goal::AtLeast(0.7)).verdict(), "MISSED");
        assert_eq!(
            Row::info("idle", "m", "x")
                .goal(Goal::AtMost(1.0))
                .verdict(),
            "MISSED"
        );
    }

    #[test]
    fn markdown_has_every_row_and_note() {
        let mut report = Report::default();
        report.push(Row::compared("codegen", "a|b", "3 ms", "4 ms", 0.75).goal(Goal::AtMost(1.0)));
        report.push(Row::info("codegen", "share", "40%"));
        report.note("a note");
        let md = report.to_markdown("Benchmarks", &["run: quick".to_string()]);
        assert!(md.starts_with("# Benchmarks\n\n- run: quick\n\n| section |"));
        assert!(md.contains("| codegen | a\\|b | 3 ms | 4 ms | 0.75 | <= 1 | met |"));
        assert!(md.contains("| codegen | share | 40% | - | - | - |  |"));
        assert!(md.ends_with("## Notes\n\n- a note\n"));
        assert_eq!(report.misses().count(), 0);
        let text = report.to_text();
        assert_eq!(text.lines().count(), 4);
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(number(2.0), "2");
        assert_eq!(number(0.5), "0.5");
        assert_eq!(number(1.23456), "1.235");
        assert_eq!(number(1234.56), "1234.6");
    }
}
