package server

import "strings"

// cmdHelp is every container's HELP: the container's own lines, then each
// subcommand's in table order, then Redis's closing lines.
func cmdHelp(_ *Server, c *call) {
	container := c.cmd.container
	lines := append([]string(nil), container.help...)
	for _, sub := range container.subs {
		if sub != c.cmd {
			lines = append(lines, sub.helpLines()...)
		}
	}
	writeHelp(c, lines)
}

// helpLines are the row's lines in its container's HELP. A data
// subcommand without lines of its own gets its name and summary.
func (c *command) helpLines() []string {
	if c.help != nil {
		return c.help
	}
	_, name, _ := strings.Cut(c.Name, "|")
	return []string{strings.ToUpper(name), "    " + c.Summary + "."}
}

// writeHelp writes a HELP reply as Redis does: a title naming the
// container as the client typed it, the lines, and the closing lines.
func writeHelp(c *call, lines []string) {
	c.conn.WriteArray(len(lines) + 3)
	c.conn.WriteString(strings.ToUpper(string(c.args[0])) + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:")
	for _, l := range lines {
		c.conn.WriteString(l)
	}
	c.conn.WriteString("HELP")
	c.conn.WriteString("    Prints this help.")
}
