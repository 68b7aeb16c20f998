package rdb

import (
	"encoding/binary"
	"errors"
	"math"
	"strconv"
)

// errEmptyKey reports a collection with no elements. Redis 7.0 skips such
// keys when loading an RDB file and rejects them in RESTORE.
var errEmptyKey = errors.New("rdb: empty key")

// Quicklist 2 node containers (src/quicklist.h).
const (
	qlContainerPlain  = 1
	qlContainerPacked = 2
)

// readValue decodes a value of RDB type t into rec.
func (s *source) readValue(t byte, rec *Record) error {
	rec.RawType = t
	var err error
	switch t {
	case rdbString:
		rec.Type = TypeString
		rec.String, err = s.readString()
		return err
	case rdbList:
		rec.Type = TypeList
		rec.List, err = s.readStrings()
	case rdbSet:
		rec.Type = TypeSet
		rec.Set, err = s.readStrings()
	case rdbZSet, rdbZSet2:
		rec.Type = TypeZSet
		rec.ZSet, err = s.readZSet(t == rdbZSet2)
	case rdbHash:
		rec.Type = TypeHash
		rec.Hash, err = s.readHash()
	case rdbHashZipmap:
		rec.Type = TypeHash
		var b []byte
		if b, err = s.readString(); err == nil {
			rec.Hash, err = parseZipmap(b)
		}
	case rdbListZiplist:
		rec.Type = TypeList
		rec.List, err = s.readPacked(parseZiplist)
	case rdbSetIntset:
		rec.Type = TypeSet
		rec.Set, err = s.readPacked(parseIntset)
	case rdbZSetZiplist, rdbZSetListpack:
		rec.Type = TypeZSet
		rec.ZSet, err = s.readPackedZSet(packedParser(t == rdbZSetListpack))
	case rdbHashZiplist, rdbHashListpack:
		rec.Type = TypeHash
		rec.Hash, err = s.readPackedHash(packedParser(t == rdbHashListpack))
	case rdbListQuicklist, rdbListQuicklist2:
		rec.Type = TypeList
		rec.List, err = s.readQuicklist(t == rdbListQuicklist2)
	case rdbModulePreGA, rdbModule2:
		return unsupportedf("unsupported value type %d (module)", t)
	case rdbStreamListpacks, rdbStreamListpack2:
		return unsupportedf("unsupported value type %d (stream)", t)
	default:
		return unsupportedf("unsupported value type %d", t)
	}
	if err != nil {
		return err
	}
	if len(rec.List) == 0 && len(rec.Set) == 0 && len(rec.ZSet) == 0 && len(rec.Hash) == 0 {
		return errEmptyKey
	}
	return nil
}

// initialCap bounds preallocation by a count read from the input.
func initialCap(n int) int { return min(n, 1024) }

