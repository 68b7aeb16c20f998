package server

import (
	"testing"

	"github.com/hashicorp/raft"
	"github.com/tidwall/redcon"

	"github.com/raftis/raftis/fsm"
)

// BenchmarkHandlePipelinedGet is the server's own cost of a pipeline of
// GETs, without the network: dispatch, the read, its statistics and the
// reply, through the same handler redcon calls. One op is one GET.
func BenchmarkHandlePipelinedGet(b *testing.B) {
	data := fsm.New()
	set := fsm.Entry{Type: fsm.EntryCommands, Time: 1, Cmds: []fsm.Cmd{{Args: [][]byte{[]byte("SET"), []byte("k"), []byte("abcdefgh")}}}}
	data.Apply(&raft.Log{Index: 1, Type: raft.LogCommand, Data: set.Encode(nil)})
	s := New(Config{ID: "n1", RedisAddr: "127.0.0.1:0"}, nil, data)
	conn := &fakeConn{}
	if !s.accept(conn) {
		b.Fatal("connection refused")
	}
	const pipeline = 64
	cmds := make([]redcon.Command, pipeline)
	for i := range cmds {
		cmds[i] = redcon.Command{Args: [][]byte{[]byte("GET"), []byte("k")}}
	}
	want := len("$8\r\nabcdefgh\r\n") * pipeline
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i += pipeline {
		conn.out = conn.out[:0]
		conn.pipeline = cmds[1:]
		s.handle(conn, cmds[0])
		if len(conn.out) != want {
			b.Fatalf("replies %q", conn.out)
		}
	}
}

// fakeConn is a redcon.Conn that keeps what is written (the methods a
// GET pipeline does not use are left to the nil embedded Conn).
type fakeConn struct {
	redcon.Conn
	out      []byte
	pipeline []redcon.Command
	ctx      interface{}
}

func (c *fakeConn) RemoteAddr() string       { return "127.0.0.1:1" }
func (c *fakeConn) WriteError(msg string)    { c.out = redcon.AppendError(c.out, msg) }
func (c *fakeConn) WriteRaw(data []byte)     { c.out = append(c.out, data...) }
func (c *fakeConn) Context() interface{}     { return c.ctx }
func (c *fakeConn) SetContext(v interface{}) { c.ctx = v }
func (c *fakeConn) ReadPipeline() []redcon.Command {
	p := c.pipeline
	c.pipeline = nil
	return p
}
