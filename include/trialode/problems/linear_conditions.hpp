// SPDX-License-Identifier: MIT
// Equations y^(m) = f(t, y, y', ..., y^(m-1)) of order 1 to 4 with m general linear conditions, as plain data:
// values and derivatives at any points, their linear combinations (Robin, periodic, multi-point) and the
// integral of y, written as the mathematics reads: value_at(0.0) + derivative_at(0.0) == 2.0.
#pragma once

#include <Eigen/Core>
#include <Eigen/LU>
#include <Eigen/SVD>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "detail/autodiff.hpp"
#include "detail/interval.hpp"

namespace trialode {

/// One term \f$a\, y^{(d)}(t_p)\f$ of a linear condition.
template <typename Scalar>
struct ConditionTerm {
  Scalar coefficient = Scalar(1);  ///< \f$a\f$
  Scalar point = Scalar(0);        ///< \f$t_p\f$, in the problem's interval
  int order = 0;                   ///< \f$d\f$: 0 for the value, 1 for \f$y'\f$, up to the equation's order less 1
};

template <typename Scalar>
struct Condition;

/// A linear functional of the solution, \f$C[y] = \sum_i a_i\, y^{(d_i)}(t_i) + b \int_{t_0}^{t_1} y\, dt\f$,
/// built from `value_at`, `derivative_at` and `integral` with `+`, `-` and multiplication by a number;
/// `functional == kappa` makes the condition \f$C[y] = \kappa\f$.
template <typename Scalar>
struct LinearFunctional {
  std::vector<ConditionTerm<Scalar>> terms;  ///< the point terms \f$a_i\, y^{(d_i)}(t_i)\f$
  Scalar integral = Scalar(0);               ///< \f$b\f$, the weight of \f$\int_{t_0}^{t_1} y\, dt\f$

