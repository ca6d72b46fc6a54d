//! The generated-ID functions `uuid_v4()`, `nanoid()` and `ksuid()`,
//! drawing randomness and time from an [`IdEnv`].

use super::{IdEnv, time};

/// The alphabet of go-nanoid (Bloblang's `nanoid()`): URL-safe, 64 symbols.
const NANOID_ALPHABET: &[u8; 64] =
    b"_-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
/// Length of a default nanoid.
const NANOID_LEN: usize = 21;

/// The base62 alphabet of segmentio/ksuid.
const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/// KSUID timestamps count seconds from 2014-05-13T16:53:20Z.
const KSUID_EPOCH: i64 = 1_400_000_000;
/// Length of an encoded KSUID.
const KSUID_LEN: usize = 27;

/// 128 random bits from the environment.
fn random_u128(env: &dyn IdEnv) -> u128 {
    (u128::from(env.random_u64()) << 64) | u128::from(env.random_u64())
}

/// A 21-character nanoid: 6 random bits per symbol of a 64-symbol alphabet,
/// so no symbol is favoured.
pub(crate) fn nanoid(env: &dyn IdEnv) -> String {
    let mut bits = random_u128(env);
    let mut out = String::with_capacity(NANOID_LEN);
    for _ in 0..NANOID_LEN {
        out.push(char::from(NANOID_ALPHABET[(bits & 63) as usize]));
        bits >>= 6;
    }
    out
}

/// A KSUID: 4 bytes of big-endian seconds since the KSUID epoch followed by
/// 16 random bytes, in 27 characters of base62.
///
/// A time the 4 bytes cannot hold (before 2014-05-13T16:53:20Z or after
/// 2150-06-19T23:21:35Z) is an error: segmentio/ksuid truncates it
/// (`uint32(t.Unix() - epochStamp)`), so its timestamp and sort order would
/// be wrong.
pub(crate) fn ksuid(env: &dyn IdEnv) -> Result<String, String> {
    let (unix, _) = time::unix_time(env.now());
    let timestamp = u32::try_from(unix - i128::from(KSUID_EPOCH)).map_err(|_| {
        format!(
            "ksuid(): time (seconds: {unix} since the Unix epoch) is outside the KSUID range \
             (2014-05-13T16:53:20Z to 2150-06-19T23:21:35Z)"
        )
    })?;
    let mut raw = [0u8; 20];
    raw[..4].copy_from_slice(&timestamp.to_be_bytes());
    raw[4..].copy_from_slice(&random_u128(env).to_be_bytes());
    Ok(encode_ksuid(&raw))
}

/// Base62 of a 20-byte KSUID, left-padded with `0` to 27 characters.
fn encode_ksuid(raw: &[u8; 20]) -> String {
    let mut limbs = [0u32; 5];
    for (limb, chunk) in limbs.iter_mut().zip(raw.chunks_exact(4)) {
        *limb = u32::from_be_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
    }
    let mut digits = Vec::with_capacity(KSUID_LEN);
    while limbs.iter().any(|l| *l != 0) {
        let mut rem = 0u64;
        for limb in &mut limbs {
            let acc = (rem << 32) | u64::from(*limb);
            *limb = (acc / 62) as u32;
            rem = acc % 62;
        }
        digits.push(BASE62[rem as usize]);
    }
    digits.resize(KSUID_LEN.max(digits.len()), b'0');
    digits.iter().rev().map(|d| char::from(*d)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;
    use std::time::{Duration, SystemTime, UNIX_EPOCH};

    struct FixedEnv {
        next: Cell<u64>,
        now: SystemTime,
    }

    impl IdEnv for FixedEnv {
        fn random_u64(&self) -> u64 {
            let v = self.next.get();
            self.next.set(v.wrapping_add(0x9E37_79B9_7F4A_7C15));
            v
        }
        fn now(&self) -> SystemTime {
            self.now
        }
    }

    fn env() -> FixedEnv {
        FixedEnv {
            next: Cell::new(0x0123_4567_89AB_CDEF),
            now: UNIX_EPOCH + Duration::from_secs(1_507_608_047),
        }
    }

    #[test]
    fn ksuid_encoding_matches_segmentio() {
        // The example from segmentio/ksuid's README.
        let raw: [u8; 20] = [
            0x06, 0x69, 0xF7, 0xEF, 0xB5, 0xA1, 0xCD, 0x34, 0xB5, 0xF9, 0x9D, 0x11, 0x54, 0xFB,
            0x68, 0x53, 0x34, 0x5C, 0x97, 0x35,
        ];
        assert_eq!(encode_ksuid(&raw), "0ujtsYcgvSTl8PAuAdqWYSMnLOv");
        assert_eq!(encode_ksuid(&[0; 20]), "000000000000000000000000000");
        assert_eq!(encode_ksuid(&[0xFF; 20]), "aWgEPTl1tmebfsQzFP4bxwgy80V");
    }

    #[test]
    fn ksuid_uses_env_time_and_randomness() {
        let id = ksuid(&env()).unwrap();
        assert_eq!(id.len(), 27);
        assert_eq!(
            id,
            ksuid(&env()).unwrap(),
            "deterministic for a deterministic env"
        );
        // 1_507_608_047 - KSUID epoch = 107_608_047 = 0x0669F7EF, as in the
        // README example, so the leading characters agree.
        assert!(id.starts_with("0ujts"), "{id}");
    }

    #[test]
    fn ksuid_outside_its_time_range_is_an_error() {
        let at_env = |now| FixedEnv {
            next: Cell::new(0),
            now,
        };
        let at = |now: Option<SystemTime>| now.map(|now| ksuid(&at_env(now)));
        let epoch = UNIX_EPOCH + Duration::from_secs(KSUID_EPOCH as u64);
        let last = epoch + Duration::new(u64::from(u32::MAX), 999_999_999);
        // The KSUID of timestamp `ts` and the random bits `at` draws.
        let expect = |ts: u32| {
            let mut raw = [0u8; 20];
            raw[..4].copy_from_slice(&ts.to_be_bytes());
            raw[4..].copy_from_slice(&random_u128(&at_env(UNIX_EPOCH)).to_be_bytes());
            encode_ksuid(&raw)
        };
        assert_eq!(at(Some(epoch)).unwrap().unwrap(), expect(0));
        assert_eq!(at(Some(last)).unwrap().unwrap(), expect(u32::MAX));
        let err = at(Some(epoch - Duration::from_nanos(1)))
            .unwrap()
            .unwrap_err();
        assert_eq!(
            err,
            "ksuid(): time (seconds: 1399999999 since the Unix epoch) is outside the KSUID range \
             (2014-05-13T16:53:20Z to 2150-06-19T23:21:35Z)"
        );
        for now in [
            Some(last + Duration::from_nanos(1)),
            Some(UNIX_EPOCH),
            UNIX_EPOCH.checked_sub(Duration::from_secs(1 << 63)),
            UNIX_EPOCH.checked_add(Duration::new(i64::MAX as u64, 999_999_999)),
            UNIX_EPOCH.checked_add(Duration::new(u64::MAX, 999_999_999)),
        ] {
            if let Some(result) = at(now) {
                assert!(result.is_err(), "{now:?}: {result:?}");
            }
        }
    }

    #[test]
    fn nanoid_is_21_url_safe_chars() {
        let id = nanoid(&env());
        assert_eq!(id.len(), 21);
        assert!(id.bytes().all(|b| NANOID_ALPHABET.contains(&b)), "{id}");
        assert_eq!(id, nanoid(&env()));
        let e = env();
        assert_ne!(nanoid(&e), nanoid(&e));
    }
}
