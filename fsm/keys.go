package fsm

var keyCommands = []*Command{
	{Spec: Spec{Name: "del", Arity: -2, Flags: FlagWrite, FirstKey: 1, LastKey: -1, KeyStep: 1, Group: "generic", Summary: "Deletes one or more keys."}, Run: cmdDel},
	{Spec: Spec{Name: "exists", Arity: -2, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: -1, KeyStep: 1, Group: "generic", Summary: "Determines whether one or more keys exist."}, Run: cmdExists},
}

// DEL key [key ...]
func cmdDel(c *Ctx, args [][]byte) {
	var n int64
	for _, key := range args[1:] {
		if _, found := c.lookup(key); found {
			c.db.delete(string(key))
			n++
		}
	}
	c.Int(n)
}

// EXISTS key [key ...]
func cmdExists(c *Ctx, args [][]byte) {
	var n int64
	for _, key := range args[1:] {
		if _, found := c.lookup(key); found {
			n++
		}
	}
	c.Int(n)
}
