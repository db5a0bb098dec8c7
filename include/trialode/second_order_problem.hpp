// SPDX-License-Identifier: MIT
// Second-order problems y'' = f(t, y, y') as plain data: the initial value problem and the two-point
// boundary value problem with Dirichlet conditions, with f's partial derivatives supplied or computed exactly.
#pragma once

#include <cmath>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "derivatives.hpp"
#include "trial.hpp"

namespace trialode {

/// \f$f\f$ and its partial derivatives at one point \f$(t, y, y')\f$.
template <typename Scalar>
struct SecondOrderPartials {
  Scalar f;      ///< \f$f(t, y, y')\f$
  Scalar dfdy;   ///< \f$\partial f/\partial y\f$
  Scalar dfddy;  ///< \f$\partial f/\partial y'\f$
};

namespace detail {

/// \f$f\f$, \f$\partial f/\partial y\f$ and \f$\partial f/\partial y'\f$: from the user's callables, or
/// from one forward-mode pass with two directions when they are `AutoDerivative`.
template <typename Scalar, typename F, typename DfDy, typename DfDdy>
SecondOrderPartials<Scalar> second_order_partials(const F& f, const DfDy& dfdy, const DfDdy& dfddy, Scalar t,
                                                  Scalar y, Scalar dy) {
  if constexpr (std::is_same<DfDy, AutoDerivative>::value) {
    using AD = AutoDiffScalar<Scalar, 2>;
    static_assert(std::is_invocable<const F&, AD, AD, AD>::value,
                  "No df/dy and df/dy' were given, so f(t, y, dy) must be callable with Eigen::AutoDiffScalar "
                  "arguments to be differentiated exactly: write it as a generic lambda [](auto t, auto y, auto dy) "
                  "{ ... } (with using std::sin; and unqualified sin(t)), or supply both derivatives.");
    const AD t_ad(t, Eigen::Matrix<Scalar, 2, 1>::Zero());
    const AD y_ad(y, Eigen::Matrix<Scalar, 2, 1>::Unit(0));
    const AD dy_ad(dy, Eigen::Matrix<Scalar, 2, 1>::Unit(1));
    SecondOrderPartials<Scalar> out;
    Eigen::Matrix<Scalar, 2, 1> derivatives;
    split_autodiff<Scalar, 2>(f(t_ad, y_ad, dy_ad), 2, out.f, derivatives);
    out.dfdy = derivatives[0];
    out.dfddy = derivatives[1];
    return out;
  } else {
    return {static_cast<Scalar>(f(t, y, dy)), static_cast<Scalar>(dfdy(t, y, dy)), static_cast<Scalar>(dfddy(t, y, dy))};
  }
}

template <typename Scalar, typename F, typename DfDy, typename DfDdy>
constexpr void check_second_order_callables() {
  static_assert(std::is_floating_point<Scalar>::value, "second-order problem: Scalar must be float, double or long double");
  static_assert(std::is_same<DfDy, AutoDerivative>::value == std::is_same<DfDdy, AutoDerivative>::value,
                "second-order problem: give both df/dy and df/dy', or neither (then both are computed by automatic "
                "differentiation)");
  static_assert(std::is_invocable_r<Scalar, const F&, Scalar, Scalar, Scalar>::value,
                "second-order problem: f must be callable as f(Scalar t, Scalar y, Scalar dy) and return something "
                "convertible to Scalar");
  if constexpr (!std::is_same<DfDy, AutoDerivative>::value) {
    static_assert(std::is_invocable_r<Scalar, const DfDy&, Scalar, Scalar, Scalar>::value,
                  "second-order problem: dfdy must be callable as dfdy(Scalar t, Scalar y, Scalar dy) and return Scalar");
    static_assert(std::is_invocable_r<Scalar, const DfDdy&, Scalar, Scalar, Scalar>::value,
                  "second-order problem: dfddy must be callable as dfddy(Scalar t, Scalar y, Scalar dy) and return Scalar");
  }
}

}  // namespace detail

/// A second-order initial value problem \f$y'' = f(t, y, y')\f$, \f$y(t_0) = y_0\f$, \f$y'(t_0) = y'_0\f$,
/// solved on \f$[t_0, t_1]\f$ with the trial form `SecondOrderTrial`. `dfdy` and `dfddy`
/// (\f$\partial f/\partial y\f$, \f$\partial f/\partial y'\f$) take `(t, y, dy)` like `f`; leave both
/// out and they are computed by automatic differentiation, `f` then being generic (see `AutoDerivative`).
///
/// \code
/// // y'' = -y'/5 - y - exp(-t/5) cos(t)/5, y(0) = 0, y'(0) = 1 (Lagaris et al. 1998, problem 3)
/// trialode::SecondOrderProblem p3{[](auto t, auto y, auto dy) {
///                                   using std::cos; using std::exp;
///                                   return -dy / 5.0 - y - exp(-t / 5.0) * cos(t) / 5.0; },
///                                 0.0, 2.0, 0.0, 1.0};
/// \endcode
template <typename Scalar, typename F, typename DfDy = AutoDerivative, typename DfDdy = AutoDerivative>
struct SecondOrderProblem {
  using scalar_type = Scalar;
  using trial_type = SecondOrderTrial<Scalar>;

