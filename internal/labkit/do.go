package labkit

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Do performs one truth request at a vantage ("edge", "origin", "nginx" or
// "apache") and returns the response with its body read (capped at BodyCap).
// A failing authentication step (login, rest-nonce) is returned as that
// step's response with StepHeader set. Writes are cleaned up afterwards.
func (l *Lab) Do(ctx context.Context, vantage string, r TruthRequest) (*http.Response, error) {
	addr, err := l.Addr(vantage)
	if err != nil {
		return nil, err
	}
	c, err := l.client(addr)
	if err != nil {
		return nil, err
	}
	route, err := l.Expand(ctx, r)
	if err != nil {
		return nil, err
	}
	if isWrite(r.Method) {
		defer l.Cleanup(ctx)
	}
	n := max(r.Repeat, 1)
	var resp *http.Response
	for i := 0; i < n; i++ {
		if resp, err = l.doOnce(ctx, c, r, route); err != nil {
			return nil, err
		}
	}
	return resp, nil
}

func (l *Lab) doOnce(ctx context.Context, c *vantageClient, r TruthRequest, route string) (*http.Response, error) {
	body, ctype, err := l.body(r)
	if err != nil {
		return nil, err
	}
	req, err := l.newRequest(ctx, r.Method, l.URL(r, route), body)
	if err != nil {
		return nil, err
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if strings.HasPrefix(ctype, "image/") {
		req.Header.Set("Content-Disposition", `attachment; filename="wp403-lab-upload.jpg"`)
	}
	if r.UserAgent != "" {
		req.Header.Set("User-Agent", r.UserAgent)
	}
	for k, v := range r.Headers {
		req.Header.Set(k, v)
	}
	if err := l.authorize(ctx, c, r, req); err != nil {
		var se *stepError
		if errors.As(err, &se) {
			se.resp.Header.Set(StepHeader, se.step)
			return se.resp, nil
		}
		return nil, err
	}
	if r.Finish != nil {
		r.Finish(req, body)
	}
	resp, _, err := c.send(req)
	return resp, err
}

// body loads the request body from lab/bodies and picks its content type.
func (l *Lab) body(r TruthRequest) ([]byte, string, error) {
	if r.Body == "" {
		return nil, r.ContentType, nil
	}
	data, err := os.ReadFile(filepath.Join(l.dir, "bodies", r.Body))
	if err != nil {
		return nil, "", fmt.Errorf("read body: %w", err)
	}
	ctype := r.ContentType
	if ctype == "" {
		switch filepath.Ext(r.Body) {
		case ".json":
			ctype = "application/json"
		case ".jpg":
			ctype = "image/jpeg"
		default:
			ctype = "application/octet-stream"
		}
	}
	if ctype == "multipart/form-data" {
		return multipartBody(data)
	}
	return data, ctype, nil
}

// multipartBody wraps a file as the "file" field of a multipart form, as the media library does.
func multipartBody(data []byte) ([]byte, string, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="wp403-lab-upload.jpg"`)
	h.Set("Content-Type", "image/jpeg")
	part, err := w.CreatePart(h)
	if err != nil {
		return nil, "", fmt.Errorf("multipart: %w", err)
	}
	if _, err := part.Write(data); err != nil {
		return nil, "", fmt.Errorf("multipart: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, "", fmt.Errorf("multipart: %w", err)
	}
	return buf.Bytes(), w.FormDataContentType(), nil
}

// Expand replaces route placeholders: {draft} (a fresh draft of the request's
// user, or the administrator's), {admin_post}, {editor_post}, {author_post}.
func (l *Lab) Expand(ctx context.Context, r TruthRequest) (string, error) {
	route := r.Route
	for _, k := range []string{"admin-post", "editor-post", "author-post"} {
		route = strings.ReplaceAll(route, "{"+strings.ReplaceAll(k, "-", "_")+"}", fmt.Sprint(l.Posts[k]))
	}
	if !strings.Contains(route, "{draft}") {
		return route, nil
	}
	role := r.User
	if role == "" {
		role = "administrator"
	}
	u, err := l.Creds(role)
	if err != nil {
		return "", err
	}
	out, err := l.labctl(ctx, "draft", u.Login)
	if err != nil {
		return "", err
	}
	return strings.ReplaceAll(route, "{draft}", out), nil
}

// Cleanup deletes every post, page and upload created by lab requests.
func (l *Lab) Cleanup(ctx context.Context) error {
	_, err := l.labctl(ctx, "cleanup")
	return err
}

// Options counts the WordPress options whose name starts with prefix.
func (l *Lab) Options(ctx context.Context, prefix string) (int, error) {
	out, err := l.labctl(ctx, "options", prefix)
	if err != nil {
		return 0, err
	}
	var n int
	_, err = fmt.Sscan(out, &n)
	return n, err
}

func (l *Lab) labctl(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "php", append([]string{filepath.Join(l.dir, "php", "labctl.php")}, args...)...)
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return "", fmt.Errorf("labctl %s: %w: %s", args[0], err, ee.Stderr)
		}
		return "", fmt.Errorf("labctl %s: %w", args[0], err)
	}
	return strings.TrimSpace(string(out)), nil
}

func isWrite(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}
