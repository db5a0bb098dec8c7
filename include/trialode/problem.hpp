// SPDX-License-Identifier: MIT
// The problems trialode solves, as plain data: the right-hand side, its derivative and the conditions.
// Nothing here knows about networks or minimizers.
#pragma once

#include <cmath>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "derivatives.hpp"

namespace trialode {

/// A first-order initial value problem \f$y' = f(t, y)\f$, \f$y(t_0) = y_0\f$, to be solved on
/// \f$[t_0, t_1]\f$. `f(t, y)` and `dfdy(t, y)` (\f$\partial f/\partial y\f$) are callables taking and
/// returning `Scalar`; the second is needed for the exact gradient of the cost. When it is left out,
/// \f$\partial f/\partial y\f$ is computed exactly by automatic differentiation (`AutoDiffDfDy`), and `f`
/// must then be a generic callable, `[](auto t, auto y) {...}` (see `AutoDerivative`).
///
/// \code
/// trialode::InitialValueProblem decay{[](double, double y) { return -y; },
///                                     [](double, double) { return -1.0; }, 0.0, 5.0, 1.0};
/// trialode::InitialValueProblem same{[](auto, auto y) { return -y; }, 0.0, 5.0, 1.0};  // df/dy by autodiff
/// \endcode
template <typename Scalar, typename F, typename DfDy>
struct InitialValueProblem {
  static_assert(std::is_floating_point<Scalar>::value, "InitialValueProblem: Scalar must be float, double or long double");
  static_assert(std::is_invocable_r<Scalar, const F&, Scalar, Scalar>::value,
                "InitialValueProblem: f must be callable as f(Scalar t, Scalar y) and return something convertible to Scalar");
  static_assert(std::is_invocable_r<Scalar, const DfDy&, Scalar, Scalar>::value,
                "InitialValueProblem: dfdy must be callable as dfdy(Scalar t, Scalar y) and return something convertible to Scalar");

  using scalar_type = Scalar;

  F f;         ///< right-hand side \f$f(t, y)\f$
  DfDy dfdy;   ///< \f$\partial f / \partial y\f$ at \f$(t, y)\f$
  Scalar t0;   ///< initial time, where the condition holds
  Scalar t1;   ///< end of the interval; must be greater than t0
  Scalar y0;   ///< \f$y(t_0)\f$

  InitialValueProblem(F f_, DfDy dfdy_, Scalar t0_, Scalar t1_, Scalar y0_)
      : f(std::move(f_)), dfdy(std::move(dfdy_)), t0(t0_), t1(t1_), y0(y0_) {}
  /// Without df/dy: it is differentiated from `f` by forward-mode automatic differentiation.
  InitialValueProblem(F f_, Scalar t0_, Scalar t1_, Scalar y0_)
      : f(f_), dfdy(std::move(f_)), t0(t0_), t1(t1_), y0(y0_) {}

  /// Throws `std::invalid_argument` naming the first bad field: non-finite t0, t1 or y0, or t1 <= t0.
  void check() const {
    using std::isfinite;
    if (!isfinite(t0)) throw std::invalid_argument("InitialValueProblem: t0 is not finite");
    if (!isfinite(t1)) throw std::invalid_argument("InitialValueProblem: t1 is not finite");
    if (!isfinite(y0)) throw std::invalid_argument("InitialValueProblem: y0 is not finite");
    if (!(t1 > t0)) throw std::invalid_argument("InitialValueProblem: t1 must be greater than t0");
  }
};

template <typename F, typename DfDy, typename Scalar>
InitialValueProblem(F, DfDy, Scalar, Scalar, Scalar) -> InitialValueProblem<Scalar, F, DfDy>;

template <typename F, typename Scalar>
InitialValueProblem(F, Scalar, Scalar, Scalar) -> InitialValueProblem<Scalar, F, AutoDiffDfDy<Scalar, F>>;

}  // namespace trialode
