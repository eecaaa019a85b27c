package signature

import "testing"

func TestSmoke(t *testing.T) {
	db, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	t.Log(len(db.Signatures()), len(db.Vendors()))
}
