// SPDX-License-Identifier: MIT
// The first-order initial value problem y' = f(t, y), y(t0) = y0, as plain data: the right-hand side, its
// derivative (supplied or automatic) and the condition. Nothing here knows about networks or minimizers.
#pragma once

#include <cmath>
#include <stdexcept>
#include <tuple>
#include <type_traits>
#include <utility>

#include "detail/autodiff.hpp"
#include "detail/interval.hpp"

namespace trialode {

/// A first-order initial value problem \f$y' = f(t, y)\f$, \f$y(t_0) = y_0\f$, to be solved on
/// \f$[t_0, t_1]\f$. `f(t, y)` and `dfdy(t, y)` (\f$\partial f/\partial y\f$) are callables taking and
/// returning `Scalar`; the second is needed for the exact gradient of the cost. When it is left out,
/// \f$\partial f/\partial y\f$ is computed exactly by automatic differentiation, and `f` must then be a
/// generic callable, `[](auto t, auto y) {...}` (see `AutoDerivative`).
///
/// Like every problem of the library it offers `check()`, its interval and conditions, `value()` (\f$f\f$)
/// and `partials()` (\f$f\f$ with its derivatives).
///
/// \code
/// trialode::InitialValueProblem decay{[](double, double y) { return -y; },
///                                     [](double, double) { return -1.0; }, 0.0, 5.0, 1.0};
/// trialode::InitialValueProblem same{[](auto, auto y) { return -y; }, 0.0, 5.0, 1.0};  // df/dy by autodiff
/// \endcode
template <typename Scalar, typename F, typename DfDy = AutoDerivative>
struct InitialValueProblem {
  static_assert(std::is_floating_point<Scalar>::value, "InitialValueProblem: Scalar must be float, double or long double");
  static_assert(std::is_invocable_r<Scalar, const F&, Scalar, Scalar>::value,
                "InitialValueProblem: f must be callable as f(Scalar t, Scalar y) and return something convertible to Scalar");
  static_assert(std::disjunction<std::bool_constant<detail::is_automatic<DfDy>>,
                                   std::is_invocable_r<Scalar, const DfDy&, Scalar, Scalar>>::value,
                "InitialValueProblem: dfdy must be callable as dfdy(Scalar t, Scalar y) and return something convertible to Scalar");
  static_assert(detail::differentiable<DfDy, F, detail::AutoDiff<Scalar, 1>, detail::AutoDiff<Scalar, 1>>,
                "No df/dy was given, so f(t, y) must be callable with Eigen::AutoDiffScalar arguments to be "
                "differentiated exactly: write it as a generic lambda [](auto t, auto y) { ... } (with using "
                "std::sin; and unqualified sin(t)), or supply df/dy.");

  /// The floating-point type of \f$t\f$, \f$y\f$ and \f$f\f$.
  using scalar_type = Scalar;
  /// The order of the equation: the residual is \f$y' - f\f$.
  static constexpr int order = 1;

  F f;         ///< right-hand side \f$f(t, y)\f$
  DfDy dfdy;   ///< \f$\partial f / \partial y\f$ at \f$(t, y)\f$, or `AutoDerivative`
  Scalar t0;   ///< initial time, where the condition holds
  Scalar t1;   ///< end of the interval; must be greater than t0
  Scalar y0;   ///< \f$y(t_0)\f$

  /// With \f$\partial f/\partial y\f$ supplied as `dfdy_`; the fields take the arguments in order.
  InitialValueProblem(F f_, DfDy dfdy_, Scalar t0_, Scalar t1_, Scalar y0_)
      : f(std::move(f_)), dfdy(std::move(dfdy_)), t0(t0_), t1(t1_), y0(y0_) {}
  /// Without df/dy: it is differentiated from `f` by forward-mode automatic differentiation.
  InitialValueProblem(F f_, Scalar t0_, Scalar t1_, Scalar y0_) : f(std::move(f_)), dfdy(), t0(t0_), t1(t1_), y0(y0_) {
    static_assert(detail::is_automatic<DfDy>,
                  "InitialValueProblem: without df/dy the derivative type must be AutoDerivative (the default); give df/dy "
                  "to the constructor otherwise");
  }

  /// Throws `std::invalid_argument` naming the first bad field: non-finite t0, t1 or y0, t1 <= t0, or a
  /// length t1 - t0 that is not finite, not a normal number, or shorter than 16 spacings of `Scalar` at
  /// \f$\max(|t_0|, |t_1|)\f$ (`detail::check_interval_length`).
  void check() const {
    using std::isfinite;
    if (!isfinite(t0)) throw std::invalid_argument("InitialValueProblem: t0 is not finite");
    if (!isfinite(t1)) throw std::invalid_argument("InitialValueProblem: t1 is not finite");
    if (!isfinite(y0)) throw std::invalid_argument("InitialValueProblem: y0 is not finite");
    if (!(t1 > t0)) throw std::invalid_argument("InitialValueProblem: t1 must be greater than t0");
    detail::check_interval_length("InitialValueProblem", t0, t1);
  }

  /// \f$f(t, y)\f$.
  Scalar value(Scalar t, Scalar y) const { return static_cast<Scalar>(f(t, y)); }
  /// \f$f(t, y)\f$ and \f$\partial f/\partial y\f$ (`df[0]`).
  Partials<Scalar, 1> partials(Scalar t, Scalar y) const {
    return detail::scalar_partials(f, std::tie(dfdy), t, y);
  }
};

/// Deduction guide: `InitialValueProblem{f, dfdy, t0, t1, y0}` takes `Scalar` from the type of the times.
template <typename F, typename DfDy, typename Scalar>
InitialValueProblem(F, DfDy, Scalar, Scalar, Scalar) -> InitialValueProblem<Scalar, F, DfDy>;

/// Deduction guide: `InitialValueProblem{f, t0, t1, y0}` takes `Scalar` from the type of the times, and
/// \f$\partial f/\partial y\f$ is left to automatic differentiation.
template <typename F, typename Scalar>
InitialValueProblem(F, Scalar, Scalar, Scalar) -> InitialValueProblem<Scalar, F, AutoDerivative>;

}  // namespace trialode