  friend LinearFunctional operator+(LinearFunctional a, const LinearFunctional& b) {
    a.terms.insert(a.terms.end(), b.terms.begin(), b.terms.end());
    a.integral += b.integral;
    return a;
  }
  friend LinearFunctional operator*(Scalar factor, LinearFunctional a) {
    for (ConditionTerm<Scalar>& term : a.terms) term.coefficient *= factor;
    a.integral *= factor;
    return a;
  }
  friend LinearFunctional operator*(const LinearFunctional& a, Scalar factor) { return factor * a; }
  friend LinearFunctional operator/(LinearFunctional a, Scalar divisor) {
    for (ConditionTerm<Scalar>& term : a.terms) term.coefficient /= divisor;
    a.integral /= divisor;
    return a;
  }
  friend LinearFunctional operator-(const LinearFunctional& a) { return Scalar(-1) * a; }
  friend LinearFunctional operator-(const LinearFunctional& a, const LinearFunctional& b) { return a + (-b); }
  /// The condition \f$C[y] = \kappa\f$.
  friend Condition<Scalar> operator==(const LinearFunctional& functional, Scalar kappa) { return {functional, kappa}; }
};

/// A linear condition \f$C[y] = \kappa\f$ on the solution.
template <typename Scalar>
struct Condition {
  LinearFunctional<Scalar> functional;  ///< \f$C\f$
  Scalar value = Scalar(0);             ///< \f$\kappa\f$
};

/// \f$y(t)\f$, as a term of a condition.
template <typename Scalar>
LinearFunctional<Scalar> value_at(Scalar t) {
  return {{ConditionTerm<Scalar>{Scalar(1), t, 0}}, Scalar(0)};
}
/// \f$y^{(k)}(t)\f$ (\f$y'(t)\f$ by default), as a term of a condition.
template <typename Scalar>
LinearFunctional<Scalar> derivative_at(Scalar t, int k = 1) {
  return {{ConditionTerm<Scalar>{Scalar(1), t, k}}, Scalar(0)};
}
/// \f$\int_{t_0}^{t_1} y\, dt\f$ over the problem's interval, as a term of a condition.
template <typename Scalar = double>
LinearFunctional<Scalar> integral() {
  return {{}, Scalar(1)};
}

namespace detail {

/// The order \f$m\f$ of an equation \f$y^{(m)} = f(t, y, \dots, y^{(m-1)})\f$ from the number of arguments
/// f takes (1 to 4 after \f$t\f$), 0 when it takes none of those.
template <typename F, typename Scalar>
constexpr int equation_order() {
  if constexpr (std::is_invocable<const F&, Scalar, Scalar>::value) {
    return 1;
  } else if constexpr (std::is_invocable<const F&, Scalar, Scalar, Scalar>::value) {
    return 2;
  } else if constexpr (std::is_invocable<const F&, Scalar, Scalar, Scalar, Scalar>::value) {
    return 3;
  } else if constexpr (std::is_invocable<const F&, Scalar, Scalar, Scalar, Scalar, Scalar>::value) {
    return 4;
  } else {
    return 0;
  }
}

/// `f(t, x[0], ..., x[K-1])` converted to `Result` while the arguments live (f may return an expression of
/// forward-mode values that refers to them).
template <typename Result, typename F, typename T, typename X, std::size_t K>
Result call_with(const F& f, const T& t, const std::array<X, K>& x) {
  return std::apply([&f, &t](const auto&... a) { return Result(f(t, a...)); }, x);
}

/// \f$z^e\f$ differentiated \f$d\f$ times, \f$e!/(e - d)!\, z^{e - d}\f$ (0 when \f$d > e\f$).
template <typename Scalar>
Scalar monomial_derivative(int e, int d, Scalar z) {
  if (d > e) return Scalar(0);
  Scalar factor(1);
  for (int j = e - d + 1; j <= e; ++j) factor *= Scalar(j);
  Scalar power(1);
  for (int j = 0; j < e - d; ++j) power *= z;
  return factor * power;
}

/// The matrix \f$S_{ij} = C_i[\phi_j]\f$ of conditions on the support functions
/// \f$\phi_j(t) = ((t - t_0)/L)^{e_j}\f$, \f$L = t_1 - t_0\f$: a term \f$a\, y^{(d)}(t_p)\f$ gives
/// \f$a\, \phi_j^{(d)}(t_p) = a\, e!/(e - d)!\, z_p^{e - d}/L^d\f$ and the integral \f$b L/(e_j + 1)\f$.
/// An entry whose terms cancel to within \f$64 \varepsilon\f$ of their sizes is 0 (the condition
/// \f$y(0) - 2 y(1/2) + y(1)\f$ vanishes on \f$1\f$ and \f$t\f$, and rounding must not make it seem not to).
/// The same matrix, up to a factor per row, is the one of the normalized conditions on \f$[0, 1]\f$.
template <typename Scalar>
Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> support_matrix(const std::vector<Condition<Scalar>>& conditions,
                                                                     Scalar t0, Scalar t1,
                                                                     const std::vector<int>& exponents) {
  using std::abs;
  const Scalar length = t1 - t0;
  Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> s(static_cast<Eigen::Index>(conditions.size()),
                                                          static_cast<Eigen::Index>(exponents.size()));
  for (std::size_t i = 0; i < conditions.size(); ++i) {
    for (std::size_t j = 0; j < exponents.size(); ++j) {
      const int e = exponents[j];
      const LinearFunctional<Scalar>& c = conditions[i].functional;
      Scalar sum = c.integral * length / Scalar(e + 1);
      Scalar size = abs(sum);  // the sum of the terms' sizes, to tell a cancellation from a value
      for (const ConditionTerm<Scalar>& term : c.terms) {
        Scalar value = term.coefficient * monomial_derivative(e, term.order, (term.point - t0) / length);
        for (int k = 0; k < term.order && value != Scalar(0); ++k) value /= length;
        sum += value;
        size += abs(value);
      }
      // What the terms cancel to within rounding is 0: a condition that vanishes on phi_j says nothing of eta_j.
      using std::isfinite;
      s(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
          isfinite(size) && abs(sum) <= Scalar(64) * std::numeric_limits<Scalar>::epsilon() * size ? Scalar(0) : sum;
    }
  }
  return s;
}

/// Solves \f$S x = b\f$ for a support matrix: each row scaled to a largest entry of 1 (conditions may differ in
/// size by any factor, \f$10^{17} y(1) = 10^{17}\f$ beside \f$y(0) = 1\f$), then fully pivoted LU.
template <typename Scalar>
class SupportSolver {
 public:
  using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;

  SupportSolver() = default;
  explicit SupportSolver(const Matrix& s) : row_scale_(s.rows()) {
    for (Eigen::Index i = 0; i < s.rows(); ++i) {
      const Scalar largest = s.row(i).cwiseAbs().maxCoeff();
      row_scale_[i] = largest > Scalar(0) ? Scalar(1) / largest : Scalar(1);
    }
    lu_.compute(row_scale_.asDiagonal() * s);
  }
  /// \f$S^{-1} b\f$ for a vector or a matrix `b` of as many rows as S.
  template <typename B>
  Matrix solve(const B& b) const {
    return lu_.solve(row_scale_.asDiagonal() * b);
  }

 private:
  Eigen::Matrix<Scalar, Eigen::Dynamic, 1> row_scale_;
  Eigen::FullPivLU<Matrix> lu_;
};

/// The condition number of `s` with each row scaled to a largest entry of 1 (infinite when a row is 0 or
/// the matrix is singular).
template <typename Matrix>
typename Matrix::Scalar equilibrated_condition(Matrix s) {
  using Scalar = typename Matrix::Scalar;
  for (Eigen::Index i = 0; i < s.rows(); ++i) {
    const Scalar largest = s.row(i).cwiseAbs().maxCoeff();
    if (!(largest > Scalar(0))) return std::numeric_limits<Scalar>::infinity();
    s.row(i) /= largest;
  }
  const Eigen::JacobiSVD<Matrix> svd(s);
  const auto& sigma = svd.singularValues();
  const Scalar smallest = sigma[sigma.size() - 1];
  return smallest > Scalar(0) ? sigma[0] / smallest : std::numeric_limits<Scalar>::infinity();
}

/// The largest condition number of a support matrix that counts as regular: \f$1/(64 m \varepsilon)\f$,
/// about \f$1.7 \cdot 10^{13}\f$ in double for \f$m = 4\f$.
template <typename Scalar>
Scalar largest_support_condition(int m) {
  return Scalar(1) / (Scalar(64) * Scalar(m) * std::numeric_limits<Scalar>::epsilon());
}

/// Throws `std::invalid_argument` naming the conditions that clash: those with a weight in the combination
/// of conditions (rows of `s`, over a rich set of support functions) that vanishes on all of them.
template <typename Scalar>
[[noreturn]] void throw_clash(const char* problem, Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> s, int order) {
  for (Eigen::Index i = 0; i < s.rows(); ++i) {
    const Scalar largest = s.row(i).cwiseAbs().maxCoeff();
    if (largest > Scalar(0)) s.row(i) /= largest;
  }
  // The left singular vector of the smallest singular value: the combination of conditions nearest to 0.
  const Eigen::JacobiSVD<Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>> svd(s, Eigen::ComputeFullU);
  const auto combination = svd.matrixU().col(s.rows() - 1);
  const Scalar largest = combination.cwiseAbs().maxCoeff();
  std::string names;
  Eigen::Index count = 0;
  for (Eigen::Index i = 0; i < combination.size(); ++i) {
    if (std::abs(combination[i]) > Scalar(1e-6) * largest) {
      names += (count == 0 ? "" : ", ") + std::to_string(i + 1);
      ++count;
    }
  }
  throw std::invalid_argument(std::string(problem) + ": condition" + (count == 1 ? " " : "s ") + names +
                              (count == 1 ? " says nothing about the solution's free constants"
                                          : " clash: a combination of them vanishes on every polynomial of degree below " +
                                                std::to_string(s.cols())) +
                              ", so the " + std::to_string(order) + " conditions do not fix the " +
                              std::to_string(order) + " free constants of an equation of order " + std::to_string(order));
}

/// The support exponents \f$e_1 < \dots < e_m\f$ of the constrained expression \f$y = g + \sum_j \phi_j \eta_j\f$,
/// \f$\phi_j = ((t - t_0)/L)^{e_j}\f$: `given` when not empty (checked: \f$m\f$ distinct exponents in
/// \f$[0, 2m + 2]\f$ whose support matrix is regular), else the \f$m\f$ of \f$0, \dots, m + 2\f$ whose matrix
/// `support_matrix`, rows scaled to a largest entry of 1, has the smallest condition number (the first in
/// lexicographic order on a tie). Throws `std::invalid_argument` when no choice is regular (condition below
/// `largest_support_condition`), naming the conditions that clash.
template <typename Scalar>
std::vector<int> choose_support(const char* problem, const std::vector<Condition<Scalar>>& conditions, Scalar t0,
                                Scalar t1, int order, const std::vector<int>& given = {}) {
  const Scalar limit = largest_support_condition<Scalar>(order);
  std::vector<int> all(static_cast<std::size_t>(2 * order + 3));  // every exponent a support may use
  for (std::size_t j = 0; j < all.size(); ++j) all[j] = static_cast<int>(j);
  if (!support_matrix(conditions, t0, t1, all).allFinite()) {
    throw std::invalid_argument(std::string(problem) +
                                ": the conditions on the support functions are not finite: the interval is too short "
                                "or too long for derivatives of these orders in this scalar type");
  }
  if (!given.empty()) {
    if (static_cast<int>(given.size()) != order) {
      throw std::invalid_argument(std::string(problem) + ": support must hold " + std::to_string(order) +
                                  " exponents, one per condition, got " + std::to_string(given.size()));
    }
    for (std::size_t j = 0; j < given.size(); ++j) {
      if (given[j] < 0 || given[j] > 2 * order + 2) {
        throw std::invalid_argument(std::string(problem) + ": support exponents must lie in [0, " +
                                    std::to_string(2 * order + 2) + "], got " + std::to_string(given[j]));
      }
      for (std::size_t k = 0; k < j; ++k) {
        if (given[k] == given[j]) throw std::invalid_argument(std::string(problem) + ": support exponents repeat");
      }
    }
    if (!(equilibrated_condition(support_matrix(conditions, t0, t1, given)) <= limit)) {
      throw std::invalid_argument(std::string(problem) +
                                  ": the support given makes the conditions' matrix singular; leave support empty "
                                  "to have it chosen");
    }
    return given;
  }
  const int candidates = order + 3;
  std::vector<int> best;
  Scalar best_condition = std::numeric_limits<Scalar>::infinity();
  std::vector<int> choice(static_cast<std::size_t>(order));
  for (int j = 0; j < order; ++j) choice[static_cast<std::size_t>(j)] = j;
  while (true) {
    const Scalar condition = equilibrated_condition(support_matrix(conditions, t0, t1, choice));
    if (condition < best_condition) {
      best_condition = condition;
      best = choice;
    }
    // the next m-subset of 0..candidates-1 in lexicographic order
    int j = order - 1;
    while (j >= 0 && choice[static_cast<std::size_t>(j)] == candidates - order + j) --j;
    if (j < 0) break;
    ++choice[static_cast<std::size_t>(j)];
    for (int k = j + 1; k < order; ++k) choice[static_cast<std::size_t>(k)] = choice[static_cast<std::size_t>(k - 1)] + 1;
  }
  if (!(best_condition <= limit)) {
    all.resize(static_cast<std::size_t>(candidates));
    throw_clash(problem, support_matrix(conditions, t0, t1, all), order);
  }
  return best;
}

/// Throws `std::invalid_argument`, naming `problem` and the condition, unless there are `order` conditions,
/// each with at least one term (at most 64), finite numbers, points in \f$[t_0, t_1]\f$ and derivatives of
/// order 0 to `order` - 1, and unless they fix the solution's free constants with the support `support`
/// (or one chosen, when it is empty: `choose_support`).
template <typename Scalar>
void check_conditions(const char* problem, const std::vector<Condition<Scalar>>& conditions, Scalar t0, Scalar t1,
                      int order, const std::vector<int>& support) {
  using std::isfinite;
  if (static_cast<int>(conditions.size()) != order) {
    throw std::invalid_argument(std::string(problem) + ": an equation of order " + std::to_string(order) + " takes " +
                                std::to_string(order) + " conditions, got " + std::to_string(conditions.size()));
  }
  for (std::size_t i = 0; i < conditions.size(); ++i) {
    const std::string which = std::string(problem) + ": condition " + std::to_string(i + 1) + " ";
    const Condition<Scalar>& c = conditions[i];
    if (!isfinite(c.value)) throw std::invalid_argument(which + "has a value that is not finite");
    if (!isfinite(c.functional.integral)) throw std::invalid_argument(which + "has an integral weight that is not finite");
    if (c.functional.terms.empty() && c.functional.integral == Scalar(0)) {
      throw std::invalid_argument(which + "has no term");
    }
    if (c.functional.terms.size() > 64) throw std::invalid_argument(which + "has more than 64 terms");
    for (const ConditionTerm<Scalar>& term : c.functional.terms) {
      if (!isfinite(term.coefficient)) throw std::invalid_argument(which + "has a coefficient that is not finite");
      if (!(term.point >= t0 && term.point <= t1)) {
        throw std::invalid_argument(which + "has a point outside [t0, t1] (or not finite)");
      }
      if (term.order < 0 || term.order >= order) {
        throw std::invalid_argument(which + "asks for a derivative of order " + std::to_string(term.order) +
                                    "; an equation of order " + std::to_string(order) +
                                    " takes conditions on derivatives of order 0 to " + std::to_string(order - 1));
      }
    }
  }
  choose_support(problem, conditions, t0, t1, order, support);
}

}  // namespace detail

/// An equation of order \f$m\f$ from 1 to 4, \f$y^{(m)} = f(t, y, y', \dots, y^{(m-1)})\f$ on
/// \f$[t_0, t_1]\f$, with \f$m\f$ linear conditions \f$C_i[y] = \kappa_i\f$, each a combination of values
/// and derivatives up to order \f$m - 1\f$ at points of the interval and of \f$\int_{t_0}^{t_1} y\, dt\f$:
/// initial values, Neumann, Robin, periodic, multi-point and integral conditions. `solve()` meets them by a
/// constrained expression (Mortari 2017, the Theory of Functional Connections; Leake & Mortari 2020),
/// \f$y = N + \sum_j \phi_j \eta_j\f$, \f$\eta = S^{-1}(\kappa - C[N])\f$ with \f$S_{ij} = C_i[\phi_j]\f$:
/// whatever the network's weights, \f$y\f$ meets every condition, to rounding.
///
/// The order is the number of arguments of f after \f$t\f$. f's partial derivatives
/// \f$\partial f/\partial y^{(k)}\f$ come from automatic differentiation when `gradient` is `AutoDerivative`
/// (f must then be generic, `[](auto t, auto y, auto dy) {...}`), or from `gradient(t, y, ...)`, which returns
/// an `Eigen::Matrix<Scalar, m, 1>`. The support functions are \f$\phi_j = ((t - t_0)/L)^{e_j}\f$, with the
/// exponents `support` or, when it is empty (the default), chosen to make \f$S\f$ best conditioned
/// (`detail::choose_support`; \f$\{1, t\}\f$ is singular for \f$y(0) + y'(0) = 2\f$, \f$y(1) = e\f$, and
/// \f$\{1, t^2\}\f$ is not).
///
/// \code
/// using trialode::value_at; using trialode::derivative_at;
/// // the cantilever y'''' = -1: y(0) = y'(0) = 0, y''(1) = y'''(1) = 0
/// trialode::LinearConditionProblem beam{[](auto, auto, auto, auto, auto) { return -1.0; }, 0.0, 1.0,
///     {value_at(0.0) == 0.0, derivative_at(0.0) == 0.0, derivative_at(1.0, 2) == 0.0, derivative_at(1.0, 3) == 0.0}};
/// \endcode
template <typename Scalar, int Order, typename F, typename Gradient = AutoDerivative>
struct LinearConditionProblem {
  static_assert(std::is_floating_point<Scalar>::value, "LinearConditionProblem: Scalar must be float, double or long double");
  static_assert(Order >= 1 && Order <= 4,
                "LinearConditionProblem: f must be callable as f(t, y), f(t, y, dy), f(t, y, dy, d2y) or "
                "f(t, y, dy, d2y, d3y) with Scalar arguments: equations of order 1 to 4");

