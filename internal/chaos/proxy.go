package chaos

import (
	"net"
	"sync"
	"time"
)

// proxy forwards the connections made to one node's advertised Raft
// address to its real listener, asking the network whether each may pass.
type proxy struct {
	dst    int // index of the node it fronts
	target string
	ln     net.Listener
	net    *network
	wg     sync.WaitGroup
}

func newProxy(nw *network, dst int, target string) (*proxy, error) {
	ln, err := listenLoopback()
	if err != nil {
		return nil, err
	}
	p := &proxy{dst: dst, target: target, ln: ln, net: nw}
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

// addr is the address peers dial: the node's --raft-advertise.
func (p *proxy) addr() string { return p.ln.Addr().String() }

func (p *proxy) close() {
	_ = p.ln.Close()
	p.wg.Wait()
}

func (p *proxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.serve(c)
		}()
	}
}

// serve identifies the connection's source node and forwards it while the
// network lets that source reach this node.
func (p *proxy) serve(in net.Conn) {
	src := p.net.sourceOf(in)
	if p.net.blocked(src, p.dst) {
		_ = in.Close()
		return
	}
	out, err := net.DialTimeout("tcp", p.target, time.Second)
	if err != nil {
		_ = in.Close()
		return
	}
	pc := &proxied{src: src, dst: p.dst, in: in, out: out}
	if !p.net.track(pc) {
		pc.close()
		return
	}
	defer p.net.untrack(pc)
	done := make(chan struct{}, 2)
	go func() { p.pipe(out, in); done <- struct{}{} }()
	go func() { p.pipe(in, out); done <- struct{}{} }()
	<-done
	pc.close()
	<-done
}

// pipe copies from r to w, holding each chunk back for the network's
// current delay into this node.
func (p *proxy) pipe(w, r net.Conn) {
	type chunk struct {
		due  time.Time
		data []byte
	}
	q := make(chan chunk, 256)
	go func() {
		defer close(q)
		for {
			buf := make([]byte, 32<<10)
			n, err := r.Read(buf)
			if n > 0 {
				q <- chunk{due: time.Now().Add(p.net.delayOf(p.dst)), data: buf[:n]}
			}
			if err != nil {
				return
			}
		}
	}()
	for c := range q {
		if d := time.Until(c.due); d > 0 {
			time.Sleep(d)
		}
		if _, err := w.Write(c.data); err != nil {
			_ = r.Close()
			for range q { // drain so the reader ends
			}
			return
		}
	}
	if tc, ok := w.(*net.TCPConn); ok {
		_ = tc.CloseWrite()
	}
}

// proxied is one forwarded connection.
type proxied struct {
	src, dst int
	in, out  net.Conn
	once     sync.Once
}

func (c *proxied) close() {
	c.once.Do(func() {
		_ = c.in.Close()
		_ = c.out.Close()
	})
}

// listenLoopback listens on a free loopback port.
func listenLoopback() (net.Listener, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	return ln, nil
}
