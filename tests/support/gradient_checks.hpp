// SPDX-License-Identifier: MIT
// Checks shared by the tests of every cost (first order, second order, system): the gradient against central
// differences of the value, and the residual Jacobian against the gradient and against central differences
// of the residuals.
#pragma once

#include <catch2/catch.hpp>

#include <cmath>
#include <initializer_list>
#include <type_traits>
#include <vector>

#include "test_support.hpp"

namespace trialode_test {

/// `cost(p, grad)` agrees with `cost.value(p)`, and every entry of grad with a central difference.
template <typename Cost, typename Parameters>
void check_gradient(Cost& cost, const Parameters& p) {
  using Scalar = typename Parameters::Scalar;
  const Scalar tol = difference_tolerance<Scalar>();
  Parameters grad;
  const Scalar value = cost(p, grad);
  CHECK(value == Approx(cost.value(p)).epsilon(tol));
  REQUIRE(grad.size() == cost.parameter_count());
  const Scalar scale = grad.cwiseAbs().maxCoeff();
  for (Eigen::Index j = 0; j < p.size(); ++j) {
    CAPTURE(j);
    const Scalar numeric = central_difference(
        [&](Scalar x) {
          Parameters q = p;
          q[j] = x;
          return cost.value(q);
        },
        p[j]);
    CHECK(std::abs(grad[j] - numeric) <= tol * (std::abs(numeric) + scale));
  }
}

/// `cost.residuals(p, r, J)` gives \f$\|r\|^2 = I\f$ and \f$2 J^T r = \nabla I\f$, and the given columns of
/// J (by default the first, the middle and the last) agree with central differences of the residuals.
template <typename Cost, typename Parameters>
void check_jacobian(Cost& cost, const Parameters& p, std::vector<Eigen::Index> columns = {}) {
  using Scalar = typename Parameters::Scalar;
  if (columns.empty()) columns = {Eigen::Index(0), p.size() / 2, p.size() - 1};
  Parameters grad;
  typename Cost::Residuals r;
  typename Cost::Jacobian jacobian;
  const Scalar value = cost(p, grad);
  cost.residuals(p, r, jacobian);
  REQUIRE(r.size() == cost.residual_count());
  REQUIRE(jacobian.rows() == cost.residual_count());
  REQUIRE(jacobian.cols() == cost.parameter_count());
  const Scalar tol = std::is_same<Scalar, float>::value ? Scalar(1e-4) : Scalar(1e-12);
  CHECK(r.squaredNorm() == Approx(value).epsilon(tol));
  const Parameters from_jacobian = Scalar(2) * jacobian.transpose() * r;
  CHECK((from_jacobian - grad).norm() <= tol * grad.norm());
  for (const Eigen::Index j : columns) {
    CAPTURE(j);
    for (Eigen::Index i = 0; i < r.size(); ++i) {
      CAPTURE(i);
      const Scalar numeric = central_difference(
          [&](Scalar x) {
            Parameters q = p;
            q[j] = x;
            typename Cost::Residuals rq;
            typename Cost::Jacobian jq;
            cost.residuals(q, rq, jq);
            return rq[i];
          },
          p[j]);
      CHECK(std::abs(jacobian(i, j) - numeric) <= difference_tolerance<Scalar>() * (std::abs(numeric) + Scalar(1)));
    }
  }
}

}  // namespace trialode_test
