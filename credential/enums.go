package credential

import (
	"regexp"
	"slices"
)

// The OB 3.0 enumerations. Those marked extensible (EnumExt in the
// specification) also accept any value of the form "ext:Name" (see IsValid).

// AchievementType is the kind of achievement (extensible).
type AchievementType string

// ResultType is the kind of a ResultDescription (extensible).
type ResultType string

// AlignmentTargetType is the kind of an alignment target (extensible).
type AlignmentTargetType string

// IdentifierType is the identityType of an IdentityObject and the
// identifierType of an IdentifierEntry (extensible).
type IdentifierType string

// ResultStatusType is the status of a Result (closed).
type ResultStatusType string

// AchievementTypes lists the AchievementType values the specification defines.
var AchievementTypes = []AchievementType{
	"Achievement", "ApprenticeshipCertificate", "Assessment", "Assignment", "AssociateDegree", "Award",
	"Badge", "BachelorDegree", "Certificate", "CertificateOfCompletion", "Certification",
	"CommunityService", "Competency", "Course", "CoCurricular", "Degree", "Diploma", "DoctoralDegree",
	"Fieldwork", "GeneralEducationDevelopment", "JourneymanCertificate", "LearningProgram", "License",
	"Membership", "ProfessionalDoctorate", "QualityAssuranceCredential", "MasterCertificate",
	"MasterDegree", "MicroCredential", "ResearchDoctorate", "SecondarySchoolDiploma",
}

// ResultTypes lists the ResultType values the specification defines.
var ResultTypes = []ResultType{
	"GradePointAverage", "LetterGrade", "Percent", "PerformanceLevel", "PredictedScore", "RawScore",
	"Result", "RubricCriterion", "RubricCriterionLevel", "RubricScore", "ScaledScore", "Status",
}

// AlignmentTargetTypes lists the AlignmentTargetType values the specification
// defines.
var AlignmentTargetTypes = []AlignmentTargetType{
	"ceasn:Competency", "ceterms:Credential", "CFItem", "CFRubric", "CFRubricCriterion",
	"CFRubricCriterionLevel", "CTDL",
}

// IdentifierTypes lists the IdentifierType values the specification defines.
var IdentifierTypes = []IdentifierType{
	"name", "sourcedId", "systemId", "productId", "userName", "accountId", "emailAddress",
	"nationalIdentityNumber", "isbn", "issn", "lisSourcedId", "oneRosterSourcedId", "sisSourcedId",
	"ltiContextId", "ltiDeploymentId", "ltiToolId", "ltiPlatformId", "ltiUserId", "identifier",
}

// ResultStatusTypes lists the ResultStatusType values.
var ResultStatusTypes = []ResultStatusType{
	"Completed", "Enrolled", "Failed", "InProgress", "OnHold", "Provisional", "Withdrew",
}

// ResultTypeStatus is the ResultType whose results must carry a status.
const ResultTypeStatus ResultType = "Status"

// extRE is the specification's naming convention for extended values. The
// published JSON Schemas use the pattern "(ext:)[a-z|A-Z|0-9|.|-|_]+", which
// is unanchored and so matches far more; this is the intended, anchored rule.
var extRE = regexp.MustCompile(`^ext:[A-Za-z0-9.\-_]+$`)

// IsExtension reports whether s follows the "ext:" naming convention for
// values added to an extensible enumeration.
func IsExtension(s string) bool { return extRE.MatchString(s) }

// IsValid reports whether t is a defined value or an "ext:" extension.
func (t AchievementType) IsValid() bool {
	return slices.Contains(AchievementTypes, t) || IsExtension(string(t))
}

// IsValid reports whether t is a defined value or an "ext:" extension.
func (t ResultType) IsValid() bool { return slices.Contains(ResultTypes, t) || IsExtension(string(t)) }

// IsValid reports whether t is a defined value or an "ext:" extension.
func (t AlignmentTargetType) IsValid() bool {
	return slices.Contains(AlignmentTargetTypes, t) || IsExtension(string(t))
}

// IsValid reports whether t is a defined value or an "ext:" extension.
func (t IdentifierType) IsValid() bool {
	return slices.Contains(IdentifierTypes, t) || IsExtension(string(t))
}

// IsValid reports whether s is one of the defined statuses.
func (s ResultStatusType) IsValid() bool { return slices.Contains(ResultStatusTypes, s) }
