package fsm

var expireCommands = []*Command{
	{Spec: Spec{Name: "pttl", Arity: 2, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "generic", Summary: "Returns the expiration time in milliseconds of a key."}, Run: cmdPTTL},
}

// PTTL key
func cmdPTTL(c *Ctx, args [][]byte) {
	it, found := c.lookup(args[1])
	switch {
	case !found:
		c.Int(-2)
	case it.expireAt == 0:
		c.Int(-1)
	default:
		c.Int(it.expireAt - c.now)
	}
}
