// SPDX-License-Identifier: MIT
// Second-order problems y'' = f(t, y, y') as plain data: the initial value problem and the two-point
// boundary value problem with Dirichlet conditions, one equation type with two sets of conditions.
#pragma once

#include <cmath>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include "detail/autodiff.hpp"
#include "detail/interval.hpp"

namespace trialode {

namespace detail {

/// The equation \f$y'' = f(t, y, y')\f$ on \f$[t_0, t_1]\f$ that both second-order problems share: the
/// right-hand side, its partial derivatives (both supplied or both `AutoDerivative`) and the interval.
template <typename Scalar, typename F, typename DfDy, typename DfDdy>
struct SecondOrderEquation {
  static_assert(std::is_floating_point<Scalar>::value, "second-order problem: Scalar must be float, double or long double");
  static_assert(is_automatic<DfDy> == is_automatic<DfDdy>,
                "second-order problem: give both df/dy and df/dy', or neither (then both are computed by automatic "
                "differentiation)");
  static_assert(std::is_invocable_r<Scalar, const F&, Scalar, Scalar, Scalar>::value,
                "second-order problem: f must be callable as f(Scalar t, Scalar y, Scalar dy) and return something "
                "convertible to Scalar");
  static_assert(std::disjunction<std::bool_constant<is_automatic<DfDy>>,
                                   std::is_invocable_r<Scalar, const DfDy&, Scalar, Scalar, Scalar>>::value,
                "second-order problem: dfdy must be callable as dfdy(Scalar t, Scalar y, Scalar dy) and return Scalar");
  static_assert(std::disjunction<std::bool_constant<is_automatic<DfDdy>>,
                                   std::is_invocable_r<Scalar, const DfDdy&, Scalar, Scalar, Scalar>>::value,
                "second-order problem: dfddy must be callable as dfddy(Scalar t, Scalar y, Scalar dy) and return Scalar");
  static_assert(differentiable<DfDy, F, AutoDiff<Scalar, 2>, AutoDiff<Scalar, 2>, AutoDiff<Scalar, 2>>,
                "No df/dy and df/dy' were given, so f(t, y, dy) must be callable with Eigen::AutoDiffScalar "
                "arguments to be differentiated exactly: write it as a generic lambda [](auto t, auto y, auto dy) "
                "{ ... } (with using std::sin; and unqualified sin(t)), or supply both derivatives.");

  using scalar_type = Scalar;
  /// The order of the equation: the residual is \f$y'' - f\f$.
  static constexpr int order = 2;

  F f;          ///< right-hand side \f$f(t, y, y')\f$
  DfDy dfdy;    ///< \f$\partial f/\partial y\f$, or `AutoDerivative`
  DfDdy dfddy;  ///< \f$\partial f/\partial y'\f$, or `AutoDerivative`
  Scalar t0;    ///< start of the interval
  Scalar t1;    ///< end of the interval; must be greater than t0

  SecondOrderEquation(F f_, DfDy dfdy_, DfDdy dfddy_, Scalar t0_, Scalar t1_)
      : f(std::move(f_)), dfdy(std::move(dfdy_)), dfddy(std::move(dfddy_)), t0(t0_), t1(t1_) {}

  /// \f$f(t, y, y')\f$.
  Scalar value(Scalar t, Scalar y, Scalar dy) const { return static_cast<Scalar>(f(t, y, dy)); }
  /// \f$f\f$, \f$\partial f/\partial y\f$ (`df[0]`) and \f$\partial f/\partial y'\f$ (`df[1]`) at \f$(t, y, y')\f$.
  Partials<Scalar, 2> partials(Scalar t, Scalar y, Scalar dy) const {
    return scalar_partials(f, std::tie(dfdy, dfddy), t, y, dy);
  }

