package rdb

// RDB opcodes (src/rdb.h, Redis 7.0).
const (
	opFunction2   = 0xF5
	opFunctionPre = 0xF6
	opModuleAux   = 0xF7
	opIdle        = 0xF8
	opFreq        = 0xF9
	opAux         = 0xFA
	opResizeDB    = 0xFB
	opExpireMs    = 0xFC
	opExpireSec   = 0xFD
	opSelectDB    = 0xFE
	opEOF         = 0xFF
)

// RDB value type bytes (src/rdb.h, Redis 7.0).
const (
	rdbString          = 0
	rdbList            = 1
	rdbSet             = 2
	rdbZSet            = 3
	rdbHash            = 4
	rdbZSet2           = 5
	rdbModulePreGA     = 6
	rdbModule2         = 7
	rdbHashZipmap      = 9
	rdbListZiplist     = 10
	rdbSetIntset       = 11
	rdbZSetZiplist     = 12
	rdbHashZiplist     = 13
	rdbListQuicklist   = 14
	rdbStreamListpacks = 15
	rdbHashListpack    = 16
	rdbZSetListpack    = 17
	rdbListQuicklist2  = 18
	rdbStreamListpack2 = 19
)

// Version is the RDB format version this package writes.
const Version = 10

// Limits applied while decoding. Lengths above them are reported as
// corruption before anything is allocated.
const (
	// MaxStringLen bounds a single string (key, value, element, or a
	// serialized listpack/ziplist/intset).
	MaxStringLen = 1<<32 - 1
	// MaxElements bounds the element count of one collection.
	MaxElements = 1<<32 - 1
)

// RecordKind says which fields of a Record are set.
type RecordKind uint8

const (
	// RecordAux is an AUX field: AuxKey, AuxValue.
	RecordAux RecordKind = iota + 1
	// RecordSelectDB starts a database: DB.
	RecordSelectDB
	// RecordResizeDB is a size hint for the current database: DBSize,
	// ExpiresSize.
	RecordResizeDB
	// RecordKey is a key with its value: Key, ExpireAtMs, Type, RawType and
	// the value field matching Type.
	RecordKey
)

func (k RecordKind) String() string {
	switch k {
	case RecordAux:
		return "aux"
	case RecordSelectDB:
		return "selectdb"
	case RecordResizeDB:
		return "resizedb"
	case RecordKey:
		return "key"
	}
	return "invalid"
}

// ValueType is the logical type of a value, whatever its encoding in the
// file. The numbering matches Redis's OBJ_* constants.
type ValueType uint8

const (
	TypeString ValueType = 0 // Record.String
	TypeList   ValueType = 1 // Record.List
	TypeSet    ValueType = 2 // Record.Set
	TypeZSet   ValueType = 3 // Record.ZSet
	TypeHash   ValueType = 4 // Record.Hash
)

// String returns the name Redis's TYPE command uses.
func (t ValueType) String() string {
	switch t {
	case TypeString:
		return "string"
	case TypeList:
		return "list"
	case TypeSet:
		return "set"
	case TypeZSet:
		return "zset"
	case TypeHash:
		return "hash"
	}
	return "unknown"
}

// ZMember is one sorted-set member.
type ZMember struct {
	Member []byte
	Score  float64
}

// HashField is one hash field.
type HashField struct {
	Field, Value []byte
}

// Record is one item of an RDB file. Kind tells which fields are set.
// Integer-encoded strings in the file are returned as their decimal text,
// exactly as Redis would return them.
type Record struct {
	Kind RecordKind

	AuxKey, AuxValue string // RecordAux

	DB int // RecordSelectDB

	DBSize, ExpiresSize uint64 // RecordResizeDB

	// RecordKey.
	Key        []byte
	ExpireAtMs int64 // absolute Unix time in ms; 0 = no expiry
	// Idle is the LRU idle time in seconds an IDLE opcode gave the key
	// (HasIdle); Redis writes one under an LRU maxmemory policy, raftis
	// in its snapshots.
	Idle    uint64
	HasIdle bool
	Type    ValueType // logical type; selects the field below
	RawType uint8     // the RDB type byte as found (e.g. 16 = hash listpack)

	String []byte
	List   [][]byte
	Set    [][]byte
	ZSet   []ZMember
	Hash   []HashField
}
