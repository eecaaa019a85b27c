//go:build !linux

package signature

// threadCPU is not measured outside Linux.
func threadCPU() int64 { return -1 }
