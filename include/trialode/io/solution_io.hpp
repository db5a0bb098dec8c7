// SPDX-License-Identifier: MIT
// A trained solution outlives the process: save() writes its trial form, constants (or, for the constrained
// form, its conditions and support), interval, segments (when marched in time) and networks (origins and
// weights) to a small line-based text file with exact hexadecimal floats, the same in every locale, and load()
// reads it back bit for bit, refusing a file whose solution is not finite on its interval.
#pragma once

#include <Eigen/Core>

#include <charconv>
#include <cmath>
#include <fstream>
#include <istream>
#include <limits>
#include <locale>
#include <ostream>
#include <system_error>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "../approximation/constrained_trial.hpp"
#include "../approximation/network.hpp"
#include "../approximation/trial.hpp"
#include "../approximation/weights.hpp"
#include "../problems/linear_conditions.hpp"
#include "../solve/solution.hpp"

namespace trialode {

/// A malformed, truncated or mismatched solution file. `what()` names the line, e.g.
/// "solution file, line 4: expected 'constants' followed by 2 numbers"; `line()` is its number (0 when
/// the file could not be opened).
class SolutionFileError : public std::invalid_argument {
 public:
  /// An error at line `line` (from 1; 0 when no line is concerned) saying `message`.
  SolutionFileError(int line, const std::string& message)
      : std::invalid_argument(line > 0 ? "solution file, line " + std::to_string(line) + ": " + message
                                       : "solution file: " + message),
        line_(line) {}
  /// Number of the offending line, from 1; 0 when the file could not be opened.
  int line() const { return line_; }

