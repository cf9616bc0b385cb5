package verifier

import "strings"

// standardNames names the specifications of ProblemDetail.Conformance, in
// the order Standards lists them.
var standardNames = []struct{ key, name string }{
	{ConformanceOB3, "Open Badges 3.0"},
	{ConformanceVCDM, "the VC Data Model"},
	{ConformanceStatusList, "the Bitstring Status List"},
}

// Standards names, for a person, the specifications whose rules the
// conformance problems among ps apply, joined with "or": "Open Badges 3.0",
// "Open Badges 3.0 or the VC Data Model", … A Conformance value this
// package does not name is given as it is, after the known ones; with no
// conformance problem, it is "its specifications". It completes a verdict
// such as "authentic, but it does not follow …" (VerdictNotConformant).
func Standards(ps []ProblemDetail) string {
	var names []string
	for _, sn := range standardNames {
		for _, p := range ps {
			if p.Conformance == sn.key {
				names = append(names, sn.name)
				break
			}
		}
	}
	seen := map[string]bool{ConformanceOB3: true, ConformanceVCDM: true, ConformanceStatusList: true}
	for _, p := range ps {
		if p.Conformance != "" && !seen[p.Conformance] {
			seen[p.Conformance] = true
			names = append(names, p.Conformance)
		}
	}
	if len(names) == 0 {
		return "its specifications"
	}
	return strings.Join(names, " or ")
}
