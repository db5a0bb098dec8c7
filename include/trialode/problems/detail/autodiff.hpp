// SPDX-License-Identifier: MIT
// The one mechanism by which every problem gives f with its partial derivatives: the user's derivative
// callables when supplied, else exact forward-mode automatic differentiation (Eigen's AutoDiffScalar) of the
// f the user wrote once, generically. Never finite differences.
#pragma once

#include <Eigen/Core>
#include <unsupported/Eigen/AutoDiff>

#include <array>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

namespace trialode {

/// Placeholder for a derivative of \f$f\f$ that the user did not supply: the library then computes it
/// exactly by forward-mode automatic differentiation (`Eigen::AutoDiffScalar`). For that, \f$f\f$ must be
/// callable with `Eigen::AutoDiffScalar` arguments: write it as a generic lambda, `[](auto t, auto y) {...}`,
/// with `using std::sin;` and unqualified `sin(t)` (so that Eigen's overloads are found), and constants of
/// the problem's scalar type. If f keeps intermediate results in local variables, give them and f's result
/// the arguments' type, `[](auto t, auto y) -> decltype(y) { const decltype(y) q = ...; ... }`, not `auto`:
/// Eigen's forward-mode expressions refer to their operands, which the end of a statement or of f destroys.
struct AutoDerivative {};

/// \f$f\f$ and its partial derivatives at one point of a scalar problem: \f$f(t, x_1, \dots, x_K)\f$ and
/// \f$\partial f/\partial x_k\f$, where \f$x = (y)\f$ for a first-order and \f$x = (y, y')\f$ for a
/// second-order equation.
template <typename Scalar, int K>
struct Partials {
  Scalar f = Scalar(0);                ///< \f$f\f$
  Eigen::Matrix<Scalar, K, 1> df;      ///< \f$\partial f/\partial x_k\f$ in entry k
};

namespace detail {

/// True when a derivative was left to automatic differentiation.
template <typename Derivative>
constexpr bool is_automatic = std::is_same<Derivative, AutoDerivative>::value;

/// The forward-mode scalar with `Size` derivative directions used to differentiate \f$f\f$.
template <typename Scalar, int Size>
using AutoDiff = Eigen::AutoDiffScalar<Eigen::Matrix<Scalar, Size, 1>>;

/// True when `f` can be called with `Args`, or need not be because `Derivative` was supplied: the test that an
/// f left to automatic differentiation takes forward-mode arguments. Lazy, so that a supplied derivative never
/// makes the compiler try f with those arguments.
template <typename Derivative, typename F, typename... Args>
constexpr bool differentiable =
    std::disjunction<std::bool_constant<!is_automatic<Derivative>>, std::is_invocable<const F&, Args...>>::value;

/// The value and the derivatives of an `AutoDiff` expression in `directions` directions; an empty
/// derivative vector (a result that does not depend on the inputs) counts as zero.
template <typename Scalar, int Size, typename Result>
void split_autodiff(const Result& result, Eigen::Index directions, Scalar& value,
                    Eigen::Matrix<Scalar, Size, 1>& derivatives) {
  const AutoDiff<Scalar, Size> evaluated(result);
  value = evaluated.value();
  if (evaluated.derivatives().size() == directions) {
    derivatives = evaluated.derivatives();
  } else if (evaluated.derivatives().size() == 0) {
    derivatives.setZero(directions);
  } else {
    throw std::invalid_argument("automatic differentiation: f returned " +
                                std::to_string(evaluated.derivatives().size()) + " derivative directions, expected " +
                                std::to_string(directions));
  }
}

/// \f$f(t, x_1, \dots, x_K)\f$ and its \f$K\f$ partial derivatives by the \f$x_k\f$ at scalar arguments:
/// from `derivatives`, a tuple of the user's \f$K\f$ callables taking the arguments of `f`, or, when they
/// are `AutoDerivative`, from one forward-mode pass with \f$K\f$ directions (\f$t\f$ carries none).
template <typename Scalar, typename F, typename... Derivatives, typename... X>
Partials<Scalar, sizeof...(X)> scalar_partials(const F& f, const std::tuple<const Derivatives&...>& derivatives,
                                               Scalar t, X... x) {
  constexpr int K = static_cast<int>(sizeof...(X));
  static_assert(sizeof...(Derivatives) == sizeof...(X), "one derivative per argument of f after t");
  using Direction = Eigen::Matrix<Scalar, K, 1>;
  Partials<Scalar, K> out;
  if constexpr ((is_automatic<Derivatives> && ...)) {
    using AD = AutoDiff<Scalar, K>;
    int k = 0;
    const std::array<AD, K> seeded{AD(x, Direction::Unit(k++))...};
    const AD t_ad(t, Direction::Zero());
    // Converted to AD in the full expression that calls f: f's result may be an expression that refers to f's
    // arguments, which live until that expression ends.
    const AD result = std::apply([&f, &t_ad](const auto&... a) { return AD(f(t_ad, a...)); }, seeded);
    split_autodiff<Scalar, K>(result, K, out.f, out.df);
  } else {
    out.f = static_cast<Scalar>(f(t, x...));
    std::apply([&](const auto&... d) { out.df = Direction(static_cast<Scalar>(d(t, x...))...); }, derivatives);
  }
  return out;
}

/// `use(f(t, y))` with forward-mode arguments: \f$y_j\f$ seeded with direction \f$j\f$ of \f$n\f$, \f$t\f$
/// with none. `use` sees f's own result, a vector (or vector expression) of `AutoDiff` values, while the
/// arguments it may refer to are alive.
template <typename Scalar, int N, typename F, typename Use>
auto with_seeded(const F& f, Scalar t, const Eigen::Matrix<Scalar, N, 1>& y, Use&& use) {
  using AD = AutoDiff<Scalar, N>;
  const Eigen::Index n = y.size();
  Eigen::Matrix<AD, N, 1> y_ad(n);
  for (Eigen::Index j = 0; j < n; ++j) y_ad[j] = AD(y[j], static_cast<int>(n), static_cast<int>(j));
  const AD t_ad(t, Eigen::Matrix<Scalar, N, 1>::Zero(n));
  return use(f(t_ad, static_cast<const Eigen::Matrix<AD, N, 1>&>(y_ad)));
}

/// \f$f(t, y) \in \mathbb{R}^n\f$ into `value` and its Jacobian \f$\partial f_j/\partial y_k\f$ into `df`
/// (both already of size \f$n\f$), from the user's `jacobian`, or, when it is `AutoDerivative`, from one
/// forward-mode pass with \f$n\f$ directions.
template <typename Scalar, int N, typename F, typename Jacobian>
void vector_partials(const F& f, const Jacobian& jacobian, Scalar t, const Eigen::Matrix<Scalar, N, 1>& y,
                     Eigen::Matrix<Scalar, N, 1>& value, Eigen::Matrix<Scalar, N, N>& df) {
  if constexpr (is_automatic<Jacobian>) {
    const Eigen::Index n = y.size();
    Eigen::Matrix<Scalar, N, 1> row(n);
    with_seeded(f, t, y, [&](const auto& result) {
      for (Eigen::Index j = 0; j < n; ++j) {
        Scalar v;
        split_autodiff<Scalar, N>(result[j], n, v, row);
        value[j] = v;
        df.row(j) = row.transpose();
      }
    });
  } else {
    value = f(t, y);
    df = jacobian(t, y);
  }
}

}  // namespace detail

}  // namespace trialode
