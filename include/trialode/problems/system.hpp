// SPDX-License-Identifier: MIT
// Systems of n coupled first-order equations y' = f(t, y), y(t0) = y0 in R^n, as plain data, with the
// Jacobian df/dy supplied or computed exactly by automatic differentiation; n fixed at compile or run time.
#pragma once

#include <Eigen/Core>

#include <cmath>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "detail/autodiff.hpp"
#include "detail/interval.hpp"

namespace trialode {

/// A system of \f$n\f$ first-order equations \f$y' = f(t, y)\f$, \f$y(t_0) = y_0 \in \mathbb{R}^n\f$, on
/// \f$[t_0, t_1]\f$. `N` is \f$n\f$ when known at compile time, else `Eigen::Dynamic` (then \f$n\f$ is the size
/// of \f$y_0\f$). `f(t, y)` takes a `Scalar` and an `Eigen::Matrix<Scalar, N, 1>` and returns a vector of
/// \f$n\f$ entries; `jacobian(t, y)` returns the \f$n \times n\f$ matrix \f$\partial f_j/\partial y_k\f$.
/// Without `jacobian`, it is computed exactly by automatic differentiation: `f` must then be generic,
/// `[](auto t, const auto& y) {...}`, called with `t` an `AutoDiffScalar` and `y` a vector of them; it may
/// return `Eigen::Matrix<std::decay_t<decltype(t)>, N, 1>` (see `AutoDerivative`).
///
/// Sizes are checked once, before any work (`check()`): \f$f(t_0, y_0)\f$ and the Jacobian must have the
/// size of \f$y_0\f$.
///
/// \code
/// // y1' = y2, y2' = -y1, y(0) = (0, 1): (sin t, cos t)
/// trialode::SystemProblem rotation{[](auto, const auto& y) {
///                                    return Eigen::Matrix<std::decay_t<decltype(y[0])>, 2, 1>(y[1], -y[0]); },
///                                  0.0, 3.0, Eigen::Vector2d(0.0, 1.0)};
/// \endcode
template <typename Scalar, int N, typename F, typename Jacobian = AutoDerivative>
struct SystemProblem {
  static_assert(std::is_floating_point<Scalar>::value, "SystemProblem: Scalar must be float, double or long double");
  static_assert(N == Eigen::Dynamic || N > 0, "SystemProblem: N must be positive or Eigen::Dynamic");
  static_assert(detail::differentiable<Jacobian, F, detail::AutoDiff<Scalar, N>,
                                       const Eigen::Matrix<detail::AutoDiff<Scalar, N>, N, 1>&>,
                "No Jacobian was given, so f(t, y) must be callable with Eigen::AutoDiffScalar arguments to be "
                "differentiated exactly: write it as a generic lambda [](auto t, const auto& y) { ... } returning "
                "a vector of std::decay_t<decltype(t)> (with using std::sin; and unqualified sin), or supply the "
                "Jacobian.");

  /// The floating-point type of \f$t\f$ and of the entries of \f$y\f$ and \f$f\f$.
  using scalar_type = Scalar;
  /// The order of the equation: the residual is \f$y' - f\f$.
  static constexpr int order = 1;
  /// Number of equations \f$n\f$ when known at compile time, else `Eigen::Dynamic`.
  static constexpr int components_at_compile_time = N;
  /// A vector of \f$\mathbb{R}^n\f$: \f$y\f$, \f$y_0\f$, \f$f(t, y)\f$.
  using Vector = Eigen::Matrix<Scalar, N, 1>;
  /// An \f$n \times n\f$ matrix: the Jacobian \f$\partial f/\partial y\f$.
  using Matrix = Eigen::Matrix<Scalar, N, N>;

  F f;                ///< right-hand side \f$f(t, y) \in \mathbb{R}^n\f$
  Jacobian jacobian;  ///< \f$\partial f/\partial y\f$, \f$n \times n\f$, or `AutoDerivative`
  Scalar t0;          ///< initial time
  Scalar t1;          ///< end of the interval; must be greater than t0
  Vector y0;          ///< \f$y(t_0)\f$

