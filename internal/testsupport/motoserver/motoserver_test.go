package motoserver

import (
	"net/http"
	"testing"
)

func TestStartAndStop(t *testing.T) {
	s := StartT(t)
	resp, err := http.Get(s.URL + "/moto-api/data.json")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if err := s.Reset(); err != nil {
		t.Fatal(err)
	}
	s.Stop()
	if _, err := http.Get(s.URL + "/moto-api/data.json"); err == nil {
		t.Errorf("the server still answers after Stop")
	}
}
