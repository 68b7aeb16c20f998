package e2e

import (
	"regexp"
	"strings"
	"testing"
)

// redis-cli's own tools read what the server commands report: --memkeys
// sizes every key with MEMORY USAGE, --bigkeys with the type commands,
// and INFO everything is a list of sections of name:value fields.
func TestRedisCLITools(t *testing.T) {
	needTools(t, "redis-cli")
	c := startCluster(t, 1)
	port := c.nodes[0].port
	mustCLI(t, port, "SET", "big", strings.Repeat("x", 5000))
	mustCLI(t, port, "SET", "small", "x")
	size := mustCLI(t, port, "MEMORY", "USAGE", "big")

	memkeys := mustCLI(t, port, "--memkeys")
	if want := `Biggest string found '"big"' has ` + size + " bytes"; !strings.Contains(memkeys, want) {
		t.Errorf("redis-cli --memkeys lacks %q:\n%s", want, memkeys)
	}
	bigkeys := mustCLI(t, port, "--bigkeys")
	if want := `Biggest string found '"big"' has 5000 bytes`; !strings.Contains(bigkeys, want) {
		t.Errorf("redis-cli --bigkeys lacks %q:\n%s", want, bigkeys)
	}

	info := mustCLI(t, port, "INFO", "everything")
	line := regexp.MustCompile(`^(# [A-Z][A-Za-z]+|[a-z0-9_|]+:[^\r\n]*)$`)
	sections := 0
	for _, l := range strings.Split(info, "\n") {
		l = strings.TrimRight(l, "\r")
		switch {
		case l == "":
		case !line.MatchString(l):
			t.Errorf("INFO line %q is neither a section title nor name:value", l)
		case strings.HasPrefix(l, "# "):
			sections++
		}
	}
	fields := infoFields(info)
	for _, name := range []string{"used_memory", "cmdstat_set", "cmdstat_memory|usage", "total_error_replies"} {
		if _, ok := fields[name]; !ok {
			t.Errorf("INFO everything has no %s", name)
		}
	}
	if sections != 11 {
		t.Errorf("INFO everything has %d sections, want 11:\n%s", sections, info)
	}
}