  /// The floating-point type of \f$t\f$, \f$y\f$ and \f$f\f$.
  using scalar_type = Scalar;
  /// The order \f$m\f$ of the equation: the residual is \f$y^{(m)} - f\f$.
  static constexpr int order = Order;
  /// \f$(y, y', \dots, y^{(m-1)})\f$ at one point.
  using State = std::array<Scalar, Order>;

  F f;                                  ///< right-hand side \f$f(t, y, \dots, y^{(m-1)})\f$
  Gradient gradient;                    ///< \f$(\partial f/\partial y^{(k)})_k\f$, or `AutoDerivative`
  Scalar t0;                            ///< start of the interval
  Scalar t1;                            ///< end of the interval; must be greater than t0
  std::vector<Condition<Scalar>> conditions;  ///< \f$m\f$ conditions \f$C_i[y] = \kappa_i\f$
  std::vector<int> support;             ///< exponents \f$e_j\f$ of the support functions; empty: chosen

  /// f's partial derivatives by automatic differentiation.
  LinearConditionProblem(F f_, Scalar t0_, Scalar t1_, std::vector<Condition<Scalar>> conditions_)
      : f(std::move(f_)), gradient(), t0(t0_), t1(t1_), conditions(std::move(conditions_)) {
    static_assert(detail::is_automatic<Gradient>, "LinearConditionProblem: without a gradient its type must be AutoDerivative");
  }
  /// f's partial derivatives \f$(\partial f/\partial y, \dots, \partial f/\partial y^{(m-1)})\f$ from `gradient_`.
  LinearConditionProblem(F f_, Gradient gradient_, Scalar t0_, Scalar t1_, std::vector<Condition<Scalar>> conditions_)
      : f(std::move(f_)), gradient(std::move(gradient_)), t0(t0_), t1(t1_), conditions(std::move(conditions_)) {}

