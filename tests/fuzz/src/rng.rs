//! A small deterministic random source (SplitMix64): every input is a pure
//! function of the run's seed and its index, so any finding can be replayed
//! from those two numbers.

/// SplitMix64, with a hostility switch: a hostile draw mixes in values
/// meant to be rejected; a friendly one aims at protos that generate.
#[derive(Debug, Clone)]
pub struct Rng {
    state: u64,
    hostile: bool,
}

impl Rng {
    /// The source for input `index` of a run seeded with `seed`.
    pub fn for_input(seed: u64, index: u64) -> Self {
        let mut rng = Rng {
            state: seed ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15),
            hostile: true,
        };
        rng.next_u64();
        rng
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u32) -> bool {
        self.below(100) < percent as usize
    }

    /// Makes the following draws hostile or friendly.
    pub fn set_hostile(&mut self, hostile: bool) {
        self.hostile = hostile;
    }

    /// True with probability `percent`/100 when hostile; never when
    /// friendly.
    pub fn bad(&mut self, percent: u32) -> bool {
        self.hostile && self.chance(percent)
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_and_index_give_the_same_stream() {
        let a: Vec<u64> = {
            let mut r = Rng::for_input(7, 3);
            (0..4).map(|_| r.next_u64()).collect()
        };
        let b: Vec<u64> = {
            let mut r = Rng::for_input(7, 3);
            (0..4).map(|_| r.next_u64()).collect()
        };
        let c: Vec<u64> = {
            let mut r = Rng::for_input(7, 4);
            (0..4).map(|_| r.next_u64()).collect()
        };
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn below_stays_in_range() {
        let mut r = Rng::for_input(1, 1);
        assert!((0..1000).all(|_| r.below(3) < 3));
        assert!((0..1000).all(|_| (2..=5).contains(&r.range(2, 5))));
    }
}
