package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tidwall/redcon"

	"github.com/raftis/raftis/fsm"
	"github.com/raftis/raftis/raftlog"
)

// Server serves RESP and HTTP for one raftis node.
type Server struct {
	cfg         Config
	node        *raftlog.Node
	data        *fsm.FSM
	table       *table
	fwd         *forwarder
	readIndexes *readIndexClient // a follower's fresh reads (readindex.go)
	proposer    *proposer
	blocked     *blockRegistry
	boot        *bootstrapper // with Config.BootstrapExpect > 1
	start       time.Time

	resp     *redcon.Server
	respLn   net.Listener
	httpSrv  *http.Server
	httpLn   net.Listener
	sessions sync.Map // conn id → *session

	nextConnID atomic.Int64
	connected  atomic.Int64
	stats      serverStats
	params     runtimeParams // what CONFIG SET changes, besides fsm's limits
	configMu   sync.Mutex    // serializes CONFIG SET
	memoryPeak atomic.Int64  // the highest used_memory seen

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// New builds a server for node and its data set. Start begins serving.
func New(cfg Config, node *raftlog.Node, data *fsm.FSM) *Server {
	cfg.setDefaults()
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{cfg: cfg, node: node, data: data, start: time.Now(), ctx: ctx, cancel: cancel}
	s.table = newTable(fsm.Commands())
	s.params.init(cfg)
	s.fwd = newForwarder(cfg.ApplyTimeout, cfg.ClusterSecret)
	s.readIndexes = &readIndexClient{fwd: s.fwd, timeout: cfg.ApplyTimeout}
	s.proposer = newProposer(func(cmds []fsm.Cmd) (raftlog.Applied, error) {
		return s.propose(fsm.EntryCommands, cmds)
	}, cfg.ApplyTimeout, ctx.Done())
	if cfg.BootstrapExpect > 1 {
		s.boot = newBootstrapper(cfg.BootstrapExpect, raftlog.Server{ID: cfg.ID, RaftAddr: node.RaftAddr(), Suffrage: "Voter"})
	}
	s.blocked = newBlockRegistry(data, s.proposePops)
	data.SetReadyHook(s.blocked.ready)
	return s
}

// Start binds the RESP and HTTP listeners and serves them in the background.
func (s *Server) Start() error {
	var err error
	if s.respLn, err = net.Listen("tcp", s.cfg.RedisAddr); err != nil {
		return fmt.Errorf("listen on %s: %w", s.cfg.RedisAddr, err)
	}
	s.cfg.RedisAddr = s.respLn.Addr().String()
	if s.httpLn, err = net.Listen("tcp", s.cfg.HTTPAddr); err != nil {
		s.respLn.Close()
		return fmt.Errorf("listen on %s: %w", s.cfg.HTTPAddr, err)
	}
	s.cfg.HTTPAddr = s.httpLn.Addr().String()

	s.resp = redcon.NewServer(s.cfg.RedisAddr, s.handle, s.accept, s.closed)
	s.resp.SetProtoMaxBulkLen(s.params.protoMaxBulkLen.Load())
	s.resp.SetFlushVia(s.flush)
	s.httpSrv = &http.Server{Handler: s.httpHandler(), ReadHeaderTimeout: 10 * time.Second}

	s.goBackground(func() {
		if err := s.resp.Serve(s.respLn); err != nil && s.ctx.Err() == nil {
			s.cfg.Logger.Error("RESP server stopped", "err", err)
		}
	})
	s.goBackground(func() {
		if err := s.httpSrv.Serve(s.httpLn); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.cfg.Logger.Error("HTTP server stopped", "err", err)
		}
	})
	for range proposerWorkers {
		s.goBackground(s.proposer.run)
	}
	s.goBackground(func() { s.blocked.run(s.ctx) })
	s.goBackground(s.runExpirySweeps)
	s.goBackground(s.runLeaderDuties)
	// Redis's cron: used_memory sampled for its peak, and idle clients
	// and clients over their output limits closed.
	s.goEvery(100*time.Millisecond, func(time.Time) { s.updateMemoryPeak() })
	s.goEvery(200*time.Millisecond, s.closeClients)
	return nil
}

func (s *Server) goBackground(fn func()) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		fn()
	}()
}

// goEvery runs fn every d in the background until the server stops.
func (s *Server) goEvery(d time.Duration, fn func(now time.Time)) {
	s.goBackground(func() {
		t := time.NewTicker(d)
		defer t.Stop()
		for {
			select {
			case now := <-t.C:
				fn(now)
			case <-s.ctx.Done():
				return
			}
		}
	})
}