  /// Throws `std::invalid_argument` naming the first bad field: non-finite or reversed ends, a length that
  /// `detail::check_interval_length` refuses, not \f$m\f$ conditions, a condition with a non-finite number, a
  /// point outside \f$[t_0, t_1]\f$, a derivative of order outside \f$[0, m - 1]\f$, a condition with no
  /// term, or conditions that clash (`detail::choose_support`).
  void check() const {
    using std::isfinite;
    constexpr const char* name = "LinearConditionProblem";
    if (!isfinite(t0)) throw std::invalid_argument("LinearConditionProblem: t0 is not finite");
    if (!isfinite(t1)) throw std::invalid_argument("LinearConditionProblem: t1 is not finite");
    if (!(t1 > t0)) throw std::invalid_argument("LinearConditionProblem: t1 must be greater than t0");
    detail::check_interval_length(name, t0, t1);
    detail::check_conditions(name, conditions, t0, t1, Order, support);
  }

  /// \f$f(t, x_0, \dots, x_{m-1})\f$ with \f$x_k = y^{(k)}\f$.
  Scalar value(Scalar t, const State& x) const { return detail::call_with<Scalar>(f, t, x); }
  /// \f$f\f$ and \f$\partial f/\partial x_k\f$ in `df[k]`.
  Partials<Scalar, Order> partials(Scalar t, const State& x) const {
    if constexpr (detail::is_automatic<Gradient>) {
      return automatic_partials(t, x, std::make_index_sequence<Order>());
    } else {
      Partials<Scalar, Order> out;
      out.f = value(t, x);
      out.df = detail::call_with<Eigen::Matrix<Scalar, Order, 1>>(gradient, t, x);
      return out;
    }
  }

