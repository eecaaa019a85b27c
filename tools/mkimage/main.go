// Command mkimage writes wp403's container image (a docker-archive tarball
// that podman load and docker load read) from a static binary, with
// go-containerregistry: an empty base, one layer holding the binary and
// Debian's CA certificates, a non-root user, OCI labels. Everything in it
// is fixed by its inputs (file times and the created date come from
// -epoch), so two builds of one revision give the same bytes.
//
//	go run ./mkimage -bin dist/wp403_linux_amd64 -arch amd64 -version 1.2.3 \
//	    -revision REV -epoch 1700000000 -o dist/wp403_1.2.3_image_amd64.tar
package main

import (
	"archive/tar"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// uid is the image's user: not root, no login, no home.
const uid = 65532

type options struct {
	bin, arch, version, revision, source, cacerts, out string
	epoch                                              int64
}

func main() {
	var o options
	flag.StringVar(&o.bin, "bin", "", "the static linux binary")
	flag.StringVar(&o.arch, "arch", "amd64", "its architecture (amd64, arm64)")
	flag.StringVar(&o.version, "version", "dev", "the release name")
	flag.StringVar(&o.revision, "revision", "", "the VCS revision")
	flag.StringVar(&o.source, "source", "https://github.com/wp403/wp403", "the source repository")
	flag.StringVar(&o.cacerts, "cacerts", "/etc/ssl/certs/ca-certificates.crt", "Debian's CA bundle (ca-certificates)")
	flag.Int64Var(&o.epoch, "epoch", 0, "file times and the created date (SOURCE_DATE_EPOCH)")
	flag.StringVar(&o.out, "o", "", "the image tarball to write")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "mkimage:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	if o.bin == "" || o.out == "" {
		return fmt.Errorf("-bin and -o are required")
	}
	t := time.Unix(o.epoch, 0).UTC()
	files, err := layerFiles(o)
	if err != nil {
		return err
	}
	layerTar, err := tarOf(files, t)
	if err != nil {
		return err
	}
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(layerTar)), nil
	})
	if err != nil {
		return err
	}
	img, err := mutate.AppendLayers(empty.Image, layer)
	if err != nil {
		return err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return err
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture, cf.Created = "linux", o.arch, v1.Time{Time: t}
	cf.Config = config(o, t)
	if img, err = mutate.ConfigFile(img, cf); err != nil {
		return err
	}
	tag, err := name.NewTag("localhost/wp403:" + o.version)
	if err != nil {
		return err
	}
	return tarball.WriteToFile(o.out, tag, img)
}

// config runs the exporter by default, as the non-root user, with its
// configuration and secrets mounted under /etc/wp403.
func config(o options, t time.Time) v1.Config {
	return v1.Config{
		User:         fmt.Sprintf("%d:%d", uid, uid),
		Entrypoint:   []string{"/usr/bin/wp403"},
		Cmd:          []string{"exporter", "--config", "/etc/wp403/sites.yaml", "--listen", ":9403"},
		WorkingDir:   "/etc/wp403",
		Env:          []string{"PATH=/usr/bin", "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"},
		ExposedPorts: map[string]struct{}{"9403/tcp": {}},
		Labels: map[string]string{
			"org.opencontainers.image.title":       "wp403",
			"org.opencontainers.image.description": "Which layer refused a WordPress REST request: CLI and Prometheus exporter",
			"org.opencontainers.image.version":     o.version,
			"org.opencontainers.image.revision":    o.revision,
			"org.opencontainers.image.source":      o.source,
			"org.opencontainers.image.created":     t.Format(time.RFC3339),
		},
	}
}

type file struct {
	path string
	mode int64
	dir  bool
	data []byte
}

func layerFiles(o options) ([]file, error) {
	bin, err := os.ReadFile(o.bin)
	if err != nil {
		return nil, err
	}
	ca, err := os.ReadFile(o.cacerts)
	if err != nil {
		return nil, fmt.Errorf("%w (apt-get install ca-certificates)", err)
	}
	return []file{
		{path: "etc/", dir: true, mode: 0o755},
		{path: "etc/group", mode: 0o644, data: fmt.Appendf(nil, "root:x:0:\nwp403:x:%d:\n", uid)},
		{path: "etc/passwd", mode: 0o644, data: fmt.Appendf(nil, "root:x:0:0:root:/:/sbin/nologin\nwp403:x:%d:%d:wp403:/:/sbin/nologin\n", uid, uid)},
		{path: "etc/ssl/", dir: true, mode: 0o755},
		{path: "etc/ssl/certs/", dir: true, mode: 0o755},
		{path: "etc/ssl/certs/ca-certificates.crt", mode: 0o644, data: ca},
		{path: "etc/wp403/", dir: true, mode: 0o755},
		{path: "tmp/", dir: true, mode: 0o1777},
		{path: "usr/", dir: true, mode: 0o755},
		{path: "usr/bin/", dir: true, mode: 0o755},
		{path: "usr/bin/wp403", mode: 0o755, data: bin},
	}, nil
}

// tarOf writes files in the given order with fixed times and owners.
func tarOf(files []file, t time.Time) ([]byte, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range files {
		h := &tar.Header{Name: f.path, Mode: f.mode, ModTime: t, Format: tar.FormatPAX, Typeflag: tar.TypeReg, Size: int64(len(f.data))}
		if f.dir {
			h.Typeflag, h.Size = tar.TypeDir, 0
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, err
		}
		if _, err := tw.Write(f.data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
