package credential

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/microcred/openbadges/internal/cpumeter"
)

func benchSample(b *testing.B) []byte {
	ref := referenceDir(b)
	data, err := os.ReadFile(filepath.Join(ref, "..", "bench", "ob3-sample.json"))
	if err != nil {
		b.Skip(err)
	}
	return data
}

func BenchmarkParse(b *testing.B) {
	data := benchSample(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	cpu := cpumeter.Start()
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
	cpu.Report(b)
}

func BenchmarkValidate(b *testing.B) {
	c, err := Parse(benchSample(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu := cpumeter.Start()
	for b.Loop() {
		_ = c.Validate()
	}
	cpu.Report(b)
}

func BenchmarkMarshal(b *testing.B) {
	c, err := Parse(benchSample(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(c); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidateManyResults validates a badge with thousands of results
// and rubric levels: the references are checked through an index, so the
// cost grows linearly.
func BenchmarkValidateManyResults(b *testing.B) {
	const n = 5000
	ach := &Achievement{ID: "urn:a", Type: TypeOf("Achievement"), Name: "a", Description: "d", Criteria: &Criteria{Narrative: "n"}}
	rd := ResultDescription{ID: "urn:rd", Type: TypeOf("ResultDescription"), Name: "r", ResultType: "RubricCriterionLevel"}
	subject := AchievementSubject{ID: "did:example:1", Type: TypeOf("AchievementSubject"), Achievement: AchievementRef{Achievement: ach}}
	for i := range n {
		id := "urn:level:" + strconv.Itoa(i)
		rd.RubricCriterionLevel.Items = append(rd.RubricCriterionLevel.Items, RubricCriterionLevel{ID: id, Type: TypeOf("RubricCriterionLevel"), Name: "l"})
		subject.Result.Items = append(subject.Result.Items, Result{Type: TypeOf("Result"), ResultDescription: "urn:rd", AchievedLevel: id})
	}
	ach.ResultDescription = Many(rd)
	c := &Credential{CredentialSubject: One(subject)}
	c.Context = Contexts(ContextV2, ContextOB)
	c.ID, c.Type, c.Issuer, c.ValidFrom, c.Name = "urn:c", TypeOf("VerifiableCredential", "OpenBadgeCredential"), ProfileRef{URI: "did:example:i"}, "2020-01-01T00:00:00Z", "n"
	if ps := c.Validate(); len(ps) != 0 {
		b.Fatal(ps[:1])
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = c.Validate()
	}
}