  /// With the Jacobian supplied as `jacobian_`; the fields take the arguments in order.
  SystemProblem(F f_, Jacobian jacobian_, Scalar t0_, Scalar t1_, Vector y0_)
      : f(std::move(f_)), jacobian(std::move(jacobian_)), t0(t0_), t1(t1_), y0(std::move(y0_)) {
    static_assert(std::is_invocable<const Jacobian&, Scalar, const Vector&>::value,
                  "SystemProblem: jacobian must be callable as jacobian(Scalar t, const Eigen::Matrix<Scalar, N, 1>& y) "
                  "and return the n x n matrix df/dy");
  }
  /// Without the Jacobian: it is computed by automatic differentiation.
  SystemProblem(F f_, Scalar t0_, Scalar t1_, Vector y0_)
      : f(std::move(f_)), jacobian(), t0(t0_), t1(t1_), y0(std::move(y0_)) {
    static_assert(detail::is_automatic<Jacobian>,
                  "SystemProblem: without the Jacobian its type must be AutoDerivative (the default)");
  }

  /// Number of equations \f$n\f$.
  Eigen::Index size() const { return y0.size(); }

  /// Throws `std::invalid_argument` naming the first bad field: an empty or non-finite \f$y_0\f$,
  /// non-finite t0 or t1, t1 <= t0, a length t1 - t0 that is not finite, not a normal number, or shorter than
  /// 16 spacings of `Scalar` at \f$\max(|t_0|, |t_1|)\f$ (`detail::check_interval_length`), or an f or
  /// Jacobian whose size at \f$(t_0, y_0)\f$ is not the size of y0.
  void check() const {
    using std::isfinite;
    if (!isfinite(t0)) throw std::invalid_argument("SystemProblem: t0 is not finite");
    if (!isfinite(t1)) throw std::invalid_argument("SystemProblem: t1 is not finite");
    if (!(t1 > t0)) throw std::invalid_argument("SystemProblem: t1 must be greater than t0");
    detail::check_interval_length("SystemProblem", t0, t1);
    if (y0.size() < 1) throw std::invalid_argument("SystemProblem: y0 is empty");
    if (!y0.allFinite()) throw std::invalid_argument("SystemProblem: y0 is not finite");
    const Eigen::Index n = y0.size();
    if constexpr (detail::is_automatic<Jacobian>) {
      const Eigen::Index size = detail::with_seeded(f, t0, y0, [](const auto& value) { return value.size(); });
      if (size != n) throw size_error("f(t0, y0)", size, 1, n, 1);
    } else {
      const auto value = f(t0, y0);
      if (value.size() != n) throw size_error("f(t0, y0)", value.size(), 1, n, 1);
      const auto j = jacobian(t0, y0);
      if (j.rows() != n || j.cols() != n) throw size_error("jacobian(t0, y0)", j.rows(), j.cols(), n, n);
    }
  }

  /// \f$f(t, y)\f$ into `value` and \f$\partial f/\partial y\f$ into `df` (both of size \f$n\f$, already sized).
  void partials(Scalar t, const Vector& y, Vector& value, Matrix& df) const {
    detail::vector_partials(f, jacobian, t, y, value, df);
  }

  /// \f$f(t, y)\f$ alone.
  Vector value(Scalar t, const Vector& y) const {
    if constexpr (detail::is_automatic<Jacobian>) {
      Vector out(y.size());
      Matrix df(y.size(), y.size());
      partials(t, y, out, df);
      return out;
    } else {
      return f(t, y);
    }
  }

 private:
  static std::invalid_argument size_error(const char* what, Eigen::Index rows, Eigen::Index cols, Eigen::Index n,
                                          Eigen::Index n_cols) {
    return std::invalid_argument(std::string("SystemProblem: ") + what + " is " + std::to_string(rows) + " x " +
                                 std::to_string(cols) + ", but y0 has " + std::to_string(n) + " entries, so it must be " +
                                 std::to_string(n) + " x " + std::to_string(n_cols));
  }
};

/// Deduction guide: `SystemProblem{f, jacobian, t0, t1, y0}` takes `Scalar` from the type of the times and
/// `N` from the type of `y0` (`Eigen::Vector2d` gives 2, `Eigen::VectorXd` `Eigen::Dynamic`).
template <typename F, typename Jacobian, typename Scalar, int N, int Options, int MaxRows, int MaxCols>
SystemProblem(F, Jacobian, Scalar, Scalar, Eigen::Matrix<Scalar, N, 1, Options, MaxRows, MaxCols>)
    -> SystemProblem<Scalar, N, F, Jacobian>;
/// Deduction guide: `SystemProblem{f, t0, t1, y0}` takes `Scalar` and `N` as above, and the Jacobian is
/// left to automatic differentiation.
template <typename F, typename Scalar, int N, int Options, int MaxRows, int MaxCols>
SystemProblem(F, Scalar, Scalar, Eigen::Matrix<Scalar, N, 1, Options, MaxRows, MaxCols>)
    -> SystemProblem<Scalar, N, F, AutoDerivative>;

}  // namespace trialode
