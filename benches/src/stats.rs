//! Order statistics of samples.

use std::time::Duration;

/// The `q`-quantile (0..=1) of `samples` by the nearest-rank method; `None`
/// when there are none.
pub fn quantile<T: Copy + Ord>(samples: &[T], q: f64) -> Option<T> {
    if samples.is_empty() {
        return None;
    }
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    let rank = (q.clamp(0.0, 1.0) * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}

/// The median of `samples` (the lower one for an even count).
pub fn median<T: Copy + Ord>(samples: &[T]) -> Option<T> {
    quantile(samples, 0.5)
}

/// Takes `N` measurements `runs` times each, round by round so that drift
/// in the machine's load hits them alike, after one untimed round (warm
/// caches); returns each one's median. `measure(i)` takes measurement `i`.
pub fn interleaved_medians<const N: usize>(
    runs: usize,
    mut measure: impl FnMut(usize) -> anyhow::Result<Duration>,
) -> anyhow::Result<[Duration; N]> {
    let mut samples: [Vec<Duration>; N] = std::array::from_fn(|_| Vec::with_capacity(runs));
    for round in 0..=runs {
        for (i, taken) in samples.iter_mut().enumerate() {
            let elapsed = measure(i)?;
            if round > 0 {
                taken.push(elapsed);
            }
        }
    }
    Ok(samples.map(|taken| median(&taken).unwrap_or_default()))
}

/// `a` over `b` (`b` of zero counts as a nanosecond).
pub fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-9)
}

/// Milliseconds with two decimals, for tables.
pub fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_quantiles() {
        let samples: Vec<u32> = (1..=20).rev().collect();
        assert_eq!(median(&samples), Some(10));
        assert_eq!(quantile(&samples, 0.95), Some(19));
        assert_eq!(quantile(&samples, 1.0), Some(20));
        assert_eq!(quantile(&samples, 0.0), Some(1));
        assert_eq!(median(&[7u32]), Some(7));
        assert_eq!(median::<u32>(&[]), None);
    }

    #[test]
    fn interleaved_rounds_skip_the_warm_up() {
        let mut order = Vec::new();
        let medians = interleaved_medians::<2>(3, |i| {
            order.push(i);
            Ok(Duration::from_millis(if order.len() <= 2 {
                1000
            } else {
                10 * (i as u64 + 1)
            }))
        })
        .unwrap();
        assert_eq!(order, [0, 1, 0, 1, 0, 1, 0, 1]);
        assert_eq!(
            medians,
            [Duration::from_millis(10), Duration::from_millis(20)]
        );
    }
}
