package change

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/itil-go/itil"
)

// The ways a change's risk is reached, as Assessment.Method.
const (
	MethodQuestionnaire = "questionnaire"
	MethodMatrix        = "matrix"
	MethodTemplate      = "template"
)

// Assessment records how a change's risk was reached.
//
// With Config.Services the business services a change puts at risk count:
// Assess records them (Services, as in Change.Services) and, when the
// ServiceImpact is also a Criticality, the widest impact an outage of the
// change's CIs has (Criticality: a CI's own criticality or that of a
// business service its outage takes down). That impact is a floor, the way
// a change manager reads a CI's business criticality in a risk
// condition: the matrix reads the wider of the change's Impact and the
// Criticality, and whatever the method, the risk is at least Floor, the
// risk Config.RiskMatrix gives the Criticality at low likelihood. With the
// default matrix, a change whose CIs take down a business service of high
// criticality is never low risk, whatever its own impact or the
// questionnaire's score. A standard change keeps its template's risk: the
// template pre-approves it.
type Assessment struct {
	// Method is MethodQuestionnaire, MethodMatrix or MethodTemplate.
	Method string `json:"method"`
	// Answers maps question IDs to answer IDs, for a questionnaire.
	Answers map[string]string `json:"answers,omitempty"`
	// Score is the questionnaire's total weight.
	Score int `json:"score,omitempty"`
	// Impact is the matrix's first input: the wider of the change's impact
	// and Criticality.
	Impact itil.Impact `json:"impact,omitzero"`
	// Likelihood is the matrix's second input.
	Likelihood Likelihood `json:"likelihood,omitzero"`
	// Services are the business services an outage of the change's CIs
	// affects, as Config.Services told them at the assessment.
	Services []string `json:"services,omitempty"`
	// Criticality is the widest impact an outage of one of the change's
	// CIs has, as Config.Services told it (see Criticality); unset when
	// it tells none.
	Criticality itil.Impact `json:"criticality,omitzero"`
	// Floor is the least risk Criticality allows: the risk the matrix
	// gives it at low likelihood. Risk is never below it. Unset without a
	// Criticality.
	Floor Risk `json:"floor,omitzero"`
	// Risk is the result.
	Risk Risk `json:"risk"`
	// By is the assessor's actor ID.
	By string `json:"by,omitempty"`
	// At is when the assessment was made.
	At time.Time `json:"at"`
}

// IsZero reports whether no assessment was made.
func (a Assessment) IsZero() bool { return a.Method == "" && !a.Risk.Valid() }

// RiskMatrix maps impact × likelihood to a risk, indexed
// [impact-1][likelihood-1]. The zero value is not usable; NewManager
// replaces it with DefaultRiskMatrix.
type RiskMatrix [3][3]Risk

// DefaultRiskMatrix returns the usual five-by-five reduced to three:
//
//	              likelihood high   medium    low
//	impact high              high   high      moderate
//	       medium            high   moderate  low
//	       low               moderate low     low
func DefaultRiskMatrix() RiskMatrix {
	return RiskMatrix{
		{RiskHigh, RiskHigh, RiskModerate},
		{RiskHigh, RiskModerate, RiskLow},
		{RiskModerate, RiskLow, RiskLow},
	}
}

// Risk returns the risk for impact i and likelihood l, or a
// *itil.ValidationError naming the unset or unknown input.
func (m RiskMatrix) Risk(i itil.Impact, l Likelihood) (Risk, error) {
	if !i.Valid() {
		return 0, &itil.ValidationError{Field: "impact", Reason: "required for an impact × likelihood assessment"}
	}
	if !l.Valid() {
		return 0, &itil.ValidationError{Field: "likelihood", Reason: fmt.Sprintf("undefined value %d", int8(l))}
	}
	r := m[i-1][l-1]
	if !r.Valid() {
		return 0, &itil.ValidationError{Field: "risk_matrix", Reason: fmt.Sprintf("no risk for %s impact, %s likelihood", i, l)}
	}
	return r, nil
}

// validate reports the first cell that is not a valid risk.
func (m RiskMatrix) validate() error {
	for i := range m {
		for l := range m[i] {
			if !m[i][l].Valid() {
				return &itil.ValidationError{
					Field:  fmt.Sprintf("risk_matrix[%s/%s]", itil.Impact(i+1), Likelihood(l+1)),
					Reason: "must be low, moderate or high",
				}
			}
		}
	}
	return nil
}