  F f;          ///< right-hand side \f$f(t, y, y')\f$
  DfDy dfdy;    ///< \f$\partial f/\partial y\f$, or `AutoDerivative`
  DfDdy dfddy;  ///< \f$\partial f/\partial y'\f$, or `AutoDerivative`
  Scalar t0;    ///< initial time, where both conditions hold
  Scalar t1;    ///< end of the interval; must be greater than t0
  Scalar y0;    ///< \f$y(t_0)\f$
  Scalar dy0;   ///< \f$y'(t_0)\f$

  SecondOrderProblem(F f_, DfDy dfdy_, DfDdy dfddy_, Scalar t0_, Scalar t1_, Scalar y0_, Scalar dy0_)
      : f(std::move(f_)), dfdy(std::move(dfdy_)), dfddy(std::move(dfddy_)), t0(t0_), t1(t1_), y0(y0_), dy0(dy0_) {
    detail::check_second_order_callables<Scalar, F, DfDy, DfDdy>();
  }
  /// Without derivatives: both are computed by automatic differentiation.
  SecondOrderProblem(F f_, Scalar t0_, Scalar t1_, Scalar y0_, Scalar dy0_)
      : f(std::move(f_)), dfdy(), dfddy(), t0(t0_), t1(t1_), y0(y0_), dy0(dy0_) {
    detail::check_second_order_callables<Scalar, F, DfDy, DfDdy>();
  }

  /// Throws `std::invalid_argument` naming the first bad field: a non-finite value or t1 <= t0.
  void check() const {
    using std::isfinite;
    if (!isfinite(t0)) throw std::invalid_argument("SecondOrderProblem: t0 is not finite");
    if (!isfinite(t1)) throw std::invalid_argument("SecondOrderProblem: t1 is not finite");
    if (!isfinite(y0)) throw std::invalid_argument("SecondOrderProblem: y0 is not finite");
    if (!isfinite(dy0)) throw std::invalid_argument("SecondOrderProblem: dy0 is not finite");
    if (!(t1 > t0)) throw std::invalid_argument("SecondOrderProblem: t1 must be greater than t0");
  }

