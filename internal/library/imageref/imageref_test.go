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
		`{"LogicalID":"","Name":"team/web","Account":"111122223333","Region":"eu-west-1","Tag":"v2","Digest":"","Token":false,"Param":"","Invalid":false}`,
		`{"LogicalID":"Repo","Name":"","Account":"","Region":"","Tag":"","Digest":"","Token":true,"Param":"","Invalid":false}`,
		`{"LogicalID":"Repo","Name":"","Account":"","Region":"","Tag":"","Digest":"","Token":true,"Param":"Tag","Invalid":false}`,
		`{"LogicalID":"Repo","Name":"","Account":"","Region":"","Tag":"","Digest":"` + digest + `","Token":false,"Param":"","Invalid":false}`,
		`{"LogicalID":"Repo","Name":"","Account":"","Region":"","Tag":"v1.2.3","Digest":"","Token":false,"Param":"","Invalid":false}`,
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

// imported is how CDK 2.277 renders an imported repository's URI followed by
// suffix: account and region are literals or pseudo-parameters.
func imported(account, region any, suffix string, more ...any) any {
	var parts []any
	if a, ok := account.(string); ok {
		if r, ok := region.(string); ok {
			parts = []any{a + ".dkr.ecr." + r + "."}
		} else {
			parts = []any{a + ".dkr.ecr.", region, "."}
		}
	} else {
		parts = []any{account, ".dkr.ecr.", region, "."}
	}
	parts = append(parts, map[string]any{"Ref": "AWS::URLSuffix"}, "/team/web"+suffix)
	return map[string]any{"Fn::Join": []any{"", append(parts, more...)}}
}

// An imported repository's URI gives its name, tag, and the account and
// Region when they are literals or the stack's pseudo-parameters.
func TestWalkImports(t *testing.T) {
	accountID, region := map[string]any{"Ref": "AWS::AccountId"}, map[string]any{"Ref": "AWS::Region"}
	arn := map[string]any{"Ref": "RepoArn"}
	selectOf := func(i int) any {
		return map[string]any{"Fn::Select": []any{i, map[string]any{"Fn::Split": []any{":", arn}}}}
	}
	digest := "sha256:" + strings.Repeat("b", 64)
	for _, tt := range []struct {
		name  string
		value any
		want  string // the Ref found, as JSON; "" for none
	}{
		{"literal account and Region", imported("111122223333", "eu-west-1", ":v1"), `{"Name":"team/web","Account":"111122223333","Region":"eu-west-1","Tag":"v1"}`},
		{"pseudo-parameters", imported(accountID, region, ":v1"), `{"Name":"team/web","Account":"AWS::AccountId","Region":"AWS::Region","Tag":"v1"}`},
		{"a token ARN", imported(selectOf(4), selectOf(3), ":v1"), `{"Name":"team/web","Tag":"v1"}`},
		{"a digest", imported(accountID, region, "@"+digest), `{"Name":"team/web","Account":"AWS::AccountId","Region":"AWS::Region","Digest":"` + digest + `"}`},
		{"a parameter tag", imported("111122223333", "eu-west-1", ":", map[string]any{"Ref": "Tag"}), `{"Name":"team/web","Account":"111122223333","Region":"eu-west-1","Token":true,"Param":"Tag"}`},
		{"a tag no image can have", imported(accountID, region, ":1.4 2"), `{"Name":"team/web","Account":"AWS::AccountId","Region":"AWS::Region","Tag":"1.4 2","Invalid":true}`},
		{"in a command", map[string]any{"Fn::Join": []any{"", []any{"docker pull ", accountID, ".dkr.ecr.", region, ".", map[string]any{"Ref": "AWS::URLSuffix"}, "/team/web:v3 \u0026\u0026 echo"}}}, `{"Name":"team/web","Account":"AWS::AccountId","Region":"AWS::Region","Tag":"v3"}`},
		{"a literal suffix", map[string]any{"Fn::Join": []any{"", []any{"111122223333.dkr.ecr.us-east-2.amazonaws.com/team/web:", map[string]any{"Ref": "Tag"}}}}, `{"Name":"team/web","Account":"111122223333","Region":"us-east-2","Token":true,"Param":"Tag"}`},
		{"no tag", imported(accountID, region, ""), ``},
		{"a name that goes on in a token", imported(accountID, region, "-", map[string]any{"Fn::GetAtt": []any{"Build", "Suffix"}}, ":v1"), ``},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			Walk(map[string]any{"Image": tt.value}, func(r Ref) {
				b, _ := json.Marshal(struct {
					Name    string `json:",omitempty"`
					Account string `json:",omitempty"`
					Region  string `json:",omitempty"`
					Tag     string `json:",omitempty"`
					Digest  string `json:",omitempty"`
					Token   bool   `json:",omitempty"`
					Param   string `json:",omitempty"`
					Invalid bool   `json:",omitempty"`
				}{r.Name, r.Account, r.Region, r.Tag, r.Digest, r.Token, r.Param, r.Invalid})
				got = append(got, string(b))
			})
			switch {
			case tt.want == "" && len(got) > 0:
				t.Errorf("got %q, want none", got)
			case tt.want != "" && (len(got) != 1 || got[0] != tt.want):
				t.Errorf("got %q, want %s", got, tt.want)
			}
		})
	}
}
