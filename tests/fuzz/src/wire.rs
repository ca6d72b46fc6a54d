//! The protobuf wire format as a tree, without a schema: enough to mutate a
//! captured request field by field (a name, a number, an option string)
//! rather than only byte by byte. A length-delimited value is read as a
//! nested message when it parses as one and is not printable text.

/// One field of a message.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub number: u32,
    pub value: Value,
}

/// A field's value by wire type.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Varint(u64),
    Fixed64(u64),
    Fixed32(u32),
    /// Text or bytes that do not parse as a message.
    Bytes(Vec<u8>),
    Message(Vec<Field>),
}

/// Nested messages deeper than this are kept as bytes.
const MAX_DEPTH: usize = 64;

/// Parses `bytes` as a message; `None` when they are not one.
pub fn parse(bytes: &[u8]) -> Option<Vec<Field>> {
    parse_at(bytes, 0)
}

fn parse_at(mut bytes: &[u8], depth: usize) -> Option<Vec<Field>> {
    let mut fields = Vec::new();
    while !bytes.is_empty() {
        let key = read_varint(&mut bytes)?;
        let number = u32::try_from(key >> 3).ok().filter(|n| *n > 0)?;
        let value = match key & 7 {
            0 => Value::Varint(read_varint(&mut bytes)?),
            1 => {
                let (head, rest) = bytes.split_first_chunk::<8>()?;
                bytes = rest;
                Value::Fixed64(u64::from_le_bytes(*head))
            }
            2 => {
                let len = usize::try_from(read_varint(&mut bytes)?).ok()?;
                if len > bytes.len() {
                    return None;
                }
                let (body, rest) = bytes.split_at(len);
                bytes = rest;
                match (looks_like_text(body), depth < MAX_DEPTH) {
                    (false, true) => match parse_at(body, depth + 1) {
                        Some(nested) if !nested.is_empty() => Value::Message(nested),
                        _ => Value::Bytes(body.to_vec()),
                    },
                    _ => Value::Bytes(body.to_vec()),
                }
            }
            5 => {
                let (head, rest) = bytes.split_first_chunk::<4>()?;
                bytes = rest;
                Value::Fixed32(u32::from_le_bytes(*head))
            }
            _ => return None,
        };
        fields.push(Field { number, value });
    }
    Some(fields)
}

fn looks_like_text(body: &[u8]) -> bool {
    !body.is_empty()
        && std::str::from_utf8(body)
            .is_ok_and(|s| s.chars().all(|c| !c.is_control() || c == '\n' || c == '\t'))
}

fn read_varint(bytes: &mut &[u8]) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let (&b, rest) = bytes.split_first()?;
        *bytes = rest;
        value |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

/// Encodes a message.
pub fn encode(fields: &[Field]) -> Vec<u8> {
    let mut out = Vec::new();
    encode_into(fields, &mut out);
    out
}

fn encode_into(fields: &[Field], out: &mut Vec<u8>) {
    for field in fields {
        let number = u64::from(field.number) << 3;
        match &field.value {
            Value::Varint(v) => {
                write_varint(number, out);
                write_varint(*v, out);
            }
            Value::Fixed64(v) => {
                write_varint(number | 1, out);
                out.extend_from_slice(&v.to_le_bytes());
            }
            Value::Fixed32(v) => {
                write_varint(number | 5, out);
                out.extend_from_slice(&v.to_le_bytes());
            }
            Value::Bytes(b) => {
                write_varint(number | 2, out);
                write_varint(b.len() as u64, out);
                out.extend_from_slice(b);
            }
            Value::Message(m) => {
                let body = encode(m);
                write_varint(number | 2, out);
                write_varint(body.len() as u64, out);
                out.extend_from_slice(&body);
            }
        }
    }
}

fn write_varint(mut v: u64, out: &mut Vec<u8>) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// A path to a field in a tree: the index at each level.
pub type Path = Vec<usize>;

/// Every field's path, parents before children.
pub fn paths(fields: &[Field]) -> Vec<Path> {
    let mut out = Vec::new();
    let mut stack: Vec<(Path, &[Field])> = vec![(Vec::new(), fields)];
    while let Some((prefix, fields)) = stack.pop() {
        for (i, field) in fields.iter().enumerate() {
            let mut path = prefix.clone();
            path.push(i);
            if let Value::Message(nested) = &field.value {
                stack.push((path.clone(), nested));
            }
            out.push(path);
        }
    }
    out
}

/// The field at `path`.
pub fn get_mut<'a>(fields: &'a mut [Field], path: &[usize]) -> Option<&'a mut Field> {
    let (&first, rest) = path.split_first()?;
    let field = fields.get_mut(first)?;
    if rest.is_empty() {
        return Some(field);
    }
    match &mut field.value {
        Value::Message(nested) => get_mut(nested, rest),
        _ => None,
    }
}

/// The list of fields that holds the field at `path`.
pub fn parent_mut<'a>(fields: &'a mut Vec<Field>, path: &[usize]) -> Option<&'a mut Vec<Field>> {
    let (_, init) = path.split_last()?;
    let mut list = fields;
    for &i in init {
        list = match &mut list.get_mut(i)?.value {
            Value::Message(nested) => nested,
            _ => return None,
        };
    }
    Some(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_survives_parse_and_encode() {
        let tree = vec![
            Field {
                number: 1,
                value: Value::Bytes(b"name.proto".to_vec()),
            },
            Field {
                number: 4,
                value: Value::Message(vec![
                    Field {
                        number: 1,
                        value: Value::Bytes(b"Foo".to_vec()),
                    },
                    Field {
                        number: 3,
                        value: Value::Varint(300),
                    },
                ]),
            },
            Field {
                number: 9,
                value: Value::Fixed64(7),
            },
            Field {
                number: 10,
                value: Value::Fixed32(9),
            },
        ];
        let bytes = encode(&tree);
        assert_eq!(parse(&bytes).unwrap(), tree);
        assert_eq!(paths(&tree).len(), 6);
    }

    #[test]
    fn truncated_input_is_not_a_message() {
        let bytes = encode(&[Field {
            number: 2,
            value: Value::Bytes(b"abc".to_vec()),
        }]);
        assert!(parse(&bytes[..bytes.len() - 1]).is_none());
        assert!(parse(&[0x08]).is_none());
    }
}
