// SPDX-License-Identifier: MIT
// The collocation cost of second-order problems, initial and boundary value: gradient and residual Jacobian
// against central differences, for a dynamic and a fixed number of units.
#include <catch2/catch.hpp>

#include <trialode/approximation/collocation.hpp>
#include <trialode/costs/second_order_cost.hpp>

#include <cstdint>

#include "support/gradient_checks.hpp"
#include "support/second_order_problems.hpp"

TEMPLATE_TEST_CASE("the second-order IVP cost: gradient and Jacobian against central differences",
                   "[costs][second_order][gradient]", float, double) {
  using Scalar = TestType;
  const auto problem = trialode_test::nonlinear_ivp<Scalar>();
  const auto points = trialode::detail::collocation_points(problem.t0, problem.t1, 9);
  trialode::detail::SecondOrderCost<decltype(problem)> cost(problem, 6, points);
  CHECK(cost.parameter_count() == 18);
  CHECK(cost.residual_count() == 9);
  for (std::uint64_t seed : {1u, 4u, 11u}) {
    CAPTURE(seed);
    const auto p = trialode_test::seeded_weights(problem, 6, seed);
    trialode_test::check_gradient(cost, p);
    trialode_test::check_jacobian(cost, p);
  }
}

TEMPLATE_TEST_CASE("the boundary value cost: gradient and Jacobian against central differences",
                   "[costs][second_order][gradient]", float, double) {
  using Scalar = TestType;
  const auto problem = trialode_test::nonlinear_bvp<Scalar>();
  const auto points = trialode::detail::collocation_points(problem.t0, problem.t1, 8, trialode::CollocationRule::chebyshev_lobatto);
  trialode::detail::SecondOrderCost<decltype(problem), 5> cost(problem, 5, points);
  for (std::uint64_t seed : {2u, 7u}) {
    CAPTURE(seed);
    trialode::SigmoidNetwork<Scalar, 5> net;
    net.initialize(seed, problem.t0, problem.t1);
    trialode_test::check_gradient(cost, net.parameters());
    trialode_test::check_jacobian(cost, net.parameters());
  }
}