func (s *source) readStrings() ([][]byte, error) {
	n, err := s.readCount()
	if err != nil {
		return nil, err
	}
	out := make([][]byte, 0, initialCap(n))
	for range n {
		v, err := s.readString()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func (s *source) readHash() ([]HashField, error) {
	n, err := s.readCount()
	if err != nil {
		return nil, err
	}
	out := make([]HashField, 0, initialCap(n))
	for range n {
		f, err := s.readString()
		if err != nil {
			return nil, err
		}
		v, err := s.readString()
		if err != nil {
			return nil, err
		}
		out = append(out, HashField{Field: f, Value: v})
	}
	return out, nil
}

func (s *source) readZSet(binaryScores bool) ([]ZMember, error) {
	n, err := s.readCount()
	if err != nil {
		return nil, err
	}
	out := make([]ZMember, 0, initialCap(n))
	for range n {
		m, err := s.readString()
		if err != nil {
			return nil, err
		}
		var score float64
		if binaryScores {
			var b [8]byte
			if err := s.readFull(b[:]); err != nil {
				return nil, err
			}
			score = math.Float64frombits(binary.LittleEndian.Uint64(b[:]))
		} else if score, err = s.readTextScore(); err != nil {
			return nil, err
		}
		if math.IsNaN(score) {
			return nil, corruptf("NaN score for sorted set member")
		}
		out = append(out, ZMember{Member: m, Score: score})
	}
	return out, nil
}

// readTextScore reads an RDB_TYPE_ZSET score: <1-byte len><ASCII>, with
// the lengths 253, 254 and 255 standing for NaN, +inf and -inf.
func (s *source) readTextScore() (float64, error) {
	n, err := s.readByte()
	if err != nil {
		return 0, err
	}
	switch n {
	case 253:
		return math.NaN(), nil
	case 254:
		return math.Inf(1), nil
	case 255:
		return math.Inf(-1), nil
	}
	var buf [252]byte
	if err := s.readFull(buf[:n]); err != nil {
		return 0, err
	}
	return parseScore(buf[:n])
}

// parseScore parses a score stored as text. Like strtod, out-of-range
// values become ±Inf or 0.
func parseScore(b []byte) (float64, error) {
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, corruptf("invalid sorted set score %q", b)
	}
	if math.IsNaN(f) {
		return 0, corruptf("NaN score for sorted set member")
	}
	return f, nil
}

type packedFunc func([]byte) ([][]byte, error)

func packedParser(listpack bool) packedFunc {
	if listpack {
		return parseListpack
	}
	return parseZiplist
}

// readPacked reads a string holding a ziplist, listpack or intset.
func (s *source) readPacked(parse packedFunc) ([][]byte, error) {
	b, err := s.readString()
	if err != nil {
		return nil, err
	}
	return parse(b)
}

func (s *source) readPackedPairs(parse packedFunc) ([][]byte, error) {
	e, err := s.readPacked(parse)
	if err != nil {
		return nil, err
	}
	if len(e)%2 != 0 {
		return nil, corruptf("odd number of entries (%d) in a packed hash or sorted set", len(e))
	}
	return e, nil
}

func (s *source) readPackedHash(parse packedFunc) ([]HashField, error) {
	e, err := s.readPackedPairs(parse)
	if err != nil {
		return nil, err
	}
	out := make([]HashField, 0, len(e)/2)
	for i := 0; i < len(e); i += 2 {
		out = append(out, HashField{Field: e[i], Value: e[i+1]})
	}
	return out, nil
}

func (s *source) readPackedZSet(parse packedFunc) ([]ZMember, error) {
	e, err := s.readPackedPairs(parse)
	if err != nil {
		return nil, err
	}
	out := make([]ZMember, 0, len(e)/2)
	for i := 0; i < len(e); i += 2 {
		score, err := parseScore(e[i+1])
		if err != nil {
			return nil, err
		}
		out = append(out, ZMember{Member: e[i], Score: score})
	}
	return out, nil
}

// readQuicklist reads RDB_TYPE_LIST_QUICKLIST (a list of ziplists) or,
// with v2, RDB_TYPE_LIST_QUICKLIST_2 (a list of <container><string> nodes,
// each a listpack or a single plain element). Empty nodes are skipped as
// Redis does.
func (s *source) readQuicklist(v2 bool) ([][]byte, error) {
	n, err := s.readCount()
	if err != nil {
		return nil, err
	}
	var out [][]byte
	for range n {
		container := uint64(qlContainerPacked)
		if v2 {
			if container, err = s.readLen(); err != nil {
				return nil, err
			}
		}
		b, err := s.readString()
		if err != nil {
			return nil, err
		}
		switch {
		case container == qlContainerPlain:
			out = append(out, b)
			continue
		case container != qlContainerPacked:
			return nil, corruptf("unknown quicklist container %d", container)
		}
		var e [][]byte
		if v2 {
			e, err = parseListpack(b)
		} else {
			e, err = parseZiplist(b)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, e...)
	}
	return out, nil
}
