// Package testcluster starts real raftis nodes inside a test: real Raft on
// real TCP (127.0.0.1, ports picked by the kernel), real log stores in
// t.TempDir(), real RESP and HTTP servers. Nodes join through the HTTP
// endpoint as an operator's would. It also holds Poll, the bounded
// wait-for-condition every test uses instead of sleeping.
package testcluster
