package cli

import (
	"fmt"
	"io"
	"strings"
)

type manCmd struct{}

// Run prints wp403(1) in roff, generated from the command tree.
func (manCmd) Run(rc *runContext) error {
	cmds, err := specs()
	if err != nil {
		return err
	}
	_, err = io.WriteString(rc.io.Out, manPage(cmds))
	return err
}

// manPage renders the man page: every command with its arguments and
// flags, the exit codes and the environment.
func manPage(cmds []cmdSpec) string {
	var b strings.Builder
	fmt.Fprintf(&b, ".TH WP403 1 \"\" \"wp403 %s\" \"User Commands\"\n", roff(version))
	b.WriteString(".SH NAME\nwp403 \\- which layer refused a WordPress REST API request, why, and the narrowest fix\n")
	b.WriteString(".SH SYNOPSIS\n.B wp403\n.I command\n[\\fIflags\\fR] [\\fIarguments\\fR]\n")
	b.WriteString(".SH DESCRIPTION\n" + roff(cmds[0].help) + "\n")
	if cmds[0].detail != "" {
		b.WriteString(".PP\n" + roff(cmds[0].detail) + "\n")
	}
	b.WriteString(".SH GLOBAL FLAGS\n")
	for _, f := range cmds[0].flags {
		manFlag(&b, f)
	}
	b.WriteString(".SH COMMANDS\n")
	for _, c := range cmds[1:] {
		if len(c.subs) > 0 && len(c.flags) == 0 {
			continue // a group such as 'waf': its commands follow
		}
		manCommand(&b, c)
	}
	b.WriteString(manTail)
	return b.String()
}

func manCommand(b *strings.Builder, c cmdSpec) {
	fmt.Fprintf(b, ".SS \"wp403 %s", roff(c.path))
	for _, a := range c.args {
		fmt.Fprintf(b, " %s", roff(a.name))
	}
	b.WriteString("\"\n" + roff(c.help) + "\n")
	if c.detail != "" {
		b.WriteString(".PP\n" + roff(c.detail) + "\n")
	}
	for _, a := range c.args {
		fmt.Fprintf(b, ".TP\n.I %s\n%s\n", roff(a.name), roff(a.help))
	}
	for _, f := range c.flags {
		manFlag(b, f)
	}
}

func manFlag(b *strings.Builder, f flagSpec) {
	b.WriteString(".TP\n")
	if f.short != 0 {
		fmt.Fprintf(b, "\\fB\\-%c\\fR, ", f.short)
	}
	fmt.Fprintf(b, "\\fB\\-\\-%s\\fR", roff(f.long))
	if f.value {
		ph := f.placeholder
		if ph == "" {
			ph = strings.ToUpper(f.long)
		}
		fmt.Fprintf(b, " \\fI%s\\fR", roff(ph))
	}
	b.WriteString("\n" + roff(f.help) + "\n")
}

// roff escapes text for a roff line: backslashes, hyphens of flags, and
// a leading dot or quote that would make it a request.
func roff(s string) string {
	s = strings.ReplaceAll(s, `\`, `\e`)
	s = strings.ReplaceAll(s, "-", `\-`)
	s = strings.ReplaceAll(s, "\n", " ")
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		s = `\&` + s
	}
	return s
}

const manTail = `.SH EXIT STATUS
.TP
.B 0
No refusal found (demo: the demonstration ran).
.TP
.B 3
A refusal was diagnosed, a policy drifted, or B is worse than A (diff).
.TP
.B 2
Usage error: a bad flag or input; one line says what was expected.
.TP
.B 1
The site could not be diagnosed (nothing answered, or it is not WordPress; the report says what answered),
or another error.
.TP
.B 130
Interrupted (Ctrl\-C); the partial report is written, marked interrupted.
.SH ENVIRONMENT
.TP
.B WP403_APP_PASSWORD
The application password, when \-\-app\-password\-file is not given.
.TP
.B WP403_PASSWORD
The login password, when \-\-password\-file is not given.
.TP
.BR HTTPS_PROXY ", " HTTP_PROXY ", " NO_PROXY
Proxy for edge probes, as curl reads them; origin probes never use it.
.TP
.B NO_COLOR
No colour in text output.
.SH SECURITY
Secrets (application passwords, passwords, cookies, nonces) are never printed, logged or written to a
report or capture; credentials are sent only to the target host and never across a redirect.
.SH SEE ALSO
.BR curl (1)
`
