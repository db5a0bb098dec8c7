// SPDX-License-Identifier: MIT
// The systems of the tests: two nonlinear ones, with a run-time and a compile-time number of equations, each
// with its Jacobian and written generically so that automatic differentiation can take them too, and a linear
// one with plain functions.
#pragma once

#include <trialode/problems/system.hpp>

#include <cmath>

namespace trialode_test {

/// A coupled nonlinear system of three equations:
/// y1' = y2 y3 - sin t, y2' = -y1^2 / 2 + y3, y3' = cos(y1) - y2 / 4.
struct ThreeBody {
  template <typename T, typename Y>
  Eigen::Matrix<T, Eigen::Dynamic, 1> operator()(T t, const Y& y) const {
    using std::cos;
    using std::sin;
    using Real = typename Eigen::NumTraits<T>::Real;
    Eigen::Matrix<T, Eigen::Dynamic, 1> out(3);
    out[0] = y[1] * y[2] - sin(t);
    out[1] = -y[0] * y[0] / Real(2) + y[2];
    out[2] = cos(y[0]) - y[1] / Real(4);
    return out;
  }
};
template <typename Scalar>
Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> three_body_jacobian(Scalar, const Eigen::Matrix<Scalar, Eigen::Dynamic, 1>& y) {
  Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> j(3, 3);
  j << 0, y[2], y[1], -y[0], 0, 1, -std::sin(y[0]), Scalar(-0.25), 0;
  return j;
}

/// A two-equation system with a compile-time size: y1' = y2, y2' = -y1 + y1 y2 / 3.
struct Pair {
  template <typename T, typename Y>
  Eigen::Matrix<T, 2, 1> operator()(T, const Y& y) const {
    using Real = typename Eigen::NumTraits<T>::Real;
    return Eigen::Matrix<T, 2, 1>(y[1], -y[0] + y[0] * y[1] / Real(3));
  }
};
template <typename Scalar>
Eigen::Matrix<Scalar, 2, 2> pair_jacobian(Scalar, const Eigen::Matrix<Scalar, 2, 1>& y) {
  Eigen::Matrix<Scalar, 2, 2> j;
  j << 0, 1, -1 + y[1] / Scalar(3), y[0] / Scalar(3);
  return j;
}

/// ThreeBody on [0.5, 2], y(0.5) = (0.3, -0.5, 1), with its Jacobian.
template <typename Scalar>
auto three_body() {
  const Eigen::Matrix<Scalar, Eigen::Dynamic, 1> y0 =
      (Eigen::Matrix<Scalar, Eigen::Dynamic, 1>(3) << Scalar(0.3), Scalar(-0.5), Scalar(1)).finished();
  return trialode::SystemProblem{ThreeBody{}, &three_body_jacobian<Scalar>, Scalar(0.5), Scalar(2), y0};
}
/// Pair on [0, 2], y(0) = (0.2, 1), with its Jacobian.
template <typename Scalar>
auto pair() {
  return trialode::SystemProblem{Pair{}, &pair_jacobian<Scalar>, Scalar(0), Scalar(2),
                                 Eigen::Matrix<Scalar, 2, 1>(Scalar(0.2), Scalar(1))};
}

/// A system of two equations with f and its Jacobian as plain functions.
using PairFunction = Eigen::Vector2d (*)(double t, const Eigen::Vector2d& y);
using PairJacobian = Eigen::Matrix2d (*)(double t, const Eigen::Vector2d& y);
using FunctionPair = trialode::SystemProblem<double, 2, PairFunction, PairJacobian>;

/// y1' = y2, y2' = -y1 + sin t, y(0) = (0.5, 1) on [0, 2]: linear, so that its linearization about any trial
/// solution is itself.
inline FunctionPair forced_rotation() {
  return {[](double t, const Eigen::Vector2d& y) { return Eigen::Vector2d(y[1], -y[0] + std::sin(t)); },
          [](double, const Eigen::Vector2d&) { return (Eigen::Matrix2d() << 0, 1, -1, 0).finished(); }, 0.0, 2.0,
          Eigen::Vector2d(0.5, 1.0)};
}

}  // namespace trialode_test
