// Package cli owns the command line: it parses flags into one options
// struct per subcommand, wires IO streams and the environment (all
// injectable for tests), runs the subcommand and maps its error to an exit
// code. It holds no diagnosis logic of its own.
//
// Exit codes (exit.go): 0 no refusal found, 3 refusal (or policy drift)
// found, 2 usage error (a bad flag or input, with a one-line reason), 1 the
// site could not be diagnosed or another error, 130 interrupted. 'wp403
// demo' exits 0 whenever the demonstration ran.
//
// Every command follows one output rule (output.go): --format wins, else
// the extension of -o FILE, else text; -o files are written atomically.
// Repeatable flags take each value whole (parser.go). Progress goes to
// standard error only on a terminal and never with --quiet (progress.go).
// Shell completion and the man page are generated from the kong model
// (cmdspec.go), so they cannot drift from the flags.
package cli
