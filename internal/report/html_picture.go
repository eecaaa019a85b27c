package report

import (
	"crypto/sha256"
	"encoding/base64"
	"html/template"

	"github.com/wp403/wp403/internal/record"
)

// The layer path is drawn as an SVG strip of pills, one per hop, with the
// stopping layer filled and the hops after it dashed. The geometry is
// computed here so that the template only places numbers.
const (
	svgHopWidth = 96
	svgHopGap   = 26
	svgHeight   = 44
)

// htmlSVG is one layer-path picture.
type htmlSVG struct {
	Width int
	Stop  string
	Hops  []svgHop
}

type svgHop struct {
	Name, State    string
	X, TextX       int
	LineX1, LineX2 int    // the arrow to the next hop; 0 for the last
	Line           string // the arrow's state: passed, or ahead after the stop
}

// pathSVG lays out the hops of one finding; nil when there is no path.
func pathSVG(hops []htmlHop) *htmlSVG {
	if len(hops) == 0 {
		return nil
	}
	s := &htmlSVG{Width: len(hops)*svgHopWidth + (len(hops)-1)*svgHopGap + 2}
	for i, h := range hops {
		x := 1 + i*(svgHopWidth+svgHopGap)
		hop := svgHop{Name: h.Name, State: h.State, X: x, TextX: x + svgHopWidth/2}
		if i < len(hops)-1 {
			hop.LineX1, hop.LineX2 = x+svgHopWidth+3, x+svgHopWidth+svgHopGap-5
			hop.Line = "ahead"
			if h.State == "passed" {
				hop.Line = "passed"
			}
		}
		if h.State == "stop" {
			s.Stop = h.Name
		}
		s.Hops = append(s.Hops, hop)
	}
	return s
}

// htmlGrid is the status grid as the template reads it.
type htmlGrid struct {
	Cols []string
	Rows []gridRow
}

func gridHTML(rep *record.Report, f *record.Finding) *htmlGrid {
	return toHTMLGrid(gridFor(rep, f))
}

// sideGrid is the grid of one side of a comparison: drawn even with one
// cell, since the other side is what it is compared with.
func sideGrid(rep *record.Report, f *record.Finding) *htmlGrid {
	if g := buildGrid(rep, f); len(g.Rows) > 0 {
		return toHTMLGrid(g)
	}
	return nil
}

func toHTMLGrid(g *statusGrid) *htmlGrid {
	if g == nil {
		return nil
	}
	out := &htmlGrid{Rows: g.Rows}
	for _, c := range g.Cols {
		out.Cols = append(out.Cols, string(c))
	}
	return out
}

// copyScript is the page's only script: a copy button beside every
// snippet. It is allowed by its hash in the Content-Security-Policy, so
// the page still runs nothing else and fetches nothing.
const copyScript = `document.addEventListener('click', function (e) {
  var b = e.target.closest && e.target.closest('button.copy');
  if (!b) { return; }
  var code = b.parentElement.querySelector('pre code');
  if (!code) { return; }
  var done = function () { b.textContent = 'Copied'; setTimeout(function () { b.textContent = 'Copy'; }, 1500); };
  var fallback = function () {
    var r = document.createRange(); r.selectNodeContents(code);
    var s = window.getSelection(); s.removeAllRanges(); s.addRange(r);
    try { document.execCommand('copy'); done(); } catch (err) { b.textContent = 'Select and copy'; }
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(code.textContent).then(done, fallback);
  } else {
    fallback();
  }
});`

// contentSecurityPolicy forbids every fetch and every script but the copy
// script above.
var contentSecurityPolicy = func() string {
	sum := sha256.Sum256([]byte(copyScript))
	return "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-" +
		base64.StdEncoding.EncodeToString(sum[:]) + "'; base-uri 'none'; form-action 'none'"
}()

// htmlPage is what every HTML page shares: its policy and its script.
type htmlPage struct {
	CSP    string
	Script template.JS
	Style  template.CSS // what a page adds to the shared style
}

var pageAssets = htmlPage{CSP: contentSecurityPolicy, Script: template.JS(copyScript)}
