package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"
)

// joinCluster asks the members listed in --join, in turn, to add this node,
// until one accepts or ctx ends. A member that is not the leader passes the
// request on; a node that already belongs is told OK (once the
// configuration that holds it is committed). With --bootstrap-expect, each
// round that finds no cluster to join also tells every --join node that
// this one exists (POST /notify), so that they bootstrap one together once
// enough know each other; the next round then joins it, which records
// this node's client address.
func joinCluster(ctx context.Context, cfg *config, redisAddr, raftAddr string, logger *slog.Logger) error {
	body, err := json.Marshal(map[string]string{"id": cfg.id, "raft_addr": raftAddr, "redis_addr": redisAddr})
	if err != nil {
		return err
	}
	notice, err := json.Marshal(map[string]string{"id": cfg.id, "raft_addr": raftAddr})
	if err != nil {
		return err
	}
	client := &http.Client{Timeout: cfg.applyTimeout + 5*time.Second}
	deadline := time.Now().Add(5 * time.Minute)
	for attempt := 0; ; attempt++ {
		for _, addr := range cfg.join {
			err = postJSON(ctx, client, addr, "/join", body, cfg.clusterSecret)
			if err == nil {
				logger.Info("joined cluster", "via", addr)
				return nil
			}
			logger.Warn("join attempt failed", "via", addr, "err", err)
		}
		if cfg.bootstrapExpect > 1 {
			for _, addr := range cfg.join {
				if nerr := postJSON(ctx, client, addr, "/notify", notice, cfg.clusterSecret); nerr != nil {
					logger.Debug("notify failed", "to", addr, "err", nerr)
				}
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("could not join through %v: %w", cfg.join, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(min(time.Second<<min(attempt, 3), 5*time.Second)):
		}
	}
}

// postJSON posts body to path on the member at addr, with the cluster
// secret if there is one.
func postJSON(ctx context.Context, client *http.Client, addr, path string, body []byte, secret string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+addr+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set("Authorization", "Bearer "+secret)
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", resp.Status, bytes.TrimSpace(msg))
	}
	return nil
}