 protected:
  /// Throws `std::invalid_argument` naming the first bad value, `problem` naming the problem and each of
  /// `names` the value beside it.
  void check_values(const char* problem, std::initializer_list<std::pair<const char*, Scalar>> values) const {
    using std::isfinite;
    for (const auto& [name, value] : values) {
      if (!isfinite(value)) throw std::invalid_argument(std::string(problem) + ": " + name + " is not finite");
    }
  }
};

}  // namespace detail

/// A second-order initial value problem \f$y'' = f(t, y, y')\f$, \f$y(t_0) = y_0\f$, \f$y'(t_0) = y'_0\f$,
/// solved on \f$[t_0, t_1]\f$. `dfdy` and `dfddy` (\f$\partial f/\partial y\f$, \f$\partial f/\partial y'\f$)
/// take `(t, y, dy)` like `f`; leave both out and they are computed by automatic differentiation, `f` then
/// being generic (see `AutoDerivative`).
///
/// From the equation it shares with `BoundaryValueProblem` it has the fields `f`, `dfdy`, `dfddy`, `t0`,
/// `t1`, the type `scalar_type` (`Scalar`), `order` (2: the residual is \f$y'' - f\f$), `value(t, y, dy)`
/// (\f$f\f$) and `partials(t, y, dy)` (\f$f\f$, with \f$\partial f/\partial y\f$ in `df[0]` and
/// \f$\partial f/\partial y'\f$ in `df[1]`).
///
/// \code
/// // y'' = -y'/5 - y - exp(-t/5) cos(t)/5, y(0) = 0, y'(0) = 1 (Lagaris et al. 1998, problem 3)
/// trialode::SecondOrderProblem p3{[](auto t, auto y, auto dy) {
///                                   using std::cos; using std::exp;
///                                   return -dy / 5.0 - y - exp(-t / 5.0) * cos(t) / 5.0; },
///                                 0.0, 2.0, 0.0, 1.0};
/// \endcode
template <typename Scalar, typename F, typename DfDy = AutoDerivative, typename DfDdy = AutoDerivative>
struct SecondOrderProblem : detail::SecondOrderEquation<Scalar, F, DfDy, DfDdy> {
  Scalar y0;   ///< \f$y(t_0)\f$
  Scalar dy0;  ///< \f$y'(t_0)\f$

  /// With both partial derivatives supplied; the fields take the arguments in order.
  SecondOrderProblem(F f_, DfDy dfdy_, DfDdy dfddy_, Scalar t0_, Scalar t1_, Scalar y0_, Scalar dy0_)
      : detail::SecondOrderEquation<Scalar, F, DfDy, DfDdy>(std::move(f_), std::move(dfdy_), std::move(dfddy_), t0_, t1_),
        y0(y0_), dy0(dy0_) {}
  /// Without derivatives: both are computed by automatic differentiation.
  SecondOrderProblem(F f_, Scalar t0_, Scalar t1_, Scalar y0_, Scalar dy0_)
      : SecondOrderProblem(std::move(f_), DfDy(), DfDdy(), t0_, t1_, y0_, dy0_) {
    static_assert(detail::is_automatic<DfDy>,
                  "SecondOrderProblem: without df/dy and df/dy' their types must be AutoDerivative (the default)");
  }