  trial_type trial() const { return {t0, y0, dy0}; }
  /// \f$f, \partial f/\partial y, \partial f/\partial y'\f$ at \f$(t, y, y')\f$.
  SecondOrderPartials<Scalar> partials(Scalar t, Scalar y, Scalar dy) const {
    return detail::second_order_partials(f, dfdy, dfddy, t, y, dy);
  }
};

template <typename F, typename DfDy, typename DfDdy, typename Scalar>
SecondOrderProblem(F, DfDy, DfDdy, Scalar, Scalar, Scalar, Scalar) -> SecondOrderProblem<Scalar, F, DfDy, DfDdy>;
template <typename F, typename Scalar>
SecondOrderProblem(F, Scalar, Scalar, Scalar, Scalar) -> SecondOrderProblem<Scalar, F, AutoDerivative, AutoDerivative>;

/// A two-point boundary value problem \f$y'' = f(t, y, y')\f$ on \f$[t_0, t_1]\f$ with Dirichlet
/// conditions \f$y(t_0) = y_0\f$, \f$y(t_1) = y_1\f$, solved with the trial form `DirichletTrial`
/// (\f$a = t_0\f$, \f$b = t_1\f$). Derivatives as for `SecondOrderProblem`.
///
/// \code
/// // the same equation with y(0) = 0, y(1) = sin(1) exp(-1/5) (Lagaris et al. 1998, problem 3)
/// trialode::BoundaryValueProblem p3bvp{[](auto t, auto y, auto dy) {
///                                        using std::cos; using std::exp;
///                                        return -dy / 5.0 - y - exp(-t / 5.0) * cos(t) / 5.0; },
///                                      0.0, 1.0, 0.0, std::sin(1.0) * std::exp(-0.2)};
/// \endcode
template <typename Scalar, typename F, typename DfDy = AutoDerivative, typename DfDdy = AutoDerivative>
struct BoundaryValueProblem {
  using scalar_type = Scalar;
  using trial_type = DirichletTrial<Scalar>;

  F f;          ///< right-hand side \f$f(t, y, y')\f$
  DfDy dfdy;    ///< \f$\partial f/\partial y\f$, or `AutoDerivative`
  DfDdy dfddy;  ///< \f$\partial f/\partial y'\f$, or `AutoDerivative`
  Scalar t0;    ///< left end a
  Scalar t1;    ///< right end b; must be greater than t0
  Scalar y0;    ///< \f$y(t_0)\f$
  Scalar y1;    ///< \f$y(t_1)\f$

  BoundaryValueProblem(F f_, DfDy dfdy_, DfDdy dfddy_, Scalar t0_, Scalar t1_, Scalar y0_, Scalar y1_)
      : f(std::move(f_)), dfdy(std::move(dfdy_)), dfddy(std::move(dfddy_)), t0(t0_), t1(t1_), y0(y0_), y1(y1_) {
    detail::check_second_order_callables<Scalar, F, DfDy, DfDdy>();
  }
  /// Without derivatives: both are computed by automatic differentiation.
  BoundaryValueProblem(F f_, Scalar t0_, Scalar t1_, Scalar y0_, Scalar y1_)
      : f(std::move(f_)), dfdy(), dfddy(), t0(t0_), t1(t1_), y0(y0_), y1(y1_) {
    detail::check_second_order_callables<Scalar, F, DfDy, DfDdy>();
  }

  /// Throws `std::invalid_argument` naming the first bad field: a non-finite value or b <= a.
  void check() const {
    using std::isfinite;
    if (!isfinite(t0)) throw std::invalid_argument("BoundaryValueProblem: t0 (a) is not finite");
    if (!isfinite(t1)) throw std::invalid_argument("BoundaryValueProblem: t1 (b) is not finite");
    if (!isfinite(y0)) throw std::invalid_argument("BoundaryValueProblem: y0 = y(a) is not finite");
    if (!isfinite(y1)) throw std::invalid_argument("BoundaryValueProblem: y1 = y(b) is not finite");
    if (!(t1 > t0)) throw std::invalid_argument("BoundaryValueProblem: b = t1 must be greater than a = t0");
  }

  trial_type trial() const { return {t0, t1, y0, y1}; }
  /// \f$f, \partial f/\partial y, \partial f/\partial y'\f$ at \f$(t, y, y')\f$.
  SecondOrderPartials<Scalar> partials(Scalar t, Scalar y, Scalar dy) const {
    return detail::second_order_partials(f, dfdy, dfddy, t, y, dy);
  }
};

template <typename F, typename DfDy, typename DfDdy, typename Scalar>
BoundaryValueProblem(F, DfDy, DfDdy, Scalar, Scalar, Scalar, Scalar) -> BoundaryValueProblem<Scalar, F, DfDy, DfDdy>;
template <typename F, typename Scalar>
BoundaryValueProblem(F, Scalar, Scalar, Scalar, Scalar) -> BoundaryValueProblem<Scalar, F, AutoDerivative, AutoDerivative>;

}  // namespace trialode