// Questionnaire is a risk questionnaire: each question's chosen answer adds
// its weight to a score, and the score's thresholds give the risk.
type Questionnaire struct {
	// Questions are asked in order; every one must be answered.
	Questions []Question `json:"questions"`
	// Moderate is the lowest score that is moderate risk.
	Moderate int `json:"moderate"`
	// High is the lowest score that is high risk; at least Moderate.
	High int `json:"high"`
}

// Question is one question of a Questionnaire.
type Question struct {
	// ID identifies the question in answers.
	ID string `json:"id"`
	// Text is the question as asked.
	Text string `json:"text"`
	// Answers are the possible answers, at least one.
	Answers []Answer `json:"answers"`
}

// Answer is one possible answer to a Question and its weight.
type Answer struct {
	// ID identifies the answer within its question.
	ID string `json:"id"`
	// Text is the answer as offered.
	Text string `json:"text"`
	// Weight is added to the score when the answer is chosen; not negative.
	Weight int `json:"weight"`
}

// IsZero reports whether the questionnaire has no questions.
func (q Questionnaire) IsZero() bool { return len(q.Questions) == 0 }

// Assess scores answers (question ID → answer ID) and returns the score and
// the risk. Every question must be answered once; the error is a
// *itil.ValidationError on "answers[ID]".
func (q Questionnaire) Assess(answers map[string]string) (int, Risk, error) {
	if q.IsZero() {
		return 0, 0, &itil.ValidationError{Field: "answers", Reason: "no risk questionnaire is configured"}
	}
	score := 0
	for _, qu := range q.Questions {
		a, ok := answers[qu.ID]
		if !ok {
			return 0, 0, &itil.ValidationError{Field: "answers[" + qu.ID + "]", Reason: "unanswered: " + qu.Text}
		}
		i := slices.IndexFunc(qu.Answers, func(x Answer) bool { return x.ID == a })
		if i < 0 {
			return 0, 0, &itil.ValidationError{Field: "answers[" + qu.ID + "]", Reason: fmt.Sprintf("%q is not one of the answers", a)}
		}
		score += qu.Answers[i].Weight
	}
	for _, id := range slices.Sorted(maps.Keys(answers)) {
		if !slices.ContainsFunc(q.Questions, func(x Question) bool { return x.ID == id }) {
			return 0, 0, &itil.ValidationError{Field: "answers[" + id + "]", Reason: "no such question"}
		}
	}
	switch {
	case score >= q.High:
		return score, RiskHigh, nil
	case score >= q.Moderate:
		return score, RiskModerate, nil
	}
	return score, RiskLow, nil
}

// clone returns a deep copy of q.
func (q Questionnaire) clone() Questionnaire {
	q.Questions = slices.Clone(q.Questions)
	for i := range q.Questions {
		q.Questions[i].Answers = slices.Clone(q.Questions[i].Answers)
	}
	return q
}

// validate checks the questionnaire's shape; an empty one is valid (no
// questionnaire).
func (q Questionnaire) validate() error {
	if q.IsZero() {
		return nil
	}
	bad := func(field, reason string) error {
		return &itil.ValidationError{Field: "questionnaire." + field, Reason: reason}
	}
	seen := map[string]bool{}
	for i, qu := range q.Questions {
		f := fmt.Sprintf("questions[%d]", i)
		if err := checkName("questionnaire."+f+".id", qu.ID); err != nil {
			return err
		}
		if err := checkNote("questionnaire."+f+".text", qu.Text); err != nil {
			return err
		}
		switch {
		case qu.ID == "":
			return bad(f+".id", "required")
		case seen[qu.ID]:
			return bad(f+".id", fmt.Sprintf("%q is used twice", qu.ID))
		case len(qu.Answers) == 0:
			return bad(f+".answers", "at least one answer is required")
		}
		seen[qu.ID] = true
		ans := map[string]bool{}
		for j, a := range qu.Answers {
			af := fmt.Sprintf("%s.answers[%d]", f, j)
			if err := checkName("questionnaire."+af+".id", a.ID); err != nil {
				return err
			}
			if err := checkNote("questionnaire."+af+".text", a.Text); err != nil {
				return err
			}
			switch {
			case a.ID == "":
				return bad(af+".id", "required")
			case ans[a.ID]:
				return bad(af+".id", fmt.Sprintf("%q is used twice", a.ID))
			case a.Weight < 0:
				return bad(af+".weight", "must not be negative")
			}
			ans[a.ID] = true
		}
	}
	switch {
	case q.Moderate < 1:
		return bad("moderate", "must be at least 1")
	case q.High < q.Moderate:
		return bad("high", "must be at least the moderate threshold")
	}
	return nil
}
