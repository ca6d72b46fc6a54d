//! The dev server's Prometheus endpoint: fetching it and reading counters.

use anyhow::{Context, Result, bail};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The metrics text of the server whose metrics listen on `port`.
pub async fn scrape(port: u16) -> Result<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))
        .await
        .with_context(|| format!("connecting to the metrics port {port}"))?;
    stream
        .write_all(b"GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        .await?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await?;
    let response = String::from_utf8_lossy(&response);
    let Some((head, body)) = response.split_once("\r\n\r\n") else {
        bail!("metrics response without a body");
    };
    if !head.starts_with("HTTP/1.1 200") && !head.starts_with("HTTP/1.0 200") {
        bail!(
            "metrics endpoint answered {}",
            head.lines().next().unwrap_or("")
        );
    }
    Ok(body.to_string())
}

/// The sum of every series of counter `name` whose labels include all of
/// `labels`.
pub fn counter(text: &str, name: &str, labels: &[(&str, &str)]) -> f64 {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|line| {
            let (series, value) = line.rsplit_once(' ')?;
            let (metric, rest) = match series.split_once('{') {
                Some((m, rest)) => (m, rest.strip_suffix('}')?),
                None => (series, ""),
            };
            if metric != name {
                return None;
            }
            let matches = labels
                .iter()
                .all(|(k, v)| rest.split(',').any(|pair| pair == format!("{k}=\"{v}\"")));
            matches.then(|| value.parse::<f64>().ok()).flatten()
        })
        .sum()
}

/// How the server labels namespace `ns` (`-` becomes `_`).
pub fn namespace_label(ns: &str) -> String {
    ns.replace('-', "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"# HELP service_requests service_requests counter
# TYPE service_requests counter
service_requests{namespace="ns_a",operation="PollActivityTaskQueue",service_name="frontend"} 2
service_requests{namespace="ns_b",operation="GetWorkflowExecutionHistory",service_name="frontend"} 7
service_requests{namespace="ns_b",operation="GetWorkflowExecutionHistory",service_name="history"} 9
service_requests_total 3
"#;

    #[test]
    fn counters_match_every_label() {
        let ops = [
            ("operation", "GetWorkflowExecutionHistory"),
            ("service_name", "frontend"),
        ];
        assert_eq!(counter(TEXT, "service_requests", &ops), 7.0);
        assert_eq!(
            counter(
                TEXT,
                "service_requests",
                &[("operation", "GetWorkflowExecutionHistory")]
            ),
            16.0
        );
        assert_eq!(
            counter(TEXT, "service_requests", &[("namespace", "ns_c")]),
            0.0
        );
        assert_eq!(counter(TEXT, "service_requests_total", &[]), 3.0);
        assert_eq!(namespace_label("ns-b"), "ns_b");
    }
}
