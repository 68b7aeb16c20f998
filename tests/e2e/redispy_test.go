package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The redis-py examples in testdata/redispy, one per data type, are what
// Python users write: a plain redis.Redis client, unchanged. Each runs
// against the leader and against a follower of one 3-node cluster, with a
// second node as its peer (see testdata/redispy/example.py), and against
// redis-server, which shows that the examples expect what Redis does.
func TestRedisPyExamples(t *testing.T) {
	python := needRedisPy(t)
	scripts, err := filepath.Glob(filepath.Join("testdata", "redispy", "*.py"))
	if err != nil {
		t.Fatal(err)
	}
	scripts = slices.DeleteFunc(scripts, func(s string) bool { return filepath.Base(s) == "example.py" })
	if len(scripts) < 7 {
		t.Fatalf("found %d redis-py examples in testdata/redispy, want one per type (7)", len(scripts))
	}
	runOnTargets(t, portOf, func(t *testing.T, target string, app, peer int) {
		for _, script := range scripts {
			t.Run(strings.TrimSuffix(filepath.Base(script), ".py"), func(t *testing.T) {
				runRedisPy(t, python, script, app, peer, target+":")
			})
		}
	})
}

// runRedisPy runs one example script with the app and peer ports and the
// key prefix, and fails the test with its output when it exits non-zero.
func runRedisPy(t *testing.T, python, script string, app, peer int, prefix string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, filepath.Base(script), strconv.Itoa(app), strconv.Itoa(peer), prefix)
	cmd.Dir = filepath.Dir(script)
	cmd.Env = append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("python3 %s %d %d %s: %v\n%s", script, app, peer, prefix, err, out)
	}
}

// needRedisPy returns a python3 that can import redis (Debian's
// python3-redis), skipping the test when there is none, or failing it
// when the CI environment variable is set. Debian's package installs for
// the system interpreter, which a version manager's python3 earlier on
// PATH may hide, so that one is tried too.
func needRedisPy(t *testing.T) string {
	t.Helper()
	var tried []string
	for _, candidate := range []string{"python3", "/usr/bin/python3"} {
		path, err := exec.LookPath(candidate)
		if err != nil {
			tried = append(tried, candidate+": "+err.Error())
			continue
		}
		out, err := exec.Command(path, "-c", "import redis").CombinedOutput()
		if err == nil {
			return path
		}
		tried = append(tried, path+": "+strings.TrimSpace(string(out)))
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("no python3 with the redis module (Debian package python3-redis), and CI is set:\n%s", strings.Join(tried, "\n"))
	}
	t.Skipf("no python3 with the redis module (Debian package python3-redis):\n%s", strings.Join(tried, "\n"))
	return ""
}
