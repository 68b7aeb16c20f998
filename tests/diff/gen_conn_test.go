package diff

import "math/rand/v2"

// The connection family, and commands that do not exist.
func init() {
	register("connection",
		cmdGen{name: "select", weight: 4, gen: func(r *rand.Rand, _ []string) []string {
			return []string{"SELECT", randDB(r)}
		}},
		cmdGen{name: "ping", weight: 1, gen: func(r *rand.Rand, _ []string) []string {
			if chance(r, 1, 2) {
				return []string{"PING"}
			}
			return []string{"PING", randValue(r)}
		}},
		cmdGen{name: "echo", weight: 1, gen: func(r *rand.Rand, _ []string) []string {
			return []string{"ECHO", randValue(r)}
		}},
		// Unknown commands: the error quotes the name and the first
		// arguments, cut at 128 bytes.
		cmdGen{name: "unknown", weight: 1, gen: func(r *rand.Rand, keys []string) []string {
			cmd := []string{pickOne(r, "NOSUCHCOMMAND", "GETT", "sett", "FOO", "x", "HSETT", "get_", "SET\x00", "bad\r\nname", randText(r, 150))}
			for range r.IntN(4) {
				cmd = append(cmd, pickOne(r, randKey(r, keys), randValue(r)))
			}
			return cmd
		}},
	)
}
