package cli

import (
	"errors"
	"fmt"

	"github.com/wp403/wp403/internal/diagnose"
	"github.com/wp403/wp403/internal/record"
)

// Exit codes.
const (
	ExitOK      = 0
	ExitError   = 1
	ExitUsage   = 2
	ExitRefusal = 3
	// ExitInterrupted is the shell's code for SIGINT (128+2): the run was
	// cancelled and the report is partial.
	ExitInterrupted = 130
)

// errRefusal is returned by a command that ran correctly and found a
// refusal (diagnose) or drift (check).
var errRefusal = errors.New("refusal found")

// errInterrupted is returned when the run was cancelled (Ctrl-C) after a
// partial report was written.
var errInterrupted = errors.New("interrupted: the report above is partial")

// problemError is a run that could not diagnose the site (nothing
// answered, not WordPress): the report says what was found; exit 1.
type problemError struct{ summary string }

func (e problemError) Error() string { return e.summary }

// outcome maps a finished report to the command's error: interrupted
// first, then a problem, then refusals.
func outcome(rep *record.Report) error {
	switch {
	case rep.Interrupted:
		return errInterrupted
	case rep.Problem != nil:
		return problemError{rep.Problem.Summary}
	case rep.Refusals() > 0:
		return errRefusal
	}
	return nil
}

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
	case errors.Is(err, errInterrupted):
		return ExitInterrupted
	case errors.As(err, &ue):
		return ExitUsage
	default:
		return ExitError
	}
}

// AbortNote is what a second Ctrl-C prints before exiting at once: what
// --write may have left on the site, so the user can remove it.
func AbortNote() string {
	left := diagnose.LeftBehind()
	if len(left) == 0 {
		return "wp403: interrupted again: exiting now"
	}
	s := "wp403: interrupted again: exiting now without cleanup; these may be left on the site (delete them by hand):"
	for _, w := range left {
		s += "\n  " + w
	}
	return s
}
