package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/raftis/raftis/fsm"
)

// errForwardNotSent: the forwarded write never reached the leader (dialing
// failed), so retrying cannot apply it twice.
var errForwardNotSent = errors.New("forward: leader unreachable")

// forwarder sends a follower's writes to the leader. It keeps one pooled
// Redis client per leader address; the leader runs them as one entry with
// RAFT FORWARD and answers with the entry's index, the raw replies and its
// term (a leader before the term was added answers without it).
type forwarder struct {
	timeout time.Duration
	secret  string // the cluster secret, presented on every new connection
	mu      sync.Mutex
	clients map[string]*redis.Client
}

func newForwarder(timeout time.Duration, secret string) *forwarder {
	return &forwarder{timeout: timeout, secret: secret, clients: make(map[string]*redis.Client)}
}

func (f *forwarder) client(addr string) *redis.Client {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.clients[addr]
	if !ok {
		c = redis.NewClient(&redis.Options{
			Addr:            addr,
			Protocol:        2,
			DisableIdentity: true,
			PoolSize:        64,
			MaxRetries:      -1, // a retried write could apply twice
			DialTimeout:     time.Second,
			ReadTimeout:     f.timeout + time.Second,
			WriteTimeout:    f.timeout,
			OnConnect:       f.onConnect,
		})
		f.clients[addr] = c
	}
	return c
}

// onConnect presents the cluster secret on a new connection to a member.
func (f *forwarder) onConnect(ctx context.Context, cn *redis.Conn) error {
	if f.secret == "" {
		return nil
	}
	return cn.Do(ctx, "raft", "auth", f.secret).Err()
}

// forward runs cmds on the leader at addr as one log entry. Its errors say
// what the attempt did (writeerrors.go): errForwardNotSent or a retryable
// reply of the leader's when nothing was written, the leader's error reply
// otherwise, or a connection error after the write was sent (outcome
// unknown).
func (f *forwarder) forward(ctx context.Context, addr string, cmds []fsm.Cmd) (at position, replies []byte, err error) {
	e := fsm.Entry{Type: fsm.EntryCommands, Cmds: cmds}
	blob := e.Encode(make([]byte, 0, e.SizeHint()))
	res, err := f.client(addr).Do(ctx, "raft", "forward", blob).Slice()
	if err != nil {
		return at, nil, classifyForwardErr(err)
	}
	bad := fmt.Errorf("forward: unexpected reply %v", res)
	if len(res) != 2 && len(res) != 3 {
		return at, nil, bad
	}
	idx, ok1 := res[0].(int64)
	raw, ok2 := res[1].(string)
	if !ok1 || !ok2 || idx <= 0 {
		return at, nil, bad
	}
	at.index = uint64(idx)
	if len(res) == 3 {
		term, ok := res[2].(int64)
		if !ok || term <= 0 {
			return at, nil, bad
		}
		at.term = uint64(term)
	}
	return at, []byte(raw), nil
}

// call runs an admin command on the leader at addr and returns its reply.
func (f *forwarder) call(ctx context.Context, addr string, args ...interface{}) (interface{}, error) {
	res, err := f.client(addr).Do(ctx, args...).Result()
	if err != nil {
		return nil, classifyForwardErr(err)
	}
	return res, nil
}

func classifyForwardErr(err error) error {
	var rerr redis.Error
	if errors.As(err, &rerr) && !errors.Is(err, redis.Nil) {
		return peerReplyError(err.Error())
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return fmt.Errorf("%w: %w", errForwardNotSent, err)
	}
	return err
}

func (f *forwarder) close() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for addr, c := range f.clients {
		_ = c.Close()
		delete(f.clients, addr)
	}
}
