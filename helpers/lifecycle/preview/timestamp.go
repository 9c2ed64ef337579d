package preview

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/secure-ecr/ecr-cdk-go/internal/leaf/oneline"
)

// timestamp decodes a describe-images time: an ISO 8601 string with any UTC
// offset ("2026-05-14T18:22:58.657000+09:00"), epoch seconds as a number
// (AWS CLI v1's default output), or null. It never fails to decode; a value
// it can't read is kept in bad and reported with the image it belongs to.
type timestamp struct {
	nanos int64
	set   bool
	bad   string
}

// UnmarshalJSON implements json.Unmarshaler.
func (ts *timestamp) UnmarshalJSON(data []byte) error {
	*ts = timestamp{}
	switch {
	case len(data) == 0 || string(data) == "null":
		return nil
	case data[0] == '"':
		s := data[1 : len(data)-1]
		if n, ok := parseISO8601(s); ok {
			ts.nanos, ts.set = n, true
			return nil
		}
		if t, err := time.Parse(time.RFC3339Nano, string(s)); err == nil && !bytes.ContainsRune(s, '\\') && inNanosRange(t) {
			ts.nanos, ts.set = t.UnixNano(), true
			return nil
		}
	default:
		if f, err := strconv.ParseFloat(string(data), 64); err == nil && f > 0 && f < float64(maxEpochSeconds-1) {
			ts.nanos, ts.set = int64(math.Round(f*1e9)), true
			return nil
		}
	}
	ts.bad = oneline.Cut(string(data), 60)
	return nil
}

// maxEpochSeconds keeps epoch seconds within the range of Unix nanoseconds.
const maxEpochSeconds = math.MaxInt64 / 1_000_000_000

// Years whose instants fit in Unix nanoseconds, whole: int64 nanoseconds
// reach from 1677-09-21 to 2262-04-11.
const (
	minYear = 1678
	maxYear = 2261
)

// inNanosRange reports whether t can be held as Unix nanoseconds, as images'
// times are: from 1678 to 2261. Outside it, UnixNano wraps around silently.
func inNanosRange(t time.Time) bool {
	y := t.UTC().Year()
	return y >= minYear && y <= maxYear
}

// ParseTime reads the time a preview is evaluated at: RFC 3339, such as
// 2026-06-01T00:00:00Z or 2026-06-01T09:00:00+09:00, or a date, 2026-06-01,
// which means midnight UTC. The time must fall in the years 1678 to 2261,
// which Unix nanoseconds hold.
func ParseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t, err = time.Parse(time.DateOnly, s)
	}
	if err != nil || !inNanosRange(t) {
		return time.Time{}, fmt.Errorf("%q: must be RFC 3339 or a date (midnight UTC) from the years %d to %d, such as 2026-06-01T00:00:00Z or 2026-06-01", s, minYear, maxYear)
	}
	return t, nil
}

// parseISO8601 reads YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM|±HHMM) as Unix
// nanoseconds without allocating; time.Parse handles anything else. A
// million images carry several million timestamps, so this path matters.
func parseISO8601(s []byte) (int64, bool) {
	if len(s) < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':' || s[16] != ':' {
		return 0, false
	}
	year, ok1 := digits(s[0:4])
	month, ok2 := digits(s[5:7])
	day, ok3 := digits(s[8:10])
	hour, ok4 := digits(s[11:13])
	minute, ok5 := digits(s[14:16])
	second, ok6 := digits(s[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) ||
		hour > 23 || minute > 59 || second > 59 || year < minYear || year > maxYear {
		return 0, false
	}
	rest := s[19:]
	var frac int64
	if rest[0] == '.' {
		i, scale := 1, int64(1e8)
		for ; i < len(rest) && rest[i] >= '0' && rest[i] <= '9'; i++ {
			frac += int64(rest[i]-'0') * scale
			scale /= 10
		}
		if i == 1 {
			return 0, false
		}
		rest = rest[i:]
	}
	var offset int64
	switch {
	case len(rest) == 1 && (rest[0] == 'Z' || rest[0] == 'z'):
	case (len(rest) == 6 && rest[3] == ':') || len(rest) == 5:
		if rest[0] != '+' && rest[0] != '-' {
			return 0, false
		}
		oh, okh := digits(rest[1:3])
		om, okm := digits(rest[len(rest)-2:])
		if !okh || !okm || oh > 23 || om > 59 {
			return 0, false
		}
		offset = int64(oh*3600 + om*60)
		if rest[0] == '-' {
			offset = -offset
		}
	default:
		return 0, false
	}
	// The year range keeps secs well inside what int64 nanoseconds hold.
	secs := daysFromCivil(year, month, day)*86400 + int64(hour*3600+minute*60+second) - offset
	return secs*1e9 + frac, true
}

// digits reads a run of ASCII digits.
func digits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// daysIn returns the number of days of a month.
func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil returns the days since 1970-01-01 of a proleptic Gregorian
// date (Howard Hinnant's algorithm).
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}
