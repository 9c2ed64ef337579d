package imageref

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// uri is how CDK 2.277 renders repository Repo's URI followed by suffix
// and more parts.
func uri(suffix string, more ...any) any {
	getAtt := map[string]any{"Fn::GetAtt": []any{"Repo", "Arn"}}
	parts := []any{
		map[string]any{"Fn::Select": []any{4, map[string]any{"Fn::Split": []any{":", getAtt}}}}, ".dkr.ecr.",
		map[string]any{"Fn::Select": []any{3, map[string]any{"Fn::Split": []any{":", getAtt}}}}, ".",
		map[string]any{"Ref": "AWS::URLSuffix"}, "/", map[string]any{"Ref": "Repo"}, suffix,
	}
	return map[string]any{"Fn::Join": []any{"", append(parts, more...)}}
}

func TestWalk(t *testing.T) {
	digest := "sha256:" + strings.Repeat("a", 64)
	template := map[string]any{"Resources": map[string]any{
		"Task":    map[string]any{"Properties": map[string]any{"ContainerDefinitions": []any{map[string]any{"Image": uri(":v1.2.3")}}}},
		"Fn":      map[string]any{"Properties": map[string]any{"Code": map[string]any{"ImageUri": uri("@" + digest)}}},
		"Param":   map[string]any{"Properties": map[string]any{"Image": uri(":", map[string]any{"Ref": "Tag"})}},
		"Suffix":  map[string]any{"Properties": map[string]any{"Image": uri(":", map[string]any{"Ref": "Tag"}, "-arm64")}},
		"Literal": map[string]any{"Properties": map[string]any{"Image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/team/web:v2"}},
		"Other":   map[string]any{"Properties": map[string]any{"Name": "team/web:v3", "Url": map[string]any{"Fn::Join": []any{"", []any{map[string]any{"Ref": "AWS::Region"}, ":x"}}}}},
	}}
	var got []string
	Walk(template, func(r Ref) {
		b, _ := json.Marshal(r)
		got = append(got, string(b))
	})
	slices.Sort(got)
	want := []string{
		`{"LogicalID":"","Name":"team/web","Tag":"v2","Digest":"","Token":false,"Param":"","Invalid":false}`,
		`{"LogicalID":"Repo","Name":"","Tag":"","Digest":"","Token":true,"Param":"","Invalid":false}`,
		`{"LogicalID":"Repo","Name":"","Tag":"","Digest":"","Token":true,"Param":"Tag","Invalid":false}`,
		`{"LogicalID":"Repo","Name":"","Tag":"","Digest":"` + digest + `","Token":false,"Param":"","Invalid":false}`,
		`{"LogicalID":"Repo","Name":"","Tag":"v1.2.3","Digest":"","Token":false,"Param":"","Invalid":false}`,
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("got\n %s\nwant\n %s", strings.Join(got, "\n "), strings.Join(want, "\n "))
	}
}

// A tag is all of the literal that ends a reference of its own, so one no
// image can have is reported Invalid, not cut at its first bad character;
// inside a command's text the tag ends where a tag's characters do.
func TestWalkTags(t *testing.T) {
	long := strings.Repeat("a", 129)
	cmd := func(uriSuffix string) any { // "docker pull <uri><suffix>"
		join := uri(uriSuffix).(map[string]any)["Fn::Join"].([]any)
		return map[string]any{"Fn::Join": []any{"", append([]any{"docker pull "}, join[1].([]any)...)}}
	}
	for _, tt := range []struct {
		name  string
		value any
		want  string // the Ref found, as JSON; "" for none
	}{
		{"valid", uri(":v1.2_3-rc"), `{"Tag":"v1.2_3-rc"}`},
		{"128 characters", uri(":" + long[:128]), `{"Tag":"` + long[:128] + `"}`},
		{"129 characters", uri(":" + long), `{"Tag":"` + long + `","Invalid":true}`},
		{"a space", uri(":1.4 2"), `{"Tag":"1.4 2","Invalid":true}`},
		{"a trailing newline", uri(":v1\n"), `{"Tag":"v1\n","Invalid":true}`},
		{"a plus", uri(":1.0+build"), `{"Tag":"1.0+build","Invalid":true}`},
		{"a leading dot", uri(":.v1"), `{"Tag":".v1","Invalid":true}`},
		{"empty", uri(":"), `{"Invalid":true}`},
		{"in a command", cmd(":1.4.2 \u0026\u0026 echo done"), `{"Tag":"1.4.2"}`},
		{"129 characters in a command", cmd(":" + long + " --quiet"), `{"Tag":"` + long + `","Invalid":true}`},
		{"a literal start and a parameter", uri(":v1-", map[string]any{"Ref": "Tag"}), `{"Token":true}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			Walk(tt.value, func(r Ref) {
				if r.LogicalID != "Repo" {
					t.Errorf("logical id %q", r.LogicalID)
				}
				if !r.Token && ValidTag(r.Tag) == r.Invalid {
					t.Errorf("ValidTag(%q) is %v, and Invalid %v", r.Tag, ValidTag(r.Tag), r.Invalid)
				}
				b, _ := json.Marshal(struct {
					Tag     string `json:",omitempty"`
					Token   bool   `json:",omitempty"`
					Invalid bool   `json:",omitempty"`
				}{r.Tag, r.Token, r.Invalid})
				got = append(got, string(b))
			})
			if len(got) != 1 || got[0] != tt.want {
				t.Errorf("got %q, want %s", got, tt.want)
			}
		})
	}
}
