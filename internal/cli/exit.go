package cli

import (
	"errors"
	"fmt"
)

// Exit codes.
const (
	ExitOK      = 0
	ExitError   = 1
	ExitUsage   = 2
	ExitRefusal = 3
)

// errRefusal is returned by a command that ran correctly and found a
// refusal (diagnose) or drift (check).
var errRefusal = errors.New("refusal found")

// usageError marks an error the user can fix by changing the command line.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// usagef builds a usageError.
func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// exitCode maps a command's error to the process exit code.
func exitCode(err error) int {
	var ue usageError
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, errRefusal):
		return ExitRefusal
	case errors.As(err, &ue):
		return ExitUsage
	default:
		return ExitError
	}
}