  /// Throws `std::invalid_argument` naming the first bad field: a non-finite value, t1 <= t0, or a length
  /// t1 - t0 that is not finite, not a normal number, or shorter than 16 spacings of `Scalar` at
  /// \f$\max(|t_0|, |t_1|)\f$ (`detail::check_interval_length`).
  void check() const {
    this->check_values("SecondOrderProblem", {{"t0", this->t0}, {"t1", this->t1}, {"y0", y0}, {"dy0", dy0}});
    if (!(this->t1 > this->t0)) throw std::invalid_argument("SecondOrderProblem: t1 must be greater than t0");
    detail::check_interval_length("SecondOrderProblem", this->t0, this->t1);
  }
};

/// Deduction guide: `SecondOrderProblem{f, dfdy, dfddy, t0, t1, y0, dy0}` takes `Scalar` from the type of
/// the times.
template <typename F, typename DfDy, typename DfDdy, typename Scalar>
SecondOrderProblem(F, DfDy, DfDdy, Scalar, Scalar, Scalar, Scalar) -> SecondOrderProblem<Scalar, F, DfDy, DfDdy>;
/// Deduction guide: `SecondOrderProblem{f, t0, t1, y0, dy0}` takes `Scalar` from the type of the times, and
/// both partial derivatives are left to automatic differentiation.
template <typename F, typename Scalar>
SecondOrderProblem(F, Scalar, Scalar, Scalar, Scalar) -> SecondOrderProblem<Scalar, F, AutoDerivative, AutoDerivative>;

/// A two-point boundary value problem \f$y'' = f(t, y, y')\f$ on \f$[t_0, t_1]\f$ with Dirichlet
/// conditions \f$y(t_0) = y_0\f$, \f$y(t_1) = y_1\f$ (\f$a = t_0\f$, \f$b = t_1\f$). Derivatives as for
/// `SecondOrderProblem`, and the same shared members: `f`, `dfdy`, `dfddy`, `t0`, `t1`, `scalar_type`,
/// `order` (2), `value(t, y, dy)` and `partials(t, y, dy)`.
///
/// \code
/// // the same equation with y(0) = 0, y(1) = sin(1) exp(-1/5) (Lagaris et al. 1998, problem 3)
/// trialode::BoundaryValueProblem p3bvp{[](auto t, auto y, auto dy) {
///                                        using std::cos; using std::exp;
///                                        return -dy / 5.0 - y - exp(-t / 5.0) * cos(t) / 5.0; },
///                                      0.0, 1.0, 0.0, std::sin(1.0) * std::exp(-0.2)};
/// \endcode
template <typename Scalar, typename F, typename DfDy = AutoDerivative, typename DfDdy = AutoDerivative>
struct BoundaryValueProblem : detail::SecondOrderEquation<Scalar, F, DfDy, DfDdy> {
  Scalar y0;  ///< \f$y(t_0)\f$
  Scalar y1;  ///< \f$y(t_1)\f$

  /// With both partial derivatives supplied; the fields take the arguments in order.
  BoundaryValueProblem(F f_, DfDy dfdy_, DfDdy dfddy_, Scalar t0_, Scalar t1_, Scalar y0_, Scalar y1_)
      : detail::SecondOrderEquation<Scalar, F, DfDy, DfDdy>(std::move(f_), std::move(dfdy_), std::move(dfddy_), t0_, t1_),
        y0(y0_), y1(y1_) {}
  /// Without derivatives: both are computed by automatic differentiation.
  BoundaryValueProblem(F f_, Scalar t0_, Scalar t1_, Scalar y0_, Scalar y1_)
      : BoundaryValueProblem(std::move(f_), DfDy(), DfDdy(), t0_, t1_, y0_, y1_) {
    static_assert(detail::is_automatic<DfDy>,
                  "BoundaryValueProblem: without df/dy and df/dy' their types must be AutoDerivative (the default)");
  }

  /// Throws `std::invalid_argument` naming the first bad field: a non-finite value, b <= a, or a length
  /// b - a = t1 - t0 that is not finite, not a normal number, or shorter than 16 spacings of `Scalar` at
  /// \f$\max(|a|, |b|)\f$ (`detail::check_interval_length`).
  void check() const {
    this->check_values("BoundaryValueProblem",
                       {{"t0 (a)", this->t0}, {"t1 (b)", this->t1}, {"y0 = y(a)", y0}, {"y1 = y(b)", y1}});
    if (!(this->t1 > this->t0)) {
      throw std::invalid_argument("BoundaryValueProblem: b = t1 must be greater than a = t0");
    }
    detail::check_interval_length("BoundaryValueProblem", this->t0, this->t1);
  }
};

/// Deduction guide: `BoundaryValueProblem{f, dfdy, dfddy, t0, t1, y0, y1}` takes `Scalar` from the type of
/// the times.
template <typename F, typename DfDy, typename DfDdy, typename Scalar>
BoundaryValueProblem(F, DfDy, DfDdy, Scalar, Scalar, Scalar, Scalar) -> BoundaryValueProblem<Scalar, F, DfDy, DfDdy>;
/// Deduction guide: `BoundaryValueProblem{f, t0, t1, y0, y1}` takes `Scalar` from the type of the times, and
/// both partial derivatives are left to automatic differentiation.
template <typename F, typename Scalar>
BoundaryValueProblem(F, Scalar, Scalar, Scalar, Scalar) -> BoundaryValueProblem<Scalar, F, AutoDerivative, AutoDerivative>;

}  // namespace trialode