 private:
  template <std::size_t>
  using Automatic = AutoDerivative;
  /// `detail::scalar_partials` with one `AutoDerivative` per argument after \f$t\f$.
  template <std::size_t... I>
  Partials<Scalar, Order> automatic_partials(Scalar t, const State& x, std::index_sequence<I...>) const {
    const AutoDerivative automatic{};
    return detail::scalar_partials(f, std::tuple<const Automatic<I>&...>((static_cast<void>(I), automatic)...), t, x[I]...);
  }
};

/// Deduction guide: `LinearConditionProblem{f, t0, t1, {conditions}}` takes `Scalar` from the times and the
/// order from the number of f's arguments; f's partial derivatives by automatic differentiation.
template <typename F, typename Scalar>
LinearConditionProblem(F, Scalar, Scalar, std::vector<Condition<Scalar>>)
    -> LinearConditionProblem<Scalar, detail::equation_order<F, Scalar>(), F, AutoDerivative>;
/// Deduction guide: `LinearConditionProblem{f, gradient, t0, t1, {conditions}}`.
template <typename F, typename Gradient, typename Scalar>
LinearConditionProblem(F, Gradient, Scalar, Scalar, std::vector<Condition<Scalar>>)
    -> LinearConditionProblem<Scalar, detail::equation_order<F, Scalar>(), F, Gradient>;

}  // namespace trialode
