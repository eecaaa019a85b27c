package signature

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// condKind orders conditions from cheapest to dearest to evaluate.
type condKind int

const (
	condCode condKind = iota
	condHeader
	condCookie
	condContains
	condMessage
	condIContains
	condMarkup
	condBody
)

// cond is a compiled Cond.
type cond struct {
	kind   condKind
	name   string // lower-case header name or cookie prefix, or the WP_Error code
	lit    int32  // literal id of contains and icontains
	re     *regexp.Regexp
	pre    *prefilter // literals a body regex needs, checked first
	marker string     // how the marker is shown to the user
}

// compiled is a compiled Signature.
type compiled struct {
	sig      *Signature
	status   *statusSet
	all      []cond
	any      []cond
	none     []cond
	incident *regexp.Regexp
	incHdr   string
	// wpBased is true when a condition reads the WP_Error code or
	// message; other refusal signatures never fire on REST JSON.
	wpBased bool
	// phrases is true for a refusal signature that reads the body: the
	// body proves the refusal only where phrasesCount allows.
	phrases bool
	// markup is true for a refusal signature with a markup condition:
	// it counts only where markupCounts allows.
	markup bool
	// code is the WP_Error code an all-of condition requires, if any:
	// the database only evaluates the signature when the body has it.
	code string
}

// statusSet is a bitset of HTTP statuses 0-1023.
type statusSet [16]uint64

func (s *statusSet) add(st int) { s[st>>6&15] |= 1 << (st & 63) }

func (s *statusSet) has(st int) bool {
	return st >= 0 && st < 1024 && s[st>>6]&(1<<(st&63)) != 0
}

func compile(s *Signature, ls *litScanner) (*compiled, error) {
	c := &compiled{sig: s}
	if len(s.Status) > 0 {
		c.status = &statusSet{}
		for _, st := range s.Status {
			c.status.add(st)
		}
	}
	var err error
	if c.all, err = compileConds(s.All, "all", ls); err != nil {
		return nil, err
	}
	if c.any, err = compileConds(s.Any, "any", ls); err != nil {
		return nil, err
	}
	if c.none, err = compileConds(s.None, "none", ls); err != nil {
		return nil, err
	}
	for _, x := range append(append([]cond{}, c.all...), c.any...) {
		c.wpBased = c.wpBased || x.kind == condCode || x.kind == condMessage
	}
	for _, x := range append(append([]cond{}, c.all...), c.any...) {
		c.phrases = c.phrases || s.Kind == record.KindRefusal && x.readsBody()
		c.markup = c.markup || s.Kind == record.KindRefusal && x.kind == condMarkup
	}
	for _, x := range c.all {
		if x.kind == condCode {
			c.code = x.name
		}
	}
	if s.Incident != nil {
		if err := c.compileIncident(s.Incident); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func (c *compiled) compileIncident(x *Extract) error {
	if x.Header == "" && x.Regex == "" {
		return errors.New("incident: needs header or regex")
	}
	c.incHdr = strings.ToLower(x.Header)
	if x.Regex == "" {
		return nil
	}
	re, err := regexp.Compile(x.Regex)
	if err != nil {
		return fmt.Errorf("incident regex: %w", err)
	}
	if re.NumSubexp() < 1 {
		return errors.New("incident regex needs a capture group")
	}
	c.incident = re
	return nil
}

func compileConds(in []Cond, group string, ls *litScanner) ([]cond, error) {
	out := make([]cond, 0, len(in))
	for i, x := range in {
		c, err := compileCond(x, ls)
		if err != nil {
			return nil, fmt.Errorf("%s[%d]: %w", group, i, err)
		}
		out = append(out, c)
	}
	// Cheap conditions first, so an all-of group fails early.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].kind < out[j-1].kind; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out, nil
}

func compileCond(x Cond, ls *litScanner) (cond, error) {
	set := 0
	for _, v := range []string{x.Header, x.Cookie, x.Body, x.Contains, x.IContains, x.Markup, x.Code, x.Message} {
		if v != "" {
			set++
		}
	}
	if set != 1 {
		return cond{}, errors.New("a condition sets exactly one of header, cookie, body, contains, icontains, markup, code, message")
	}
	if x.Value != "" && x.Header == "" {
		return cond{}, errors.New("value needs header")
	}
	switch {
	case x.Header != "":
		return headerCond(x)
	case x.Cookie != "":
		return cond{kind: condCookie, name: strings.ToLower(x.Cookie), marker: "cookie " + x.Cookie + "*"}, nil
	case x.Contains != "":
		return cond{kind: condContains, lit: ls.add(normText(x.Contains), true), marker: fmt.Sprintf("body %q", x.Contains)}, nil
	case x.IContains != "":
		return cond{kind: condIContains, lit: ls.add(normText(x.IContains), true), marker: fmt.Sprintf("body %q (any case)", x.IContains)}, nil
	case x.Markup != "":
		if !strings.ContainsAny(x.Markup, `<>"'=`) {
			return cond{}, fmt.Errorf("markup %q has no markup character (<, >, quote, =): a page quoting it would match too", x.Markup)
		}
		return cond{kind: condMarkup, name: x.Markup, marker: fmt.Sprintf("markup %q", x.Markup)}, nil
	case x.Code != "":
		return cond{kind: condCode, name: x.Code, marker: "wp_error code " + x.Code}, nil
	case x.Message != "":
		re, err := regexp.Compile(x.Message)
		if err != nil {
			return cond{}, fmt.Errorf("message regex: %w", err)
		}
		return cond{kind: condMessage, re: re, marker: "wp_error message /" + x.Message + "/"}, nil
	}
	re, err := regexp.Compile(x.Body)
	if err != nil {
		return cond{}, fmt.Errorf("body regex: %w", err)
	}
	return cond{kind: condBody, re: re, pre: newPrefilter(x.Body, ls), marker: "body /" + x.Body + "/"}, nil
}

func headerCond(x Cond) (cond, error) {
	c := cond{kind: condHeader, name: strings.ToLower(strings.TrimSpace(x.Header))}
	if strings.ContainsAny(c.name, " :\r\n") {
		return cond{}, fmt.Errorf("header name %q is not valid", x.Header)
	}
	c.marker = "header " + c.name
	if x.Value != "" {
		re, err := regexp.Compile(x.Value)
		if err != nil {
			return cond{}, fmt.Errorf("header %s value regex: %w", x.Header, err)
		}
		c.re = re
	}
	return c, nil
}

// mechanism returns the signature's mechanism for this status.
func (c *compiled) mechanism(status int) record.Mechanism {
	if m, ok := c.sig.MechanismByStatus[status]; ok {
		return m
	}
	return c.sig.Mechanism
}
