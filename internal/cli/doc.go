// Package cli owns the command line: it parses flags into one options
// struct per subcommand, wires IO streams and the environment (all
// injectable for tests), runs the subcommand and maps its error to an exit
// code. It holds no diagnosis logic of its own.
//
// Exit codes: 0 no refusal found, 3 refusal (or policy drift) found,
// 2 usage error, 1 any other error.
package cli