 private:
  int line_;
};

namespace detail {

template <typename Scalar>
const char* scalar_name() {
  if (std::is_same<Scalar, float>::value) return "float";
  if (std::is_same<Scalar, double>::value) return "double";
  return "long_double";
}

/// `x` as a hexadecimal float with its sign and the prefix 0x (`-0x1.8p+1`), the form of C's `%a` in the C
/// locale, whatever the locale (`std::to_chars`): exact, so that reading it back gives the same bits.
template <typename Scalar>
std::string hex_float(Scalar x) {
  char buffer[64];  // a long double of 128 bits takes 40 characters
  const std::to_chars_result written = std::to_chars(buffer, buffer + sizeof buffer, x, std::chars_format::hex);
  if (written.ec != std::errc()) throw std::runtime_error("save: a number does not fit its buffer");
  std::string out(buffer, written.ptr);
  out.insert(out[0] == '-' ? 1 : 0, "0x");
  return out;
}

/// Parses a whole token as a finite Scalar, whatever the locale (`std::from_chars`): an optional sign, then
/// either a hexadecimal float after `0x` or `0X` (`%a`'s form: `0x1.8p+1`, the exponent optional) or a decimal
/// one (`1.5`, `2e-3`, `.5`). False for anything else, for infinities and NaN, and for a number outside the
/// range of Scalar (one that overflows, or is so small that it rounds to 0).
template <typename Scalar>
bool parse_scalar(const std::string& token, Scalar& out) {
  using std::isfinite;
  const char* first = token.data();
  const char* const last = first + token.size();
  bool negative = false;
  if (first != last && (*first == '+' || *first == '-')) negative = *first++ == '-';
  std::chars_format format = std::chars_format::general;
  if (last - first > 2 && first[0] == '0' && (first[1] == 'x' || first[1] == 'X')) {
    format = std::chars_format::hex;
    first += 2;
  }
  // A digit or the point must come next: from_chars would take a second sign, "inf" and "nan".
  const auto digit = [format](char c) {
    return (c >= '0' && c <= '9') || c == '.' ||
           (format == std::chars_format::hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
  };
  if (first == last || !digit(*first)) return false;
  Scalar value(0);
  const std::from_chars_result read = std::from_chars(first, last, value, format);
  if (read.ec != std::errc() || read.ptr != last || !isfinite(value)) return false;
  out = negative ? -value : value;
  return true;
}

/// `text` in quotes for a message, cut to its first 60 characters.
inline std::string quoted(const std::string& text) {
  return "'" + (text.size() <= 60 ? text : text.substr(0, 60) + "...") + "'";
}

/// The file format's trial forms: the name in the file, the format versions that hold the form (`first_version`
/// to `version`; `save` writes `version`), the constants after `constants` (`count` of them, -1 for any number),
/// the trial form made from them, and `bounds(trial, t1, j)`: upper bounds of \f$|A|\f$, \f$|A'|\f$,
/// \f$|A''|\f$, \f$|B|\f$, \f$|B'|\f$, \f$|B''|\f$ of component j over \f$[t_0, t_1]\f$ as `basis(t)`
/// computes them (see `solution_bounds`), where \f$L\f$ = fl(t1 - t0) bounds every computed t - t0, t1 - t
/// and t - a. The forms of version 2 derive from `VersionTwoForm`, the initial value forms among them from
/// `InitialValueForm` (`segmentable`: a solution marched in time, of several segments, is written as version 4);
/// the constrained form, whose conditions take lines of their own instead of `constants`, is the one form of
/// version 3.
template <typename Trial>
struct TrialFormat;

/// The versions of the forms that version 2 wrote: read from 1 (no `origin` lines) to 2, written as 2.
struct VersionTwoForm {
  static constexpr int first_version = 1;
  static constexpr int version = 2;
  static constexpr bool segmentable = false;
};

/// The initial value forms (first_order, second_order, system), whose solutions may be marched in segments:
/// one segment is written as version 2, several as version 4.
struct InitialValueForm : VersionTwoForm {
  static constexpr bool segmentable = true;
};

template <typename Scalar>
struct TrialFormat<FirstOrderTrial<Scalar>> : InitialValueForm {
  static const char* name() { return "first_order"; }
  static std::vector<Scalar> constants(const FirstOrderTrial<Scalar>& trial) { return {trial.y0}; }
  static FirstOrderTrial<Scalar> make(Scalar t0, Scalar, const std::vector<Scalar>& c) { return {t0, c[0]}; }
  static TrialBasis<Scalar> bounds(const FirstOrderTrial<Scalar>& trial, Scalar t1, Eigen::Index) {
    using std::abs;
    return {abs(trial.y0), Scalar(0), Scalar(0), t1 - trial.t0, Scalar(1), Scalar(0)};
  }
  static constexpr int count = 1;
};
template <typename Scalar>
struct TrialFormat<SecondOrderTrial<Scalar>> : InitialValueForm {
  static const char* name() { return "second_order"; }
  static std::vector<Scalar> constants(const SecondOrderTrial<Scalar>& trial) { return {trial.y0, trial.dy0}; }
  static SecondOrderTrial<Scalar> make(Scalar t0, Scalar, const std::vector<Scalar>& c) { return {t0, c[0], c[1]}; }
  /// \f$A = y_0 + y'_0 d\f$, \f$B = d^2\f$, \f$B' = 2d\f$ with \f$0 \le d = t - t_0 \le L\f$.
  static TrialBasis<Scalar> bounds(const SecondOrderTrial<Scalar>& trial, Scalar t1, Eigen::Index) {
    using std::abs;
    const Scalar length = t1 - trial.t0;
    return {abs(trial.y0) + abs(trial.dy0) * length, abs(trial.dy0), Scalar(0), length * length, Scalar(2) * length,
            Scalar(2)};
  }
  static constexpr int count = 2;
};
template <typename Scalar>
struct TrialFormat<DirichletTrial<Scalar>> : VersionTwoForm {
  static const char* name() { return "dirichlet"; }
  static std::vector<Scalar> constants(const DirichletTrial<Scalar>& trial) { return {trial.ya, trial.yb}; }
  static DirichletTrial<Scalar> make(Scalar t0, Scalar t1, const std::vector<Scalar>& c) { return {t0, t1, c[0], c[1]}; }
  /// \f$A = (y_a (b - t) + y_b (t - a))/L\f$, \f$A' = (y_b - y_a)/L\f$, \f$B = (t - a)(b - t)\f$ and
  /// \f$B' = (a + b) - 2t\f$, whose parts reach \f$|a| + |b|\f$ and \f$2 \max(|a|, |b|)\f$ however short the
  /// interval.
  static TrialBasis<Scalar> bounds(const DirichletTrial<Scalar>& trial, Scalar, Eigen::Index) {
    using std::abs;
    using std::max;
    const Scalar length = trial.b - trial.a;
    const Scalar ends = abs(trial.ya) + abs(trial.yb);
    return {(abs(trial.ya) * length + abs(trial.yb) * length) / length, ends / length, Scalar(0), length * length,
            (abs(trial.a) + abs(trial.b)) + Scalar(2) * max(abs(trial.a), abs(trial.b)), Scalar(2)};
  }
  static constexpr int count = 2;
};
template <typename Scalar, int N>
struct TrialFormat<SystemTrial<Scalar, N>> : InitialValueForm {
  static const char* name() { return "system"; }
  static std::vector<Scalar> constants(const SystemTrial<Scalar, N>& trial) {
    return std::vector<Scalar>(trial.y0.data(), trial.y0.data() + trial.y0.size());
  }
  static SystemTrial<Scalar, N> make(Scalar t0, Scalar, const std::vector<Scalar>& c) {
    typename SystemTrial<Scalar, N>::Vector y0(static_cast<Eigen::Index>(c.size()));
    for (Eigen::Index j = 0; j < y0.size(); ++j) y0[j] = c[static_cast<std::size_t>(j)];
    return {t0, y0};
  }
  static TrialBasis<Scalar> bounds(const SystemTrial<Scalar, N>& trial, Scalar t1, Eigen::Index j) {
    return TrialFormat<FirstOrderTrial<Scalar>>::bounds(trial.component(j), t1, 0);
  }
  static constexpr int count = N;
};

/// \f$|A^{(d)}|\f$ of the constrained form over \f$[t_0, t_1]\f$ as `ConstrainedTrial::polynomial` computes it:
/// \f$\sum_{e_j \ge d} |\eta_j|\, e_j!/(e_j - d)!\f$, summed in the same order and divided \f$d\f$ times by the
/// same computed \f$L\f$ (unless 0). It bounds because the computed \f$z = (t - t_0)/L\f$ lies in \f$[0, 1]\f$ for
/// t in the interval (rounding is monotonic), so that every computed power \f$z^{e_j - d}\f$ is at most 1 and
/// each term at most \f$|\eta_j|\, e_j!/(e_j - d)!\f$ (an exact integer); infinite (so refused) when the
/// divisions overflow.
template <typename Scalar>
Scalar polynomial_bound(const ConstrainedTrial<Scalar>& trial, int d) {
  using std::abs;
  const Scalar length = trial.t1 - trial.t0;
  Scalar sum(0);
  for (std::size_t j = 0; j < trial.support.size(); ++j) {
    if (trial.support[j] >= d) {
      sum += abs(trial.eta[static_cast<Eigen::Index>(j)]) * monomial_derivative(trial.support[j], d, Scalar(1));
    }
  }
  for (int k = 0; k < d && sum != Scalar(0); ++k) sum /= length;
  return sum;
}

/// The constrained form \f$y = N + \sum_j \eta_j ((t - t_0)/L)^{e_j}\f$ of a `LinearConditionProblem`: its
/// order, conditions, support and \f$\eta\f$ take lines of their own (`write_constrained_trial`,
/// `read_constrained_trial`), so it has no `constants` line and exists from version 3 on.
template <typename Scalar>
struct TrialFormat<ConstrainedTrial<Scalar>> {
  static const char* name() { return "constrained"; }
  static constexpr int first_version = 3;
  static constexpr int version = 3;
  static constexpr bool segmentable = false;
  /// Every number of the trial form in the order of the file (each condition's \f$\kappa\f$, integral weight,
  /// then each term's coefficient and point; then \f$\eta\f$), for comparisons: the file has no `constants` line.
  static std::vector<Scalar> constants(const ConstrainedTrial<Scalar>& trial) {
    std::vector<Scalar> out;
    for (const Condition<Scalar>& c : trial.conditions) {
      out.push_back(c.value);
      out.push_back(c.functional.integral);
      for (const ConditionTerm<Scalar>& term : c.functional.terms) {
        out.push_back(term.coefficient);
        out.push_back(term.point);
      }
    }
    out.insert(out.end(), trial.eta.data(), trial.eta.data() + trial.eta.size());
    return out;
  }
  /// \f$A = \sum_j \eta_j \phi_j\f$ bounded by `polynomial_bound`, \f$B = 1\f$.
  static TrialBasis<Scalar> bounds(const ConstrainedTrial<Scalar>& trial, Scalar, Eigen::Index) {
    return {polynomial_bound(trial, 0), polynomial_bound(trial, 1), polynomial_bound(trial, 2), Scalar(1), Scalar(0),
            Scalar(0)};
  }
};

/// `x` in decimal, as short as reads back the same (for messages).
template <typename Scalar>
std::string decimal(Scalar x) {
  char buffer[64];
  const std::to_chars_result written = std::to_chars(buffer, buffer + sizeof buffer, x);
  return written.ec == std::errc() ? std::string(buffer, written.ptr) : std::string("?");
}

/// Upper bounds of \f$|N|\f$, \f$|N'|\f$, \f$|N''|\f$ as computed anywhere (see `solution_bounds`):
/// \f$2 \sum_k |v_k|\f$, \f$2 \sum_k |v_k| |w_k|\f$ and \f$2 \sum_k (|v_k| |w_k|) |w_k|\f$, summed in floating
/// point, where a sum that overflows is infinite (its terms are never negative, so never NaN).
template <typename Network>
auto network_bounds(const Network& network) {
  using std::abs;
  using Scalar = typename Network::Parameters::Scalar;
  NetworkValues<Scalar> out;
  for (Eigen::Index k = 0; k < network.hidden_units(); ++k) {
    const Scalar v = abs(network.v()[k]);
    const Scalar w = abs(network.w()[k]);
    out.n += v;
    out.dn += v * w;
    out.d2n += v * w * w;
  }
  out.n *= Scalar(2);
  out.dn *= Scalar(2);
  out.d2n *= Scalar(2);
  return out;
}

/// Upper bounds of \f$|y|\f$, \f$|y'|\f$, \f$|y''|\f$ over \f$[t_0, t_1]\f$ as `evaluate` and the array
/// forms compute them, from the bounds `basis` of the trial form's terms (`TrialFormat::bounds`) and `network`
/// of the network's values (`network_bounds`): the same formulas as `combine` on the bounds. A solution whose
/// three bounds are finite and at most the largest Scalar / 16 (room for what a caller computes from them) is
/// finite everywhere on its interval; `load` refuses any other. Why they bound:
/// - every unit's \f$s, s', s''\f$ is in \f$[-1, 1]\f$ as computed, even where \f$w_k (t - \tau)\f$
///   overflows to \f$\pm\infty\f$ (\f$s\f$ is then exactly 0 or 1), provided t - origin is finite, which
///   `load` requires at both ends (rounding is monotonic, so then in between);
/// - rounding is monotonic and odd, so a product or sum computed in the same order from larger magnitudes is
///   not smaller: \f$|v_k s|\f$, \f$|(v_k w_k) s'|\f$ and \f$|((v_k w_k) w_k) s''|\f$ are at most the
///   terms of `network_bounds`, and `combine` on the bounds dominates `combine` on the values;
/// - a sum of \f$H\f$ terms in another order (Eigen's vectorized reductions) is at most
///   \f$(1 + \epsilon)^{2H}\f$ times the ordered sum of their magnitudes: the factor 2 of `network_bounds`
///   covers it for \f$H \le 10^6\f$ (the loader's limit) in float, double and long double.
template <typename Scalar>
TrialValues<Scalar> solution_bounds(const TrialBasis<Scalar>& basis, const NetworkValues<Scalar>& network) {
  return combine(basis, network);
}

template <typename Scalar, typename Values>
void write_line(std::ostream& out, const char* key, const Values& values) {
  out << key;
  for (const auto& x : values) out << ' ' << hex_float<Scalar>(static_cast<Scalar>(x));
  out << '\n';
}

/// The version `save` writes for the forms that existed before the constrained one (first_order,
/// second_order, dirichlet, system), whose files stay as version 2 wrote them; `load` reads it and version 1
/// (which has no `origin` lines: every origin 0).
constexpr int solution_format_version = 2;
/// The version `save` writes for the constrained form, the one form that version 3 adds.
constexpr int constrained_format_version = 3;
/// The version `save` writes for a solution of several segments (time marching), which only the initial value
/// forms have; a solution of one segment is written as before.
constexpr int segmented_format_version = 4;
/// The largest count of segments, networks or units a file holds: `load` reads no count above it.
constexpr Eigen::Index largest_file_count = 1000000;

/// The lines up to and including `interval`.
template <typename Scalar>
void write_header(std::ostream& out, int version, const char* form, Scalar t0, Scalar t1) {
  out << "trialode-solution " << version << '\n';
  out << "form " << form << '\n';
  out << "scalar " << scalar_name<Scalar>() << '\n';
  write_line<Scalar>(out, "interval", std::vector<Scalar>{t0, t1});
}

/// Throws `std::invalid_argument` unless `network` has `hidden` units: a file has one `hidden` line for all
/// its networks.
template <typename Network>
void check_hidden(const Network& network, Eigen::Index hidden) {
  if (network.hidden_units() != hidden) {
    throw std::invalid_argument("save: the networks have " + std::to_string(hidden) + " and " +
                                std::to_string(network.hidden_units()) +
                                " units, but a file holds one number of units for all its networks");
  }
}

/// The `origin` and `weights` lines of each network, which must have `hidden` units.
template <typename Scalar, typename Networks>
void write_network_lines(std::ostream& out, const Networks& networks, Eigen::Index hidden) {
  for (const auto& network : networks) {
    check_hidden(network, hidden);
    write_line<Scalar>(out, "origin", std::vector<Scalar>{network.origin()});
    const auto& p = network.parameters();
    write_line<Scalar>(out, "weights", std::vector<Scalar>(p.data(), p.data() + p.size()));
  }
}

/// The lines from `networks` to `end`.
template <typename Scalar, typename Networks>
void write_networks(std::ostream& out, const Networks& networks) {
  const Eigen::Index hidden = networks.front().hidden_units();
  out << "networks " << networks.size() << '\n';
  out << "hidden " << hidden << '\n';
  write_network_lines<Scalar>(out, networks, hidden);
  out << "end\n";
}

/// The text of a file of version 2; `constants` holds the trial constants (for a system, \f$y_0\f$).
template <typename Scalar, typename Networks>
std::string solution_text(const char* form, Scalar t0, Scalar t1, const std::vector<Scalar>& constants,
                          const Networks& networks) {
  std::ostringstream out;
  out.imbue(std::locale::classic());  // counts without a thousands separator, in every locale
  write_header(out, solution_format_version, form, t0, t1);
  write_line<Scalar>(out, "constants", constants);
  write_networks<Scalar>(out, networks);
  return out.str();
}

/// The constrained form's own lines, between `interval` and `networks`: `order`, one `condition` line per
/// condition followed by its `term` lines, `support` and `eta`.
template <typename Scalar>
void write_constrained_trial(std::ostream& out, const ConstrainedTrial<Scalar>& trial) {
  out << "order " << trial.order << '\n';
  for (const Condition<Scalar>& c : trial.conditions) {
    out << "condition " << hex_float(c.value) << ' ' << hex_float(c.functional.integral) << ' '
        << c.functional.terms.size() << '\n';
    for (const ConditionTerm<Scalar>& term : c.functional.terms) {
      out << "term " << hex_float(term.coefficient) << ' ' << hex_float(term.point) << ' ' << term.order << '\n';
    }
  }
  out << "support";
  for (const int e : trial.support) out << ' ' << e;
  out << '\n';
  write_line<Scalar>(out, "eta", trial.eta);
}

/// The text of a file of the constrained form, version 3.
template <typename Scalar, typename Networks>
std::string constrained_solution_text(const ConstrainedTrial<Scalar>& trial, Scalar t0, Scalar t1,
                                      const Networks& networks) {
  std::ostringstream out;
  out.imbue(std::locale::classic());
  write_header(out, constrained_format_version, TrialFormat<ConstrainedTrial<Scalar>>::name(), t0, t1);
  write_constrained_trial(out, trial);
  write_networks<Scalar>(out, networks);
  return out.str();
}

/// Writes `text` to `out` and flushes it, so that an error of the device (a full disk) shows in the stream's
/// state before it is checked; false if the stream failed.
inline bool write_text(std::ostream& out, const std::string& text) {
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.flush();
  return static_cast<bool>(out);
}

/// The text of a file of version 4, for a solution of several segments: after `interval`, `segments`, `ends`
/// (every \f$a_k\f$), `networks` and `hidden` (the same in every segment), then per segment `segment k` (from
/// 1), its `constants` (the state handed over at \f$a_k\f$) and its networks' `origin` and `weights`; `end`.
template <typename AnySolution>
std::string segmented_solution_text(const AnySolution& solution) {
  using Trial = typename AnySolution::Trial;
  using Scalar = typename Trial::scalar_type;
  using Format = TrialFormat<Trial>;
  if (solution.segments() > largest_file_count) {
    throw std::invalid_argument("save: the solution has " + std::to_string(solution.segments()) +
                                " segments, more than the " + std::to_string(largest_file_count) + " a file holds");
  }
  const Eigen::Index hidden = solution.networks().front().hidden_units();
  std::ostringstream out;
  out.imbue(std::locale::classic());
  write_header(out, segmented_format_version, Format::name(), solution.t0(), solution.t1());
  out << "segments " << solution.segments() << '\n';
  write_line<Scalar>(out, "ends", solution.segment_ends());
  out << "networks " << solution.networks().size() << '\n';
  out << "hidden " << hidden << '\n';
  for (Eigen::Index k = 0; k < solution.segments(); ++k) {
    const auto piece = solution.segment(k);
    out << "segment " << k + 1 << '\n';
    write_line<Scalar>(out, "constants", Format::constants(piece.trial()));
    write_network_lines<Scalar>(out, piece.networks(), hidden);
  }
  out << "end\n";
  return out.str();
}

template <typename AnySolution>
std::string solution_text(const AnySolution& solution) {
  using Trial = typename AnySolution::Trial;
  using Format = TrialFormat<Trial>;
  if constexpr (is_constrained_trial<Trial>) {
    return constrained_solution_text(solution.trial(), solution.t0(), solution.t1(), solution.networks());
  } else {
    if constexpr (Format::segmentable) {
      if (solution.segments() > 1) return segmented_solution_text(solution);
    }
    return solution_text(Format::name(), solution.t0(), solution.t1(), Format::constants(solution.trial()),
                         solution.networks());
  }
}

/// Reads the file line by line, checking each against what it must hold.
template <typename Scalar>
class SolutionReader {
 public:
  explicit SolutionReader(std::istream& in) : in_(in) {}

  /// The next line split into words; its first must be `key`, followed by `count` more (any count if -1).
  std::vector<std::string> expect(const char* key, int count, const char* what) {
    std::string text;
    ++line_;
    if (!std::getline(in_, text)) throw SolutionFileError(line_, std::string("the file ends early; expected ") + what);
    std::istringstream words(text);
    words.imbue(std::locale::classic());
    std::vector<std::string> out;
    for (std::string word; words >> word;) out.push_back(word);
    if (out.empty() || out[0] != key || (count >= 0 && static_cast<int>(out.size()) != count + 1)) {
      throw SolutionFileError(line_, std::string("expected ") + what + ", found " + detail::quoted(text));
    }
    out.erase(out.begin());
    return out;
  }

  /// `key` followed by exactly `count` finite numbers.
  std::vector<Scalar> numbers(const char* key, int count, const std::string& what) {
    const std::vector<std::string> words = expect(key, count, what.c_str());
    std::vector<Scalar> out(words.size());
    for (std::size_t i = 0; i < words.size(); ++i) {
      if (!parse_scalar(words[i], out[i])) {
        throw SolutionFileError(line_, detail::quoted(words[i]) + " is not a finite " + scalar_name<Scalar>());
      }
    }
    return out;
  }

  /// `key` followed by one count from 1 to 1000000 (`largest_file_count`), in decimal digits only (no sign).
  Eigen::Index count(const char* key, const char* what) {
    const std::string word = expect(key, 1, what)[0];
    long value = 0;
    bool digits = !word.empty() && word.size() <= 7;
    for (std::size_t i = 0; digits && i < word.size(); ++i) {
      digits = word[i] >= '0' && word[i] <= '9';
      value = 10 * value + (word[i] - '0');
    }
    if (!digits || value < 1 || value > largest_file_count) throw SolutionFileError(line_, detail::quoted(word) + " is not a positive count");
    return static_cast<Eigen::Index>(value);
  }

  /// The rest of the stream after `end`: nothing but blank lines (or none).
  void only_blank_lines() {
    for (std::string text; std::getline(in_, text);) {
      ++line_;
      if (text.find_first_not_of(" \t\r\f\v") != std::string::npos) {
        throw SolutionFileError(line_, "nothing but blank lines may follow 'end', found " + detail::quoted(text));
      }
    }
  }

  /// One word of the current line as a finite Scalar.
  Scalar number(const std::string& word) const {
    Scalar out(0);
    if (!parse_scalar(word, out)) throw SolutionFileError(line_, detail::quoted(word) + " is not a finite " + scalar_name<Scalar>());
    return out;
  }

  /// One word of the current line as a whole number from `low` to `high` (at most 9999), in decimal digits
  /// only; `what` names it in the message.
  int integer(const std::string& word, int low, int high, const std::string& what) const {
    int value = 0;
    bool digits = !word.empty() && word.size() <= 4;
    for (std::size_t i = 0; digits && i < word.size(); ++i) {
      digits = word[i] >= '0' && word[i] <= '9';
      value = 10 * value + (word[i] - '0');
    }
    if (!digits || value < low || value > high) {
      throw SolutionFileError(line_, detail::quoted(word) + " is not " + what + " from " + std::to_string(low) + " to " +
                                         std::to_string(high));
    }
    return value;
  }

  /// The header lines up to and including `scalar`, for the form `form`, which the versions `first` to `last`
  /// hold, and version 4 (several segments) when it is `segmentable`; returns the format's version.
  int header(const char* form, int first, int last, bool segmentable) {
    const std::vector<std::string> magic =
        expect("trialode-solution", 1, "the header 'trialode-solution' and the format's version");
    if (magic[0] != "1" && magic[0] != "2" && magic[0] != "3" && magic[0] != "4") {
      throw SolutionFileError(line_, "unsupported format version " + detail::quoted(magic[0]) +
                                         " (this version of trialode reads 1 to 4)");
    }
    version_ = magic[0][0] - '0';
    const std::string found = expect("form", 1, "'form' and the trial form")[0];
    if (found != form) {
      throw SolutionFileError(line_, "the file holds a " + detail::quoted(found) + " solution, not the '" + form + "' one asked for");
    }
    const bool segmented = version_ == segmented_format_version;
    if (segmented ? !segmentable : (version_ < first || version_ > last)) {
      throw SolutionFileError(
          1, "unsupported format version " + detail::quoted(magic[0]) + " for the form '" + form +
                 "' (this version of trialode reads it in " +
                 (first == last ? "version " + std::to_string(first)
                                : "versions " + std::to_string(first) + " to " + std::to_string(last)) +
                 (segmentable ? ", and in version 4 when marched in segments)"
                              : segmented ? "; version 4 holds solutions marched in segments, which only the initial "
                                            "value forms first_order, second_order and system are)"
                                          : ")"));
    }
    const std::string scalar = expect("scalar", 1, "'scalar' and the scalar type")[0];
    if (scalar != scalar_name<Scalar>()) {
      throw SolutionFileError(line_, "the file holds " + detail::quoted(scalar) + " values, not " + scalar_name<Scalar>());
    }
    return version_;
  }

  /// `interval t0 t1` with t0 < t1 and a finite length t1 - t0.
  void interval(Scalar& t0, Scalar& t1) {
    using std::isfinite;
    const std::vector<Scalar> ends = numbers("interval", 2, "'interval' followed by 2 numbers");
    if (!(ends[1] > ends[0])) throw SolutionFileError(line_, "the interval's end must be greater than its start");
    if (!isfinite(ends[1] - ends[0])) throw SolutionFileError(line_, "the interval's length t1 - t0 overflows");
    t0_ = t0 = ends[0];
    t1_ = t1 = ends[1];
  }

  /// The `hidden` line: the units of every network, which `fixed_hidden` fixes unless it is not positive.
  Eigen::Index hidden(int fixed_hidden) {
    const Eigen::Index units = count("hidden", "'hidden' and the number of units per network");
    if (fixed_hidden > 0 && units != fixed_hidden) {
      throw SolutionFileError(line_, "the networks have " + std::to_string(units) + " units, but the solution type fixes " +
                                         std::to_string(fixed_hidden));
    }
    return units;
  }

  /// For each of `how_many` networks of `hidden` units its `origin` line (from version 2 on; else the origin is
  /// 0) and its `weights` line. Each network must give a solution finite on \f$[a, b]\f$, where it is evaluated
  /// (`solution_bounds`), with `basis_bounds(k)` the bounds of the trial form's terms for network k there;
  /// `segment` names the segment in messages (empty for a solution of one segment).
  template <typename Network, typename BasisBounds>
  std::vector<Network> network_lines(Eigen::Index how_many, Eigen::Index hidden, BasisBounds&& basis_bounds, Scalar a,
                                     Scalar b, const std::string& segment = std::string()) {
    std::vector<Network> out;
    for (Eigen::Index k = 0; k < how_many; ++k) {
      const Scalar origin = version_ >= 2 ? numbers("origin", 1, "'origin' followed by the network's origin")[0] : Scalar(0);
      const int origin_line = line_;
      const Eigen::Index size = WeightLayout(hidden).size();
      const std::vector<Scalar> w = numbers("weights", static_cast<int>(size),
                                            "'weights' followed by 3 * hidden = " + std::to_string(size) + " numbers");
      typename Network::Parameters p(size);
      for (Eigen::Index j = 0; j < p.size(); ++j) p[j] = w[static_cast<std::size_t>(j)];
      out.emplace_back(hidden, p, origin);
      check_finite(out.back(), basis_bounds(k), k, origin_line, a, b, segment);
    }
    return out;
  }

  /// The `end` line and nothing but blank lines after it.
  void end() {
    expect("end", 0, "'end'");
    only_blank_lines();
  }

  /// The `hidden` line and for each network its `origin` and `weights` lines (`network_lines` on the
  /// interval read before), then `end`.
  template <typename Network, typename BasisBounds>
  std::vector<Network> networks(Eigen::Index how_many, int fixed_hidden, BasisBounds&& basis_bounds) {
    const Eigen::Index units = hidden(fixed_hidden);
    std::vector<Network> out = network_lines<Network>(how_many, units, basis_bounds, t0_, t1_);
    end();
    return out;
  }

  int line() const { return line_; }

 private:
  /// Throws unless t - origin is finite on \f$[a, b]\f$ (`origin_line`, version 2) and the bounds of
  /// `solution_bounds` for network k (from 0), just read, are finite and at most the largest Scalar / 16.
  template <typename Network>
  void check_finite(const Network& network, const TrialBasis<Scalar>& basis, Eigen::Index k, int origin_line, Scalar a,
                    Scalar b, const std::string& segment) const {
    using std::isfinite;
    const Scalar origin = network.origin();
    if (!isfinite(a - origin) || !isfinite(b - origin)) {
      throw SolutionFileError(origin_line, "the origin " + decimal(origin) + " is so far from " +
                                               (segment.empty() ? std::string("the interval") : segment) +
                                               " that t - origin overflows");
    }
    const NetworkValues<Scalar> n = network_bounds(network);
    const TrialValues<Scalar> y = solution_bounds(basis, n);
    const Scalar limit = std::numeric_limits<Scalar>::max() / Scalar(16);
    const char* which = !(y.y <= limit) ? "y" : !(y.dy <= limit) ? "y'" : !(y.d2y <= limit) ? "y''" : nullptr;
    if (which == nullptr) return;
    const Scalar bound = !(y.y <= limit) ? y.y : !(y.dy <= limit) ? y.dy : y.d2y;
    throw SolutionFileError(line_, std::string("the solution is not finite on its interval, or too close to overflow: ") + which +
                                       " of network " + std::to_string(k + 1) + (segment.empty() ? "" : " of " + segment) +
                                       " is bounded only by " +
                                       decimal(bound) + ", above the largest " + scalar_name<Scalar>() +
                                       " / 16 (from 2 sum |v| = " + decimal(n.n) + ", 2 sum |v w| = " + decimal(n.dn) +
                                       ", 2 sum |v w^2| = " + decimal(n.d2n) + ")");
  }

  std::istream& in_;
  int line_ = 0;
  int version_ = 0;
  Scalar t0_ = Scalar(0);
  Scalar t1_ = Scalar(1);
};

/// The constrained form's lines after `interval` (`write_constrained_trial`), checked as
/// `LinearConditionProblem::check` and `detail::choose_support` check a problem: an order from 1 to 4, as many
/// conditions, each with a term or an integral weight, at most 64 terms, points in \f$[t_0, t_1]\f$, derivative
/// orders from 0 to \f$m - 1\f$, conditions whose matrix on every support function is finite, and \f$m\f$
/// distinct support exponents in \f$[0, 2m + 2]\f$ whose support matrix is regular (`equilibrated_condition` at
/// most `largest_support_condition`). \f$\eta\f$ is read as written; the loaded solution's
/// `condition_violations` say how well it meets the conditions.
template <typename Scalar>
ConstrainedTrial<Scalar> read_constrained_trial(SolutionReader<Scalar>& reader, Scalar t0, Scalar t1) {
  ConstrainedTrial<Scalar> trial;
  trial.t0 = t0;
  trial.t1 = t1;
  trial.order = reader.integer(reader.expect("order", 1, "'order' and the order of the equation")[0], 1, 4,
                               "an order of the equation");
  const int m = trial.order;
  std::vector<int> all(static_cast<std::size_t>(2 * m + 3));  // every exponent choose_support may choose
  for (std::size_t j = 0; j < all.size(); ++j) all[j] = static_cast<int>(j);
  for (int i = 1; i <= m; ++i) {
    const std::string which = "condition " + std::to_string(i) + " of " + std::to_string(m);
    const std::vector<std::string> head = reader.expect(
        "condition", 3, ("'condition' (" + which + ") followed by its value, integral weight and number of terms").c_str());
    Condition<Scalar> c;
    c.value = reader.number(head[0]);
    c.functional.integral = reader.number(head[1]);
    const int terms = reader.integer(head[2], 0, 64, "a number of terms");
    if (terms == 0 && c.functional.integral == Scalar(0)) {
      throw SolutionFileError(reader.line(), which + " has no term and no integral: it says nothing about y");
    }
    for (int k = 0; k < terms; ++k) {
      const std::vector<std::string> words = reader.expect(
          "term", 3, ("'term' (" + std::to_string(k + 1) + " of " + std::to_string(terms) + " of " + which +
                      ") followed by its coefficient, point and derivative order")
                         .c_str());
      ConditionTerm<Scalar> term;
      term.coefficient = reader.number(words[0]);
      term.point = reader.number(words[1]);
      if (!(term.point >= t0 && term.point <= t1)) {
        throw SolutionFileError(reader.line(), "the point " + decimal(term.point) + " is outside the interval [" +
                                                   decimal(t0) + ", " + decimal(t1) + "]");
      }
      term.order = reader.integer(words[2], 0, m - 1, "a derivative order of an equation of order " + std::to_string(m));
      c.functional.terms.push_back(term);
    }
    // As choose_support: the condition on every support function it may choose is finite.
    if (!support_matrix(std::vector<Condition<Scalar>>{c}, t0, t1, all).allFinite()) {
      throw SolutionFileError(reader.line(), which + " is not finite on the support functions: the interval is too short "
                                                     "or too long, or a coefficient too large, for this scalar type");
    }
    trial.conditions.push_back(c);
  }
  const std::vector<std::string> exponents = reader.expect(
      "support", m, ("'support' followed by " + std::to_string(m) + " exponents, one per condition").c_str());
  for (const std::string& word : exponents) {
    trial.support.push_back(reader.integer(word, 0, 2 * m + 2, "a support exponent"));
    for (std::size_t j = 0; j + 1 < trial.support.size(); ++j) {
      if (trial.support[j] == trial.support.back()) {
        throw SolutionFileError(reader.line(), "the support exponent " + word + " repeats");
      }
    }
  }
  const Scalar condition = equilibrated_condition(support_matrix(trial.conditions, t0, t1, trial.support));
  if (!(condition <= largest_support_condition<Scalar>(m))) {
    throw SolutionFileError(reader.line(), "the support makes the conditions' matrix singular (condition number " +
                                               decimal(condition) + ", above " +
                                               decimal(largest_support_condition<Scalar>(m)) + ")");
  }
  const std::vector<Scalar> eta =
      reader.numbers("eta", m, "'eta' followed by " + std::to_string(m) + " coefficients, one per support function");
  trial.eta.resize(m);
  for (int j = 0; j < m; ++j) trial.eta[j] = eta[static_cast<std::size_t>(j)];
  return trial;
}

template <typename Stream>
Stream open_file(const std::string& path) {
  Stream file(path);
  if (!file) throw SolutionFileError(0, "cannot open '" + path + "'");
  return file;
}

}  // namespace detail

/// Writes a trained solution: its trial form and constants, interval and network weights, in the text
/// format below, every number a hexadecimal float (as C's `%a` writes it in the C locale), so that `load`
/// gives back the same bits. The file is the same in every locale. The fit's report and diagnostics are not
/// saved.
///
/// \code{.unparsed}
/// trialode-solution 2
/// form second_order                  first_order | second_order | dirichlet | system
/// scalar double                      float | double | long_double
/// interval 0x0p+0 0x1p+1             t0 t1 (for dirichlet a b)
/// constants 0x0p+0 0x1p+0            first_order: y0; second_order: y0 dy0; dirichlet: y(a) y(b); system: y0 (n values)
/// networks 1                         1, or n for a system
/// hidden 10                          units per network
/// origin 0x0p+0                      the network's origin tau: unit k is s(w_k (t - tau) + u_k)
/// weights 0x1.8p-1 ...               3 * hidden values v, w, u
/// end                                (origin and weights once per network, in order)
/// \endcode
///
/// The constrained form of a `LinearConditionProblem`, \f$y = N + \sum_j \eta_j ((t - t_0)/L)^{e_j}\f$, has
/// structured data (conditions with any number of terms) where the others have `constants`; it is written as
/// version 3, the one form of that version:
///
/// \code{.unparsed}
/// trialode-solution 3
/// form constrained
/// scalar double
/// interval 0x0p+0 0x1p+0             t0 t1
/// order 2                            m, 1 to 4
/// condition 0x1p+1 0x0p+0 2          m times: kappa, the weight b of the integral of y, the number of terms (0 to 64)
/// term 0x1p+0 0x0p+0 0               that many times: coefficient a, point t_p in [t0, t1], derivative order 0 to m - 1
/// term 0x1p+0 0x0p+0 1               (the condition is sum a y^(d)(t_p) + b integral y dt = kappa)
/// condition 0x1.5bf0a8b145769p+1 0x0p+0 1
/// term 0x1p+0 0x1p+0 0
/// support 0 2                        the m distinct exponents e_j, each 0 to 2m + 2
/// eta 0x1.8p-1 -0x1.2p-3             the m coefficients eta_j
/// networks 1                         then as above: networks 1, hidden, origin, weights, end
/// ...
/// \endcode
///
/// The other forms are still written as version 2, so that their files are the same bytes as before version 3
/// existed and older trialode reads them; a version 3 file of those forms does not exist, and `load` refuses it,
/// as it refuses a constrained form in version 1 or 2.
///
/// A solution marched in time (`SolveOptions::segments`, `SolveOptions::tolerance`) of more than one segment,
/// which only the initial value forms first_order, second_order and system can be, is written as version 4:
/// the segment ends after the interval, the number of networks and units once (every segment has the same), and
/// per segment its trial constants (the state handed over at \f$a_k\f$, the segment's \f$t_0\f$) and its
/// networks. A solution of one segment is written as version 2, as before:
///
/// \code{.unparsed}
/// trialode-solution 4
/// form second_order                  first_order | second_order | system
/// scalar double
/// interval 0x0p+0 0x1.ep+2           t0 t1
/// segments 3                         S, at least 2
/// ends 0x0p+0 0x1.4p+1 0x1.4p+2 0x1.ep+2   a_0 = t0 < a_1 < ... < a_S = t1
/// networks 1                         1, or n for a system, in every segment
/// hidden 2                           units per network, in every segment
/// segment 1                          S times, numbered from 1:
/// constants 0x1p+0 -0x0p+0             the segment's constants (its t0 is a_k), as in version 2
/// origin 0x0p+0                        then origin and weights once per network, as in version 2
/// weights 0x1.e24e8bbbecc94p-2 ...
/// segment 2
/// constants -0x1.9a2f7ef858b7dp-1 -0x1.326af0dcfcab1p-1
/// origin 0x1.4p+1
/// weights 0x1.87bbcbfdd7e5p-4 ...
/// ...
/// end
/// \endcode
///
/// Numbers are read as written, or as decimals (`0.5`, `-2e-3`); counts, orders and exponents are decimal digits
/// without a sign; only blank lines may follow `end`. Version 1, which trialode wrote before networks had an
/// origin, is version 2 without the `origin` lines; `load` reads it with every origin 0.
///
/// Throws `std::invalid_argument`, writing nothing, for a solution that a file cannot hold: networks with
/// different numbers of units (a file has one `hidden` line), or more than 1000000 segments.
template <typename AnySolution>
void save(const AnySolution& solution, std::ostream& out) {
  if (!detail::write_text(out, detail::solution_text(solution))) {
    throw std::runtime_error("save: writing the solution to the stream failed");
  }
}

/// `save` to a file; throws `SolutionFileError` if it cannot be opened, `std::runtime_error` if writing fails
/// (including when the data reach the disk only as the file is closed, as on a full disk); the file is not
/// opened for a solution that `save` refuses.
template <typename AnySolution>
void save(const AnySolution& solution, const std::string& path) {
  const std::string text = detail::solution_text(solution);
  std::ofstream file = detail::open_file<std::ofstream>(path);
  const bool written = detail::write_text(file, text);
  file.close();
  if (!written || !file) throw std::runtime_error("save: writing '" + path + "' failed");
}

namespace detail {

/// True when a and b are the same number, the sign of a zero included.
template <typename Scalar>
bool same_number(Scalar a, Scalar b) {
  using std::signbit;
  return a == b && signbit(a) == signbit(b);
}

/// Version 4's lines after `interval` (`segmented_solution_text`) for a solution of type `Target` whose
/// interval is \f$[t_0, t_1]\f$: 2 or more segments (a solution of one is written as version 2), as many ends
/// plus one, increasing from \f$t_0\f$ to \f$t_1\f$ exactly, the networks and units of every segment, and per
/// segment its number, its constants and its networks, each checked on its own segment as `networks` checks a
/// network on the interval. The segments are joined (`joined`) as `solve` joins them.
template <typename Target, typename Scalar>
std::remove_const_t<Target> read_segmented(SolutionReader<Scalar>& reader, Scalar t0, Scalar t1) {
  using Solution = std::remove_const_t<Target>;
  using Trial = typename Solution::Trial;
  using Format = TrialFormat<Trial>;
  using Network = typename Solution::Network;
  constexpr bool system = IsSystemTrial<Trial>::value;
  const Eigen::Index segments = reader.count("segments", "'segments' and their number");
  if (segments < 2) {
    throw SolutionFileError(reader.line(), "a file of version 4 has 2 or more segments (a solution of one segment is "
                                           "written as version 2)");
  }
  const std::string ends_count = std::to_string(segments + 1);
  const std::vector<Scalar> ends = reader.numbers("ends", static_cast<int>(segments + 1),
                                                  "'ends' followed by segments + 1 = " + ends_count + " numbers");
  if (!same_number(ends.front(), t0) || !same_number(ends.back(), t1)) {
    throw SolutionFileError(reader.line(), "the ends must run from the interval's start " + decimal(t0) + " to its end " +
                                               decimal(t1) + ", not from " + decimal(ends.front()) + " to " +
                                               decimal(ends.back()));
  }
  for (std::size_t k = 0; k + 1 < ends.size(); ++k) {
    if (!(ends[k + 1] > ends[k])) {
      throw SolutionFileError(reader.line(), "the ends must increase, but end " + std::to_string(k + 2) + " (" +
                                                 decimal(ends[k + 1]) + ") is not greater than end " +
                                                 std::to_string(k + 1) + " (" + decimal(ends[k]) + ")");
    }
  }
  const Eigen::Index n = reader.count("networks", "'networks' and their number");
  if (!system && n != 1) throw SolutionFileError(reader.line(), "a scalar solution has 1 network");
  if (system && Format::count > 0 && n != Format::count) {
    throw SolutionFileError(reader.line(), std::to_string(n) + " networks, but the solution type fixes " +
                                               std::to_string(Format::count) + " components");
  }
  const Eigen::Index hidden = reader.hidden(Network::hidden_at_compile_time);
  const int constants = system ? static_cast<int>(n) : Format::count;
  const std::string constants_what =
      "'constants' followed by " + std::to_string(constants) + (constants == 1 ? " number" : " numbers");
  std::vector<Solution> pieces;
  for (Eigen::Index k = 0; k < segments; ++k) {
    const std::string number = std::to_string(k + 1);
    const std::string segment = "segment " + number;
    const std::string what = "'" + segment + "' (" + segment + " of " + std::to_string(segments) + ")";
    const std::string found = reader.expect("segment", 1, what.c_str())[0];
    if (found != number) throw SolutionFileError(reader.line(), "expected " + what + ", found " + quoted("segment " + found));
    const Scalar a = ends[static_cast<std::size_t>(k)];
    const Scalar b = ends[static_cast<std::size_t>(k) + 1];
    const Trial trial = Format::make(a, b, reader.numbers("constants", constants, constants_what + " (" + segment + ")"));
    auto networks = reader.template network_lines<Network>(
        n, hidden, [&](Eigen::Index j) { return Format::bounds(trial, b, j); }, a, b, segment);
    pieces.emplace_back(trial, std::move(networks), a, b);
  }
  reader.end();
  return Solution::joined(pieces);
}

/// Reads a solution of type `Target` (a `Solution` or `SystemSolution`) line by line.
template <typename Target>
Target read_solution(std::istream& in) {
  using Trial = typename Target::Trial;
  using Scalar = typename Trial::scalar_type;
  using Format = TrialFormat<Trial>;
  using Network = typename Target::Network;
  SolutionReader<Scalar> reader(in);
  [[maybe_unused]] const int version = reader.header(Format::name(), Format::first_version, Format::version, Format::segmentable);
  Scalar t0, t1;
  reader.interval(t0, t1);
  if constexpr (is_constrained_trial<Trial>) {
    const Trial trial = read_constrained_trial(reader, t0, t1);
    if (reader.count("networks", "'networks' and their number") != 1) {
      throw SolutionFileError(reader.line(), "a scalar solution has 1 network");
    }
    auto networks = reader.template networks<Network>(1, Network::hidden_at_compile_time,
                                                      [&](Eigen::Index k) { return Format::bounds(trial, t1, k); });
    std::remove_const_t<Target> solution(trial, std::move(networks), t0, t1);
    solution.condition_violations = solution.trial().violations(solution.network());
    // The bounds cover y, y' and y''; conditions on y''' (equations of order 4) are checked by their values.
    if (!solution.condition_violations.allFinite()) {
      throw SolutionFileError(reader.line(), "the solution's conditions are not finite on the interval");
    }
    return solution;
  } else {
    if constexpr (Format::segmentable) {
      if (version == segmented_format_version) return read_segmented<Target>(reader, t0, t1);
    }
    const std::vector<Scalar> constants = reader.numbers(
        "constants", Format::count,
        Format::count < 0 ? std::string("'constants' followed by y0")
                          : "'constants' followed by " + std::to_string(Format::count) + " numbers");
    const int constants_line = reader.line();
    constexpr bool system = IsSystemTrial<Trial>::value;
    const Eigen::Index n = reader.count("networks", "'networks' and their number");
    if (!system && n != 1) throw SolutionFileError(reader.line(), "a scalar solution has 1 network");
    if (system && static_cast<std::size_t>(n) != constants.size()) {
      throw SolutionFileError(reader.line(), std::to_string(n) + " networks, but y0 on line " +
                                                 std::to_string(constants_line) + " has " +
                                                 std::to_string(constants.size()) + " values");
    }
    const Trial trial = Format::make(t0, t1, constants);
    auto networks = reader.template networks<Network>(n, Network::hidden_at_compile_time,
                                                      [&](Eigen::Index k) { return Format::bounds(trial, t1, k); });
    return Target(trial, std::move(networks), t0, t1);
  }
}

}  // namespace detail

/// Reads a solution written by `save`: `auto s = trialode::load<trialode::Solution<double>>(in);`, with the
/// solution type saved (the trial form, scalar type, and fixed sizes must match the file). Throws
/// `SolutionFileError` (a `std::invalid_argument`) naming the line of a malformed, truncated or mismatched file,
/// and of a solution that might not be finite on its own interval: the interval's length and t - origin must be
/// finite, and bounds of \f$|y|\f$, \f$|y'|\f$, \f$|y''|\f$ over the interval at most the largest Scalar / 16.
/// The bounds take \f$\sum_k |v_k|\f$, \f$\sum_k |v_k w_k|\f$, \f$\sum_k |v_k| w_k^2\f$ (twice each) for
/// \f$|N|\f$, \f$|N'|\f$, \f$|N''|\f$, whatever the sigmoids, and the largest \f$|A|\f$, \f$|B|\f$ and
/// their derivatives on the interval for the trial form \f$A + B N\f$; the comment of `detail::solution_bounds`
/// says why they hold as computed. A solution returned by `solve` passes unless its values come within a factor
/// of 16 of overflow.
/// For the constrained form, the file must also describe a regular problem, as `LinearConditionProblem::check`
/// requires (an order from 1 to 4 with as many conditions, points in the interval, derivative orders below the
/// order, support exponents that are distinct, in range and make the support matrix regular); the bounds of
/// \f$|A|\f$, \f$|A'|\f$, \f$|A''|\f$ are \f$L^{-d} \sum_j |\eta_j|\, e_j!/(e_j - d)!\f$ and \f$B = 1\f$.
/// A file of version 4 must hold 2 to 1000000 segments whose ends increase from \f$t_0\f$ to \f$t_1\f$ (the
/// interval's numbers, to the bit), each with its number, the constants of its trial form and as many networks
/// of as many units as the header says, each bounded on its own segment as above; the form must be one marched
/// in segments (first_order, second_order, system). The loaded solution has the saved segment ends, trial forms
/// and networks, so it evaluates to the same bits everywhere.
/// The report and diagnostics of the loaded solution are empty: no fit was run, and the report's status
/// says so (`MinimizerStatus::not_run`). The one exception is what belongs to the solution rather than to its
/// fit: a constrained solution's `condition_violations` are computed again from the loaded solution
/// (`trial().violations(network())`), as `solve` computes them, so they are the saved solution's to the bit.
template <typename Target>
Target load(std::istream& in) {
  return detail::read_solution<Target>(in);
}

/// `load` from a file; throws `SolutionFileError` if it cannot be opened.
template <typename Target>
Target load(const std::string& path) {
  std::ifstream file = detail::open_file<std::ifstream>(path);
  return load<Target>(file);
}

}  // namespace trialode
