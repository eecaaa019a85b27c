package record

// BrowserRun is the real business path as one headless browser walked it
// at one vantage point (wp403 retest --browser): log in, open the block
// editor, type, save a draft, upload an image, clean up.
type BrowserRun struct {
	Vantage Vantage       `json:"vantage"`
	Pass    bool          `json:"pass"`
	Steps   []BrowserStep `json:"steps"`
	// Notice is what the editor showed after saving ("Draft saved.",
	// "Updating failed. …"), as the user saw it.
	Notice string `json:"notice,omitempty"`
	// Screenshot is the editor after saving, as a data: URI (JPEG).
	Screenshot string   `json:"screenshot,omitempty"`
	Deleted    []string `json:"deleted,omitempty"` // what cleanup deleted ("post 12")
	Left       []string `json:"left,omitempty"`    // what may be left on the site
	Dropped    int      `json:"dropped,omitempty"` // requests past the recording limit
}

// BrowserStep is one step of a browser walk.
type BrowserStep struct {
	Name   string  `json:"name"`
	Pass   bool    `json:"pass"`
	Detail string  `json:"detail,omitempty"`
	MS     float64 `json:"ms"`
}
