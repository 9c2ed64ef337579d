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
		`{"LogicalID":"","Name":"team/web","Tag":"v2","Digest":"","Token":false,"Param":""}`,
		`{"LogicalID":"Repo","Name":"","Tag":"","Digest":"","Token":true,"Param":""}`,
		`{"LogicalID":"Repo","Name":"","Tag":"","Digest":"","Token":true,"Param":"Tag"}`,
		`{"LogicalID":"Repo","Name":"","Tag":"","Digest":"` + digest + `","Token":false,"Param":""}`,
		`{"LogicalID":"Repo","Name":"","Tag":"v1.2.3","Digest":"","Token":false,"Param":""}`,
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("got\n %s\nwant\n %s", strings.Join(got, "\n "), strings.Join(want, "\n "))
	}
}
