// SPDX-License-Identifier: MIT
// The nonlinear second-order problems of the tests, initial and boundary value, with both partial derivatives
// supplied, and the seeded weights of one network on a problem's interval.
#pragma once

#include <trialode/approximation/network.hpp>
#include <trialode/problems/second_order.hpp>

#include <cmath>
#include <cstdint>

namespace trialode_test {

/// A nonlinear right-hand side in both y and y', so that both partial derivatives matter:
/// y'' = sin t - y y' / 2 - y^2 / 4. Generic, so that it also serves automatic differentiation.
template <typename Scalar>
struct Nonlinear {
  template <typename T>
  T operator()(T t, T y, T dy) const {
    using std::sin;
    return sin(t) - y * dy / Scalar(2) - y * y / Scalar(4);
  }
};
template <typename Scalar>
Scalar nonlinear_dfdy(Scalar, Scalar y, Scalar dy) {
  return -dy / Scalar(2) - y / Scalar(2);
}
template <typename Scalar>
Scalar nonlinear_dfddy(Scalar, Scalar y, Scalar) {
  return -y / Scalar(2);
}

/// The equation as an initial value problem on [0.5, 2.5], y(0.5) = 0.8, y'(0.5) = -0.3.
template <typename Scalar>
auto nonlinear_ivp() {
  return trialode::SecondOrderProblem{Nonlinear<Scalar>{}, &nonlinear_dfdy<Scalar>, &nonlinear_dfddy<Scalar>,
                                      Scalar(0.5), Scalar(2.5), Scalar(0.8), Scalar(-0.3)};
}
/// The equation as a boundary value problem on [-1, 1.5], y(-1) = 0.4, y(1.5) = 1.1.
template <typename Scalar>
auto nonlinear_bvp() {
  return trialode::BoundaryValueProblem{Nonlinear<Scalar>{}, &nonlinear_dfdy<Scalar>, &nonlinear_dfddy<Scalar>,
                                        Scalar(-1), Scalar(1.5), Scalar(0.4), Scalar(1.1)};
}

/// The weights of one network of `hidden` units seeded with `seed` on the problem's interval.
template <typename Problem>
Eigen::Matrix<typename Problem::scalar_type, Eigen::Dynamic, 1> seeded_weights(const Problem& problem,
                                                                                 Eigen::Index hidden,
                                                                                 std::uint64_t seed) {
  trialode::SigmoidNetwork<typename Problem::scalar_type> net(hidden);
  net.initialize(seed, problem.t0, problem.t1);
  return net.parameters();
}

}  // namespace trialode_test
