package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/secure-ecr/ecr-cdk-go/internal/live"
)

// adopt --live reads from the account what the AWS CLI would print —
// describe-repositories (with each repository's tags, from
// list-tags-for-resource), get-lifecycle-policy and get-repository-policy
// — writes it, in the CLI's own shapes, into a temporary folder, and
// generates from there, so the account's answers are checked and adopted
// exactly as the files a user exports by hand are.

// cliRepository is one repository as aws ecr describe-repositories prints
// it, with the "tags" adopt also reads.
type cliRepository struct {
	RepositoryArn                      string               `json:"repositoryArn"`
	RegistryID                         string               `json:"registryId"`
	RepositoryName                     string               `json:"repositoryName"`
	ImageTagMutability                 string               `json:"imageTagMutability,omitempty"`
	ImageTagMutabilityExclusionFilters []cliExclusionFilter `json:"imageTagMutabilityExclusionFilters,omitempty"`
	ImageScanningConfiguration         *cliScanning         `json:"imageScanningConfiguration,omitempty"`
	EncryptionConfiguration            *cliEncryption       `json:"encryptionConfiguration,omitempty"`
	Tags                               []cliTag             `json:"tags,omitempty"`
}

type cliExclusionFilter struct {
	FilterType string `json:"filterType"`
	Filter     string `json:"filter"`
}

type cliScanning struct {
	ScanOnPush bool `json:"scanOnPush"`
}

type cliEncryption struct {
	EncryptionType string `json:"encryptionType"`
	KmsKey         string `json:"kmsKey,omitempty"`
}

type cliTag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// cliPolicy is what get-lifecycle-policy and get-repository-policy print.
type cliPolicy struct {
	RegistryID          string `json:"registryId"`
	RepositoryName      string `json:"repositoryName"`
	LifecyclePolicyText string `json:"lifecyclePolicyText,omitempty"`
	PolicyText          string `json:"policyText,omitempty"`
}

// exportLive reads the repositories of the prefix ("" for all), their
// tags and policies, and writes them into dir as the AWS CLI prints them:
// repositories.json, lifecycle/ and policies/.
func exportLive(ctx context.Context, c *live.Clients, prefix, dir string) (repositories, lifecycleDir, policyDir string, err error) {
	states, err := c.RepositoryStates(ctx, live.Selection{Prefix: prefix, All: prefix == ""})
	if err != nil {
		return "", "", "", err
	}
	lifecycleDir, policyDir = filepath.Join(dir, "lifecycle"), filepath.Join(dir, "policies")
	for _, d := range []string{lifecycleDir, policyDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return "", "", "", err
		}
	}
	var repos []cliRepository
	for i, s := range states {
		if s.Err != nil {
			return "", "", "", fmt.Errorf("%s: %s", s.Name(), live.Message(s.Err))
		}
		r := s.Repository
		out := cliRepository{
			RepositoryArn:      aws.ToString(r.RepositoryArn),
			RegistryID:         aws.ToString(r.RegistryId),
			RepositoryName:     aws.ToString(r.RepositoryName),
			ImageTagMutability: string(r.ImageTagMutability),
		}
		for _, f := range r.ImageTagMutabilityExclusionFilters {
			out.ImageTagMutabilityExclusionFilters = append(out.ImageTagMutabilityExclusionFilters, cliExclusionFilter{FilterType: string(f.FilterType), Filter: aws.ToString(f.Filter)})
		}
		if r.ImageScanningConfiguration != nil {
			out.ImageScanningConfiguration = &cliScanning{ScanOnPush: r.ImageScanningConfiguration.ScanOnPush}
		}
		if r.EncryptionConfiguration != nil {
			out.EncryptionConfiguration = &cliEncryption{EncryptionType: string(r.EncryptionConfiguration.EncryptionType), KmsKey: aws.ToString(r.EncryptionConfiguration.KmsKey)}
		}
		tags, err := c.Tags(ctx, out.RepositoryArn)
		if err != nil {
			return "", "", "", fmt.Errorf("%s: tags: %s", out.RepositoryName, live.Message(err))
		}
		for _, k := range slices.Sorted(maps.Keys(tags)) {
			out.Tags = append(out.Tags, cliTag{Key: k, Value: tags[k]})
		}
		repos = append(repos, out)
		if s.LifecyclePolicy.Found {
			p := cliPolicy{RegistryID: out.RegistryID, RepositoryName: out.RepositoryName, LifecyclePolicyText: s.LifecyclePolicy.Text}
			if err := writeJSONFile(filepath.Join(lifecycleDir, strconv.Itoa(i)+".json"), p); err != nil {
				return "", "", "", err
			}
		}
		if s.RepositoryPolicy.Found {
			p := cliPolicy{RegistryID: out.RegistryID, RepositoryName: out.RepositoryName, PolicyText: s.RepositoryPolicy.Text}
			if err := writeJSONFile(filepath.Join(policyDir, strconv.Itoa(i)+".json"), p); err != nil {
				return "", "", "", err
			}
		}
	}
	repositories = filepath.Join(dir, "repositories.json")
	if err := writeJSONFile(repositories, map[string]any{"repositories": repos}); err != nil {
		return "", "", "", err
	}
	return repositories, lifecycleDir, policyDir, nil
}

// writeJSONFile writes v as indented JSON.
func writeJSONFile(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// liveMessage is the one line for an error of the live reading.
func liveMessage(err error) string {
	if errors.Is(err, live.ErrNoMatch) {
		return err.Error()
	}
	return live.Message(err)
}
