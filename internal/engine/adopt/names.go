package adopt

import (
	"crypto/sha256"
	"fmt"
	"strings"
)

// maxHumanLength is how much of the readable part a logical ID keeps: with
// the 8-character hash it stays within CloudFormation's 255 characters.
const maxHumanLength = 200

// pascal turns a repository name into the readable part of its Go
// identifier and construct ID: each group of letters and digits between
// the separators / . _ - capitalized, so "shop/web-api" gives "ShopWebApi".
// A group starting with a digit, after the first, is set off by "_"
// ("v2-1x" gives "V2_1x"), so it can't run into the digits before it
// ("v21x" gives "V21x").
func pascal(name string) string {
	var b strings.Builder
	groups := strings.FieldsFunc(name, func(r rune) bool { return r == '/' || r == '.' || r == '_' || r == '-' })
	for i, g := range groups {
		if i > 0 && g[0] >= '0' && g[0] <= '9' {
			b.WriteByte('_')
		}
		b.WriteString(strings.ToUpper(g[:1]) + g[1:])
	}
	return b.String()
}

// nameHash is the first 8 hexadecimal digits, upper case, of the SHA-256 of
// the repository name: what makes logical IDs collision-free while staying
// a function of the name alone.
func nameHash(name string) string {
	sum := sha256.Sum256([]byte(name))
	return strings.ToUpper(fmt.Sprintf("%x", sum[:4]))
}

// ids fills a repository's Go identifier, construct ID and logical ID. The
// logical ID is the readable part, letters and digits only (prefixed with
// "Repository" when it would start with a digit), then the name's hash:
// stable (the name alone decides it, not the other repositories or the
// order) and, unlike the readable part, different for "shop-web" and
// "shop/web".
func ids(r *Repository) {
	p := pascal(r.Name)
	r.GoName = "new" + p
	r.ConstructID = p
	human := strings.ReplaceAll(p, "_", "")
	if human[0] >= '0' && human[0] <= '9' {
		human = "Repository" + human
	}
	if len(human) > maxHumanLength {
		human = human[:maxHumanLength]
	}
	r.LogicalID = human + nameHash(r.Name)
}

// checkClashes records names that give the same Go identifier (and so
// construct ID) or the same logical ID.
func checkClashes(repos []*Repository, p *Problems) {
	goNames, logical := map[string]string{}, map[string]string{}
	for _, r := range repos {
		if other, ok := goNames[r.GoName]; ok {
			*p = append(*p, fmt.Sprintf("repositories %s and %s: both become Go identifier %s and construct ID %s; adopt them into separate packages with --prefix, each in its own stack", other, r.Name, r.GoName, r.ConstructID))
		} else {
			goNames[r.GoName] = r.Name
		}
		if other, ok := logical[r.LogicalID]; ok {
			*p = append(*p, fmt.Sprintf("repositories %s and %s: both become logical ID %s; adopt them into separate stacks with --prefix", other, r.Name, r.LogicalID))
		} else {
			logical[r.LogicalID] = r.Name
		}
	}
}
