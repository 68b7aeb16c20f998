//go:build !unix

package raftlog

import (
	"os"
	"path/filepath"
)

// lockFile marks the directory as a member's; without flock nothing stops
// a second process (bbolt's own file lock still guards the BoltDB store).
const lockFile = "LOCK"

func lockDir(dir string) (*os.File, error) {
	return os.OpenFile(filepath.Join(dir, lockFile), os.O_RDWR|os.O_CREATE, 0o644)
}
