package diagnose

import (
	"sort"
	"sync"
)

// pending lists what this process may leave on a site if it stops now:
// creates in flight or unanswered, and items created and not yet deleted.
// A second Ctrl-C exits at once and prints it (see LeftBehind).
var pending = &pendingSet{items: map[int]string{}}

type pendingSet struct {
	mu    sync.Mutex
	next  int
	items map[int]string
}

// add notes one thing and returns the function that clears it.
func (p *pendingSet) add(what string) func() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.next++
	id := p.next
	p.items[id] = what
	return func() {
		p.mu.Lock()
		delete(p.items, id)
		p.mu.Unlock()
	}
}

// LeftBehind lists what --write may have left on the site if the process
// exits now, in the order it was noted.
func LeftBehind() []string {
	pending.mu.Lock()
	defer pending.mu.Unlock()
	ids := make([]int, 0, len(pending.items))
	for id := range pending.items {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = pending.items[id]
	}
	return out
}
