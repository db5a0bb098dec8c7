// SPDX-License-Identifier: MIT
// Exact derivatives of a right-hand side the user wrote once, generically: forward-mode automatic
// differentiation with Eigen's AutoDiffScalar, used when no derivative of f is supplied. Never finite differences.
#pragma once

#include <Eigen/Core>
#include <unsupported/Eigen/AutoDiff>

#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

namespace trialode {

/// Placeholder for a derivative of \f$f\f$ that the user did not supply: the library then computes it
/// exactly by forward-mode automatic differentiation (`Eigen::AutoDiffScalar`). For that, \f$f\f$ must be
/// callable with `Eigen::AutoDiffScalar` arguments: write it as a generic lambda, `[](auto t, auto y) {...}`,
/// with `using std::sin;` and unqualified `sin(t)` (so that Eigen's overloads are found), and constants of
/// the problem's scalar type.
struct AutoDerivative {};

/// The forward-mode scalar with `Size` derivative directions used to differentiate \f$f\f$.
template <typename Scalar, int Size>
using AutoDiffScalar = Eigen::AutoDiffScalar<Eigen::Matrix<Scalar, Size, 1>>;

namespace detail {

/// The value and the derivatives of an `AutoDiffScalar` expression in `Size` directions; an empty
/// derivative vector (a result that does not depend on the inputs) counts as zero.
template <typename Scalar, int Size, typename Result>
void split_autodiff(const Result& result, Eigen::Index directions, Scalar& value,
                    Eigen::Matrix<Scalar, Size, 1>& derivatives) {
  const AutoDiffScalar<Scalar, Size> evaluated(result);
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

}  // namespace detail

/// \f$\partial f/\partial y\f$ of a scalar \f$f(t, y)\f$ by forward-mode automatic differentiation: the
/// `dfdy` of an `InitialValueProblem` built without one.
template <typename Scalar, typename F>
class AutoDiffDfDy {
  using AD = AutoDiffScalar<Scalar, 1>;
  static_assert(std::is_invocable<const F&, AD, AD>::value,
                "No df/dy was given, so f(t, y) must be callable with Eigen::AutoDiffScalar arguments to be "
                "differentiated exactly: write it as a generic lambda [](auto t, auto y) { ... } (with using "
                "std::sin; and unqualified sin(t)), or supply df/dy.");

 public:
  explicit AutoDiffDfDy(F f) : f_(std::move(f)) {}

  /// \f$\partial f/\partial y\f$ at \f$(t, y)\f$.
  Scalar operator()(Scalar t, Scalar y) const {
    const AD t_ad(t, Eigen::Matrix<Scalar, 1, 1>::Zero());
    const AD y_ad(y, Eigen::Matrix<Scalar, 1, 1>::Ones());
    Scalar value;
    Eigen::Matrix<Scalar, 1, 1> derivative;
    detail::split_autodiff<Scalar, 1>(f_(t_ad, y_ad), 1, value, derivative);
    return derivative[0];
  }

 private:
  F f_;
};

}  // namespace trialode
