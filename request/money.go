package request

import (
	"fmt"

	"github.com/itil-go/itil"
)

// Money is a price or cost in integer minor units of a currency: 129900
// EUR is 1299.00 euros. Amounts are never floating point.
type Money struct {
	// Amount is in minor units (cents); never negative.
	Amount int64 `json:"amount"`
	// Currency is the ISO 4217 code: three upper-case letters.
	Currency string `json:"currency"`
}

// IsZero reports whether no price is set.
func (m Money) IsZero() bool { return m == Money{} }

// String returns the amount with two decimals and the currency:
// "1299.00 EUR". Currencies with other minor units print the same way.
func (m Money) String() string {
	if m.IsZero() {
		return "free"
	}
	return fmt.Sprintf("%d.%02d %s", m.Amount/100, m.Amount%100, m.Currency)
}

// validate reports a *itil.ValidationError naming field when the amount is
// negative or the currency is not three upper-case letters.
func (m Money) validate(field string) error {
	if m.IsZero() {
		return nil
	}
	if m.Amount < 0 {
		return &itil.ValidationError{Field: field + ".amount", Reason: "must not be negative"}
	}
	if len(m.Currency) != 3 {
		return &itil.ValidationError{Field: field + ".currency", Reason: fmt.Sprintf("%q is not a three-letter ISO 4217 code", m.Currency)}
	}
	for _, r := range m.Currency {
		if r < 'A' || r > 'Z' {
			return &itil.ValidationError{Field: field + ".currency", Reason: fmt.Sprintf("%q is not a three-letter ISO 4217 code", m.Currency)}
		}
	}
	return nil
}
