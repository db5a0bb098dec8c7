// SPDX-License-Identifier: MIT
// The collocation cost of systems: gradient and residual Jacobian against central differences for a
// compile-time and a run-time number of equations.
#include <catch2/catch.hpp>

#include <trialode/approximation/collocation.hpp>
#include <trialode/costs/system_cost.hpp>

#include <cstdint>
#include <type_traits>

#include "support/gradient_checks.hpp"
#include "support/system_problems.hpp"
#include "support/test_support.hpp"

TEMPLATE_TEST_CASE("the system cost with a run-time size: gradient and Jacobian against central differences",
                   "[costs][system][gradient]", float, double) {
  using Scalar = TestType;
  const auto problem = trialode_test::three_body<Scalar>();
  using Cost = trialode::detail::SystemCost<std::decay_t<decltype(problem)>>;
  Cost cost(problem, 4, trialode::detail::collocation_points(problem.t0, problem.t1, 7));
  CHECK(cost.components() == 3);
  CHECK(cost.parameter_count() == 36);
  CHECK(cost.residual_count() == 21);
  for (std::uint64_t seed : {1u, 5u}) {
    CAPTURE(seed);
    const auto p = trialode_test::system_weights<typename Cost::Parameters>(problem, 4, seed);
    trialode_test::check_gradient(cost, p);
    trialode_test::check_jacobian(cost, p);
  }
}

TEMPLATE_TEST_CASE("the system cost with a compile-time size: gradient and Jacobian against central differences",
                   "[costs][system][gradient]", float, double) {
  using Scalar = TestType;
  const auto problem = trialode_test::pair<Scalar>();
  using Cost = trialode::detail::SystemCost<std::decay_t<decltype(problem)>, 5>;
  static_assert(Cost::parameter_size == 30, "2 networks of 5 units");
  Cost cost(problem, 5, trialode::detail::collocation_points(problem.t0, problem.t1, 9, trialode::CollocationRule::chebyshev_lobatto));
  const auto p = trialode_test::system_weights<typename Cost::Parameters>(problem, 5, 3);
  trialode_test::check_gradient(cost, p);
  trialode_test::check_jacobian(cost, p);
}
