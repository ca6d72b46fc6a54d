package corpus

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/dynamicpb"
)

// MaxDepth is how deep Sample nests messages: the sample itself is at depth
// 0, the messages of its fields at depth 1, and so on; a message field whose
// message would sit deeper than MaxDepth is left unset.
const MaxDepth = 3

// SampleTimestamp is the value of every google.protobuf.Timestamp of a sample.
var SampleTimestamp = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

// NewMessage returns an empty message of the given type: the generated Go
// type when one is registered, else a dynamicpb message.
func NewMessage(md protoreflect.MessageDescriptor) proto.Message {
	if mt, err := protoregistry.GlobalTypes.FindMessageByName(md.FullName()); err == nil {
		return mt.New().Interface()
	}
	return dynamicpb.NewMessage(md)
}

// Sample returns a deterministic, fully populated instance of md:
//
//   - every field is set; a string is "<jsonName>-<number>", an integer
//     10+number, a float or double 1.5, a bool true, bytes the JSON name, an
//     enum its value numbered 1 if there is one, else its first value;
//   - a message field is filled recursively, down to MaxDepth;
//   - a repeated field has exactly one element, a map exactly one entry (key
//     and value filled like fields of the map entry);
//   - of a real oneof only the first field is set; proto3 optional fields
//     are set;
//   - well-known types: Timestamp 2024-01-02T03:04:05Z, Duration 5s,
//     FieldMask ["a.b"], Struct {"key":"value"}, Value "value", Empty empty,
//     wrappers filled like their scalar; Any is left unset.
func Sample(md protoreflect.MessageDescriptor) proto.Message {
	m := NewMessage(md)
	fill(m.ProtoReflect(), 0)
	return m
}

// SampleJSON returns the protojson of Sample(md), compacted so that it does
// not depend on protojson's randomised whitespace.
func SampleJSON(md protoreflect.MessageDescriptor) (json.RawMessage, error) {
	return MarshalCompact(Sample(md))
}

// MarshalCompact marshals m with protojson and compacts the result.
func MarshalCompact(m proto.Message) (json.RawMessage, error) {
	raw, err := protojson.Marshal(m)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return nil, fmt.Errorf("compacting protojson: %w", err)
	}
	return json.RawMessage(buf.Bytes()), nil
}

func isMessage(fd protoreflect.FieldDescriptor) bool {
	return fd.Kind() == protoreflect.MessageKind || fd.Kind() == protoreflect.GroupKind
}

// skipMessage reports whether a field holding messages of type md at depth
// must stay unset.
func skipMessage(md protoreflect.MessageDescriptor, depth int) bool {
	return depth > MaxDepth || md.FullName() == "google.protobuf.Any"
}

func fill(m protoreflect.Message, depth int) {
	if fillWellKnown(m) {
		return
	}
	fields := m.Descriptor().Fields()
	for i := 0; i < fields.Len(); i++ {
		fd := fields.Get(i)
		if od := fd.ContainingOneof(); od != nil && !od.IsSynthetic() && od.Fields().Get(0) != fd {
			continue
		}
		switch {
		case fd.IsMap():
			vd := fd.MapValue()
			if isMessage(vd) && skipMessage(vd.Message(), depth+1) {
				continue
			}
			mp := m.Mutable(fd).Map()
			var v protoreflect.Value
			if isMessage(vd) {
				v = mp.NewValue()
				fill(v.Message(), depth+1)
			} else {
				v = scalar(vd)
			}
			mp.Set(scalar(fd.MapKey()).MapKey(), v)
		case fd.IsList():
			if isMessage(fd) && skipMessage(fd.Message(), depth+1) {
				continue
			}
			list := m.Mutable(fd).List()
			if isMessage(fd) {
				v := list.NewElement()
				fill(v.Message(), depth+1)
				list.Append(v)
			} else {
				list.Append(scalar(fd))
			}
		case isMessage(fd):
			if skipMessage(fd.Message(), depth+1) {
				continue
			}
			v := m.NewField(fd)
			fill(v.Message(), depth+1)
			m.Set(fd, v)
		default:
			m.Set(fd, scalar(fd))
		}
	}
}

// scalar returns the sample value of a non-message field.
func scalar(fd protoreflect.FieldDescriptor) protoreflect.Value {
	n := int64(fd.Number()) + 10
	switch fd.Kind() {
	case protoreflect.BoolKind:
		return protoreflect.ValueOfBool(true)
	case protoreflect.EnumKind:
		values := fd.Enum().Values()
		if v := values.ByNumber(1); v != nil {
			return protoreflect.ValueOfEnum(v.Number())
		}
		return protoreflect.ValueOfEnum(values.Get(0).Number())
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		return protoreflect.ValueOfInt32(int32(n))
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		return protoreflect.ValueOfInt64(n)
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		return protoreflect.ValueOfUint32(uint32(n))
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return protoreflect.ValueOfUint64(uint64(n))
	case protoreflect.FloatKind:
		return protoreflect.ValueOfFloat32(1.5)
	case protoreflect.DoubleKind:
		return protoreflect.ValueOfFloat64(1.5)
	case protoreflect.StringKind:
		return protoreflect.ValueOfString(fmt.Sprintf("%s-%d", fd.JSONName(), fd.Number()))
	case protoreflect.BytesKind:
		return protoreflect.ValueOfBytes([]byte(fd.JSONName()))
	}
	panic(fmt.Sprintf("corpus: no scalar sample for %s of kind %s", fd.FullName(), fd.Kind()))
}

// fillWellKnown fills the well-known types that have a special sample and
// reports whether m was one of them. Wrappers, ListValue and Empty are
// filled like any other message.
func fillWellKnown(m protoreflect.Message) bool {
	fields := m.Descriptor().Fields()
	set := func(name protoreflect.Name, v protoreflect.Value) {
		m.Set(fields.ByName(name), v)
	}
	switch m.Descriptor().FullName() {
	case "google.protobuf.Timestamp":
		set("seconds", protoreflect.ValueOfInt64(SampleTimestamp.Unix()))
	case "google.protobuf.Duration":
		set("seconds", protoreflect.ValueOfInt64(5))
	case "google.protobuf.FieldMask":
		m.Mutable(fields.ByName("paths")).List().Append(protoreflect.ValueOfString("a.b"))
	case "google.protobuf.Value":
		set("string_value", protoreflect.ValueOfString("value"))
	case "google.protobuf.Struct":
		mp := m.Mutable(fields.ByName("fields")).Map()
		v := mp.NewValue()
		fillWellKnown(v.Message())
		mp.Set(protoreflect.ValueOfString("key").MapKey(), v)
	case "google.protobuf.Any":
		// Left empty: callers never set an Any.
	default:
		return false
	}
	return true
}