// now is the node's wall clock (Config.Clock).
func (s *Server) now() time.Time {
	if s.cfg.Clock != nil {
		return s.cfg.Clock()
	}
	return time.Now()
}

// RedisAddr is the bound RESP address.
func (s *Server) RedisAddr() string { return s.cfg.RedisAddr }

// HTTPAddr is the bound HTTP address.
func (s *Server) HTTPAddr() string { return s.cfg.HTTPAddr }

// Close stops serving: listeners, open connections, background loops and
// forwarding connections. It does not stop the Raft node.
func (s *Server) Close() error {
	s.cancel()
	var errs []error
	if s.resp != nil {
		errs = append(errs, s.resp.Close())
	}
	if s.httpSrv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		errs = append(errs, s.httpSrv.Shutdown(ctx))
		cancel()
	}
	s.wg.Wait()
	s.fwd.close()
	return errors.Join(errs...)
}

// session is the per-connection state. Only the connection's own goroutine
// changes it; mu guards the fields CLIENT LIST reads from other
// connections, and lastCmd is atomic for the same reason.
type session struct {
	id      int64
	addr    string
	laddr   string
	fd      int // the socket's file descriptor, for CLIENT LIST
	created time.Time
	// minIndex is the log index of this connection's last write. Reads on
	// this connection wait until the local copy has applied it.
	minIndex uint64
	readBuf  []byte // reused for read replies
	batch    *batch // reused for each pipeline (batchFor)

	// tap is the connection the batch writes through (statistics); reads
	// and writes are the rows of the data commands resolved and not yet
	// answered, oldest first (see begin).
	tap    replyTap
	reads  []*command
	writes []queuedWrite

	// tx is the connection's MULTI queue and WATCHed keys (txn.go).
	tx txState

	// clusterMember: this connection presented the cluster secret (RAFT
	// AUTH).
	clusterMember bool

	// nc is the client's socket, which the clients cron may close (timeout).
	nc net.Conn
	// lastInteraction is when the client last sent a request (unix ns).
	lastInteraction atomic.Int64
	// blocked: the client waits in a blocking command (no idle timeout).
	blocked atomic.Bool
	// member: the connection made a call between members (RAFT FORWARD
	// and the like; no idle timeout).
	member atomic.Bool
	// outputPending is the size of the replies being written, since
	// outputSince (unix ns); 0 when no write is in progress.
	outputPending, outputSince atomic.Int64

	lastCmd atomic.Pointer[command]
	mu      sync.Mutex
	db      int
	name    string
	level   readLevel // read consistency (RAFT CONSISTENCY)
}

func (sess *session) set(fn func(*session)) {
	sess.mu.Lock()
	fn(sess)
	sess.mu.Unlock()
}

// accept admits a connection unless maxclients are connected already, in
// which case it gets Redis's error and is closed.
func (s *Server) accept(conn redcon.Conn) bool {
	if s.connected.Load() >= s.params.maxClients.Load() {
		s.stats.connsRejected.Add(1)
		conn.WriteError("ERR max number of clients reached")
		return false
	}
	sess := &session{
		id:      s.nextConnID.Add(1),
		addr:    conn.RemoteAddr(),
		laddr:   s.cfg.RedisAddr,
		created: time.Now(),
		level:   readLevel(s.params.readLevel.Load()),
	}
	sess.nc = conn.NetConn()
	if sess.nc != nil {
		sess.laddr = sess.nc.LocalAddr().String()
		sess.fd = socketFD(sess.nc)
	}
	sess.touch()
	sess.tap = replyTap{Conn: conn, sess: sess, stats: &s.stats}
	conn.SetContext(sess)
	s.sessions.Store(sess.id, sess)
	s.connected.Add(1)
	s.stats.connsReceived.Add(1)
	return true
}

func (s *Server) closed(conn redcon.Conn, _ error) {
	if sess, ok := conn.Context().(*session); ok {
		s.sessions.Delete(sess.id)
		s.connected.Add(-1)
	}
}

// handle is redcon's handler. It takes the whole pipeline that arrived with
// cmd so that consecutive writes become one log entry.
func (s *Server) handle(conn redcon.Conn, cmd redcon.Command) {
	sess := conn.Context().(*session)
	sess.touch()
	batch := s.batchFor(&sess.tap, sess)
	batch.add(cmd.Args)
	for _, next := range conn.ReadPipeline() {
		batch.add(next.Args)
	}
	batch.flush()
}
