package signature

import "syscall"

// threadCPU returns the CPU time the calling OS thread has used, in ns,
// so benchmarks can report CPU per op on a machine shared with others.
func threadCPU() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru) != nil {
		return -1
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
