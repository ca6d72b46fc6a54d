//! Mutations of captured requests: field-aware (through [`crate::wire`]:
//! replace a string or number, drop, duplicate, move or graft a field) and
//! byte-level (flip, insert, delete, splice), one or several per input.

use crate::dict;
use crate::rng::Rng;
use crate::wire::{self, Field, Value};

/// A mutant of `seed`, drawing on `donor` for grafts and splices: one to
/// four mutations, most of them field-aware (on the parsed tree, encoded
/// once), the rest byte-level on the encoded result.
pub fn mutate(rng: &mut Rng, seed: &[u8], donor: &[u8]) -> Vec<u8> {
    let rounds = rng.range(1, 4);
    let structural = (0..rounds).filter(|_| rng.chance(75)).count();
    let mut bytes = match wire::parse(seed) {
        Some(mut tree) if structural > 0 => {
            let mut donor_tree = None;
            for _ in 0..structural {
                mutate_tree(rng, &mut tree, donor, &mut donor_tree);
            }
            wire::encode(&tree)
        }
        _ => seed.to_vec(),
    };
    for _ in structural..rounds {
        bytes = mutate_bytes(rng, bytes, donor);
    }
    bytes
}

fn mutate_tree(
    rng: &mut Rng,
    tree: &mut Vec<Field>,
    donor: &[u8],
    donor_tree: &mut Option<Vec<Field>>,
) {
    let paths = wire::paths(tree);
    if paths.is_empty() {
        return;
    }
    let path = rng.pick(&paths).clone();
    match rng.below(8) {
        0..=3 => {
            if let Some(field) = wire::get_mut(tree, &path) {
                field.value = replace_value(rng, &field.value);
            }
        }
        4 => {
            if let Some(list) = wire::parent_mut(tree, &path) {
                list.remove(path[path.len() - 1]);
            }
        }
        5 => {
            if let Some(list) = wire::parent_mut(tree, &path) {
                let field = list[path[path.len() - 1]].clone();
                let at = rng.below(list.len() + 1);
                list.insert(at, field);
            }
        }
        6 => {
            // Graft a field of the donor (or of this tree) here.
            let source = donor_tree.get_or_insert_with(|| wire::parse(donor).unwrap_or_default());
            let source_paths = wire::paths(source);
            if source_paths.is_empty() {
                return;
            }
            let graft_path = rng.pick(&source_paths).clone();
            let graft = wire::get_mut(source, &graft_path).map(|f| f.value.clone());
            if let (Some(value), Some(field)) = (graft, wire::get_mut(tree, &path)) {
                field.value = value;
            }
        }
        _ => {
            if let Some(field) = wire::get_mut(tree, &path) {
                field.number = match rng.below(3) {
                    0 => field.number.saturating_add(1),
                    1 => field.number.saturating_sub(1).max(1),
                    _ => *rng.pick(&[1, 2, 3, 4, 7, 8, 15, 7233, 7234, 7235, 7236, 7237, 999]),
                };
            }
        }
    }
}

fn replace_value(rng: &mut Rng, old: &Value) -> Value {
    match old {
        Value::Varint(v) => Value::Varint(match rng.below(3) {
            0 => *rng.pick(dict::NUMBERS),
            1 => v.wrapping_add(1),
            _ => v.wrapping_sub(1),
        }),
        Value::Fixed64(_) => Value::Fixed64(rng.pick(dict::DOUBLES).to_bits()),
        Value::Fixed32(_) => Value::Fixed32(*rng.pick(dict::NUMBERS) as u32),
        Value::Bytes(b) => Value::Bytes(mutate_text(rng, b)),
        Value::Message(m) => {
            let mut m = m.clone();
            if !m.is_empty() && rng.chance(50) {
                m.truncate(rng.below(m.len()));
            } else {
                m.reverse();
            }
            Value::Message(m)
        }
    }
}

fn mutate_text(rng: &mut Rng, old: &[u8]) -> Vec<u8> {
    let pick = |rng: &mut Rng| -> Vec<u8> {
        match rng.below(3) {
            0 => rng.pick(dict::IDENTS).as_bytes().to_vec(),
            1 => rng.pick(dict::STRINGS).as_bytes().to_vec(),
            _ => rng.pick(dict::TEMPLATES).as_bytes().to_vec(),
        }
    };
    match rng.below(5) {
        0 | 1 => pick(rng),
        2 => {
            let mut v = old.to_vec();
            v.extend(pick(rng));
            v
        }
        3 => {
            let mut v = pick(rng);
            v.extend_from_slice(old);
            v
        }
        _ => {
            let n = rng.range(1, 4);
            old.repeat(n.max(1) * if rng.chance(5) { 1000 } else { 1 })
        }
    }
}

fn mutate_bytes(rng: &mut Rng, mut bytes: Vec<u8>, donor: &[u8]) -> Vec<u8> {
    if bytes.is_empty() {
        return donor.to_vec();
    }
    let at = rng.below(bytes.len());
    match rng.below(6) {
        0 => bytes[at] ^= 1 << rng.below(8),
        1 => bytes[at] = rng.next_u64() as u8,
        2 => {
            let n = rng.range(1, 16).min(bytes.len() - at);
            bytes.drain(at..at + n);
        }
        3 => {
            let n = rng.range(1, 8);
            for _ in 0..n {
                bytes.insert(at, rng.next_u64() as u8);
            }
        }
        4 if !donor.is_empty() => {
            let from = rng.below(donor.len());
            let n = rng.range(1, 64).min(donor.len() - from);
            bytes.splice(at..at, donor[from..from + n].iter().copied());
        }
        _ => bytes.truncate(at),
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mutants_are_deterministic_and_differ_from_the_seed() {
        let seed = wire::encode(&[Field {
            number: 1,
            value: Value::Bytes(b"x.proto".to_vec()),
        }]);
        let a = mutate(&mut Rng::for_input(1, 2), &seed, &seed);
        let b = mutate(&mut Rng::for_input(1, 2), &seed, &seed);
        assert_eq!(a, b);
        let changed = (0..50).filter(|i| mutate(&mut Rng::for_input(1, *i), &seed, &seed) != seed);
        assert!(changed.count() > 40);
    }
}
