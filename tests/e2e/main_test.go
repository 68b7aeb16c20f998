package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/raftis/raftis/internal/testredis"
)

// raftisBin is the binary TestMain builds from this checkout.
var raftisBin string

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "raftis-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	raftisBin = filepath.Join(dir, "raftis")
	build := exec.Command(goTool(), "build", "-o", raftisBin, "github.com/raftis/raftis/cmd/raftis")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: building cmd/raftis:", err)
		return 1
	}
	return m.Run()
}

// goTool is the go command: the one on PATH, else the one in GOROOT.
func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	if root := os.Getenv("GOROOT"); root != "" {
		return filepath.Join(root, "bin", "go")
	}
	return "go"
}

// needTools skips the test when one of tools is not installed, or fails it
// when the CI environment variable is set: CI must run every test.
func needTools(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		testredis.Need(t, tool)
	}
}
