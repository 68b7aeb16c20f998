// Package ranked is an ordered set with order statistics and O(1)
// copy-on-write clones: a B-tree whose inner nodes keep, for every child,
// the number of items below it.
//
// # Why it exists
//
// Sorted sets, sets and hashes in their large encodings need an ordered
// collection that answers both "which item is at position i" (ZRANGE by
// index, a random pick by position) and "at which position is this item"
// (ZRANK, ZCOUNT) in O(log n). A Raft snapshot captures the data set by
// cloning it and streams the clone to disk on another goroutine while the
// state machine keeps changing the live copy; the clone must therefore be
// O(1), and the live copy must not stop for O(n) afterwards. General
// purpose B-trees offer clones and item-at-position, but not the position of
// an item.
//
// # Ownership
//
// Every tree and every node carries an ownership id (isoid) drawn from one
// process-wide counter. A tree changes only the nodes whose id is its own.
// Before it changes any other node (one it shares with a clone) it copies
// that node, stamps the copy with its own id and links the copy into the
// parent, which it already owns because writes walk down from the root
// (path copying). Clone gives both the tree and the clone fresh ids, so
// afterwards neither owns a single node and each copies a node on its first
// write to it. Nodes are never written after they become shared, so one
// goroutine may read a clone while another changes the original, without
// locks.
//
// # Layout and fill
//
// Items are stored by value in fixed arrays of 62 items; the last
// slot is spare room for the one item a node may overflow by in the middle
// of an insert. Inner nodes point to a separate block of child pointers and
// subtree counts, so leaves (nearly all nodes) carry no child arrays. A node
// that overflows first shares items with a sibling that has room, and only
// when its neighbours are full splits two nodes into three (as B*-trees do),
// so random inserts leave leaves about 85% full. Items appended at
// either end of the tree fill the neighbouring node completely before
// splitting, and Load builds full nodes, so ordered loads use nearly every
// slot.
//
// A Tree is not safe for concurrent use: readers may share a tree that
// nobody changes, and a writer needs exclusive access. Clone is a write.
// Iterators must not be used while their own tree changes.
package ranked
