package fsm

// OBJECT's subcommands: reads about how a key's value is held. The server
// makes them rows of its OBJECT container (with HELP); they come in the
// order Redis's OBJECT HELP lists them.
var objectCommands = []*Command{
	{Spec: objectSpec("encoding", "Inspect the internal encoding of a Redis object",
		"ENCODING <key>",
		"    Return the kind of internal representation used in order to store the value",
		"    associated with a <key>."), Run: cmdObjectEncoding},
	{Spec: objectSpec("freq", "Get the logarithmic access frequency counter of a Redis object",
		"FREQ <key>",
		"    Return the access frequency index of the <key>. The returned integer is",
		"    proportional to the logarithm of the recent access frequency of the key."), Run: cmdObjectFreq},
	{Spec: objectSpec("idletime", "Get the time since a Redis object was last accessed",
		"IDLETIME <key>",
		"    Return the idle time of the <key>, that is the approximated number of",
		"    seconds elapsed since the last access to the key."), Run: cmdObjectIdleTime},
	{Spec: objectSpec("refcount", "Get the number of references to the value of the key",
		"REFCOUNT <key>",
		"    Return the number of references of the value associated with the specified",
		"    <key>."), Run: cmdObjectRefcount},
}

func objectSpec(sub, summary string, help ...string) Spec {
	return Spec{Name: "object|" + sub, Arity: 3, Flags: FlagReadonly, FirstKey: 2, LastKey: 2, KeyStep: 1,
		Group: "generic", Summary: summary, Tips: []string{"nondeterministic_output"}, Help: help}
}

// errNoLFU is Redis's reply to OBJECT FREQ under a policy that is not LFU.
// raftis never evicts, so it answers as Redis does under the default,
// noeviction.
const errNoLFU = "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."

// objectLookup finds the key OBJECT inspects, replying null if it is
// missing.
func (c *Ctx) objectLookup(key []byte) (item, bool) {
	it, found := c.lookup(key)
	if !found {
		c.Null()
	}
	return it, found
}

// OBJECT ENCODING key
func cmdObjectEncoding(c *Ctx, args [][]byte) {
	if it, ok := c.objectLookup(args[2]); ok {
		c.BulkString(it.val.Encoding())
	}
}

// OBJECT REFCOUNT key
func cmdObjectRefcount(c *Ctx, args [][]byte) {
	it, ok := c.objectLookup(args[2])
	if !ok {
		return
	}
	if s, isString := it.val.(stringValue); isString {
		c.Int(s.refcount())
		return
	}
	c.Int(1)
}

// OBJECT IDLETIME key: seconds since the key was last written (idle.go).
func cmdObjectIdleTime(c *Ctx, args [][]byte) {
	if it, ok := c.objectLookup(args[2]); ok {
		c.Int(idleSeconds(c.lru(), it.lru))
	}
}

// OBJECT FREQ key
func cmdObjectFreq(c *Ctx, args [][]byte) {
	if _, ok := c.objectLookup(args[2]); ok {
		c.Error(errNoLFU)
	}
}
