// SPDX-License-Identifier: MIT
// The residual of an equation at one point, written once for every family: r = y' - f(t, y) for first-order
// problems and systems, r = y'' - f(t, y, y') for second-order ones; with f's partial derivatives for the
// gradient, and its largest size over a set of points for the diagnostics.
#pragma once

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>
#include <utility>

#include "../approximation/trial.hpp"

namespace trialode {

namespace detail {

/// The residual of `problem`'s equation at \f$t\f$ for the trial values \f$y, y', y''\f$ (scalars, or
/// vectors for a system): \f$y' - f(t, y)\f$ for an equation of order 1, \f$y'' - f(t, y, y')\f$ for order 2.
template <typename Problem, typename Value>
Value residual(const Problem& problem, typename Problem::scalar_type t, const TrialValues<Value>& y) {
  if constexpr (Problem::order == 1) {
    return y.dy - problem.value(t, y.y);
  } else {
    return y.d2y - problem.value(t, y.y, y.dy);
  }
}

/// The residual of a scalar equation together with f's partial derivatives there.
template <typename Scalar, int K>
struct ResidualPartials {
  Scalar r;                          ///< the residual
  Eigen::Matrix<Scalar, K, 1> df;    ///< \f$\partial f/\partial y\f$ (and \f$\partial f/\partial y'\f$ for order 2)
};

/// `residual()` of a scalar problem and \f$\partial f/\partial (y, y')\f$ at the same point, for the
/// gradient and the Jacobian of the cost.
template <typename Problem, typename Scalar>
ResidualPartials<Scalar, Problem::order> residual_with_partials(const Problem& problem, Scalar t,
                                                                const TrialValues<Scalar>& y) {
  if constexpr (Problem::order == 1) {
    const auto p = problem.partials(t, y.y);
    return {y.dy - p.f, p.df};
  } else {
    const auto p = problem.partials(t, y.y, y.dy);
    return {y.d2y - p.f, p.df};
  }
}

/// \f$|r|\f$ of a scalar residual, the largest \f$|r_j|\f$ of a vector one.
template <typename Value>
auto largest_abs(const Value& r) {
  if constexpr (std::is_arithmetic<Value>::value) {
    using std::abs;
    return abs(r);
  } else {
    return r.cwiseAbs().maxCoeff();
  }
}

}  // namespace detail

namespace detail {

/// A visitor that does nothing, for detecting `evaluate_each`.
struct IgnoreValues {
  template <typename Values>
  void operator()(Eigen::Index, const Values&) const {}
};

template <typename Solution, typename = void>
struct HasEvaluateEach : std::false_type {};
template <typename Solution>
struct HasEvaluateEach<Solution, std::void_t<decltype(std::declval<const Solution&>().evaluate_each(
                                     Eigen::ArrayXd(), IgnoreValues(), 2))>> : std::true_type {};

}  // namespace detail

/// The largest \f$|r(t_j)|\f$ of a trial solution of `problem` over the points `t` (the largest component
/// for a system), with \f$r\f$ the residual of its equation, \f$y' - f(t, y)\f$ or \f$y'' - f(t, y, y')\f$;
/// NaN if any residual is. `solution` is anything with `evaluate(t)` giving `TrialValues`, such as a
/// `Solution` or `SystemSolution`; its `evaluate_each(t, visit)`, when it has one, serves all the points.
template <typename Problem, typename Solution, typename Derived>
typename Problem::scalar_type max_abs_residual(const Problem& problem, const Solution& solution,
                                               const Eigen::DenseBase<Derived>& t) {
  using Scalar = typename Problem::scalar_type;
  using std::isnan;
  Scalar worst(0);
  bool nan = false;
  const auto add = [&](Eigen::Index j, const auto& y) {
    const Scalar r = detail::largest_abs(detail::residual(problem, static_cast<Scalar>(t.derived().coeff(j)), y));
    if (isnan(r)) nan = true;
    if (!nan) worst = std::max(worst, r);
  };
  if constexpr (detail::HasEvaluateEach<Solution>::value) {
    solution.evaluate_each(t, add, Problem::order);
  } else {
    for (Eigen::Index j = 0; j < t.size() && !nan; ++j) add(j, solution.evaluate(static_cast<Scalar>(t.derived().coeff(j))));
  }
  return nan ? std::numeric_limits<Scalar>::quiet_NaN() : worst;
}

}  // namespace trialode
