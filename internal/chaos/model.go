package chaos

import (
	"fmt"
	"strconv"

	"github.com/anishathalye/porcupine"
)

// strState is a string key's value in the porcupine model.
type strState struct {
	Exists bool
	Value  string
}

// strInput and strOutput are an operation on one string key.
type strInput struct {
	Kind string
	Arg  string
}

type strOutput struct {
	Unknown bool
	Null    bool
	Str     string
	Int     int64
}

// stringModel is a Redis string under SET, GET, INCR and APPEND. An
// operation with an unknown outcome may take effect at any point after its
// invocation, or never: it returns at the end of time and its step accepts
// any state.
var stringModel = porcupine.Model{
	Init: func() any { return strState{} },
	Step: func(state, input, output any) (bool, any) {
		s, in, out := state.(strState), input.(strInput), output.(strOutput)
		switch in.Kind {
		case opSet:
			return true, strState{Exists: true, Value: in.Arg}
		case opGet:
			if out.Null {
				return !s.Exists, s
			}
			return s.Exists && s.Value == out.Str, s
		case opIncr:
			n := int64(0)
			if s.Exists {
				var err error
				if n, err = strconv.ParseInt(s.Value, 10, 64); err != nil {
					return false, s
				}
			}
			n++
			next := strState{Exists: true, Value: strconv.FormatInt(n, 10)}
			return out.Unknown || out.Int == n, next
		case opAppend:
			next := strState{Exists: true, Value: s.Value + in.Arg}
			return out.Unknown || out.Int == int64(len(next.Value)), next
		}
		return false, s
	},
	DescribeOperation: func(input, output any) string {
		in, out := input.(strInput), output.(strOutput)
		res := "?"
		switch {
		case out.Unknown:
		case in.Kind == opGet && out.Null:
			res = "nil"
		case in.Kind == opGet:
			res = strconv.Quote(out.Str)
		case in.Kind == opSet:
			res = "OK"
		default:
			res = strconv.FormatInt(out.Int, 10)
		}
		if in.Arg != "" {
			return fmt.Sprintf("%s(%s) -> %s", in.Kind, in.Arg, res)
		}
		return fmt.Sprintf("%s() -> %s", in.Kind, res)
	},
	DescribeState: func(state any) string {
		s := state.(strState)
		if !s.Exists {
			return "nil"
		}
		return strconv.Quote(s.Value)
	},
}

// bankState is the accounts' balances, in accountKeys order.
type bankState [3]int64

type bankInput struct {
	Kind     string
	From, To int
	Amount   int64
}

type bankOutput struct {
	Unknown bool
	Ints    []int64
}

// bankModel is the accounts under transfers and reads of all of them, each
// in one MULTI/EXEC.
var bankModel = porcupine.Model{
	Init: func() any { return bankState{} },
	Step: func(state, input, output any) (bool, any) {
		s, in, out := state.(bankState), input.(bankInput), output.(bankOutput)
		switch in.Kind {
		case opTransfer:
			s[in.From] -= in.Amount
			s[in.To] += in.Amount
			return out.Unknown || (len(out.Ints) == 2 && out.Ints[0] == s[in.From] && out.Ints[1] == s[in.To]), s
		case opBalances:
			if len(out.Ints) != len(s) {
				return false, s
			}
			for i := range s {
				if out.Ints[i] != s[i] {
					return false, s
				}
			}
			return true, s
		}
		return false, s
	},
	DescribeOperation: func(input, output any) string {
		in, out := input.(bankInput), output.(bankOutput)
		res := "?"
		if !out.Unknown {
			res = fmt.Sprint(out.Ints)
		}
		if in.Kind == opTransfer {
			return fmt.Sprintf("transfer %d b%d->b%d -> %s", in.Amount, in.From, in.To, res)
		}
		return "balances -> " + res
	},
	DescribeState: func(state any) string { return fmt.Sprint(state.(bankState)) },
}
