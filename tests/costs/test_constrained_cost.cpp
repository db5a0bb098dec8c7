// SPDX-License-Identifier: MIT
// The cost of equations of order 1 to 4 with general linear conditions (ConstrainedCost): gradient and residual
// Jacobian against central differences with nonlinear f and mixed conditions including an integral, the
// output-weight columns of random features, the residual against the constrained trial form computed apart,
// and the cost's invariance under a permutation of the units.
#include <catch2/catch.hpp>

#include <trialode/approximation/collocation.hpp>
#include <trialode/approximation/constrained_trial.hpp>
#include <trialode/costs/constrained_cost.hpp>

#include <cmath>
#include <cstdint>
#include <type_traits>

#include "support/gradient_checks.hpp"

namespace {

using trialode::derivative_at;
using trialode::integral;
using trialode::value_at;

struct First {
  template <typename T>
  T operator()(T t, T y) const {
    using std::cos;
    return T(cos(t) - y * y);
  }
};
struct Second {
  template <typename T>
  T operator()(T, T y, T dy) const {
    return T(y * y - dy);
  }
};
struct Third {
  template <typename T>
  T operator()(T t, T y, T dy, T d2y) const {
    using std::sin;
    return T(sin(t) * y + dy * d2y);
  }
};
template <typename S>
struct Fourth {
  template <typename T>
  T operator()(T, T y, T dy, T d2y, T) const {
    return T(S(-1) + S(0.3) * y * dy + d2y * d2y);
  }
};

/// Problems of each order with mixed conditions, an integral among them.
template <typename S>
auto first_order() {
  return trialode::LinearConditionProblem<S, 1, First>{First{}, S(0), S(3), {S(2) * integral<S>() - value_at(S(1)) == S(2)}};
}
template <typename S>
auto second_order() {
  return trialode::LinearConditionProblem<S, 2, Second>{
      Second{}, S(0), S(1), {value_at(S(0)) + derivative_at(S(0)) == S(2), value_at(S(1)) + S(0.5) * integral<S>() == S(1)}};
}
template <typename S>
auto third_order() {
  return trialode::LinearConditionProblem<S, 3, Third>{
      Third{}, S(0), S(2),
      {value_at(S(0.5)) == S(0.1), derivative_at(S(2)) - derivative_at(S(0)) == S(0), derivative_at(S(1), 2) + integral<S>() == S(1)}};
}
template <typename S>
auto fourth_order() {
  return trialode::LinearConditionProblem<S, 4, Fourth<S>>{
      Fourth<S>{}, S(0), S(1),
      {value_at(S(0)) == S(0.1), derivative_at(S(0)) == S(0), derivative_at(S(1), 2) == S(0),
       derivative_at(S(1), 3) + S(2) * integral<S>() == S(0.5)}};
}

/// Seeded weights, with two units of w = 0 and a small w so that unit_integral's Taylor series is used too.
template <typename Problem>
auto weights(const Problem& problem, Eigen::Index hidden, std::uint64_t seed) {
  using S = typename Problem::scalar_type;
  trialode::SigmoidNetwork<S> net(hidden);
  net.initialize(seed, problem.t0, problem.t1);
  Eigen::Matrix<S, Eigen::Dynamic, 1> p = net.parameters();
  const trialode::WeightLayout layout(hidden, 1);
  p[layout.w_index(0, 0)] = S(0);
  p[layout.w_index(0, 1)] = S(0.05);
  return p;
}

template <typename Problem>
void check_cost(const Problem& problem) {
  using S = typename Problem::scalar_type;
  const auto points = trialode::detail::collocation_points(problem.t0, problem.t1, 9);
  trialode::detail::ConstrainedCost<Problem> cost(problem, 5, points);
  CHECK(cost.parameter_count() == 15);
  CHECK(cost.residual_count() == 9);
  for (std::uint64_t seed : {1u, 5u, 12u}) {
    CAPTURE(seed);
    const auto p = weights(problem, 5, seed);
    trialode_test::check_gradient(cost, p);
    std::vector<Eigen::Index> all;
    for (Eigen::Index j = 0; j < p.size(); ++j) all.push_back(j);
    trialode_test::check_jacobian(cost, p, all);

    // The random-features columns are the Jacobian's v columns, with the same residuals.
    typename decltype(cost)::Residuals r, r_features, r_alone;
    typename decltype(cost)::Jacobian jacobian;
    cost.residuals(p, r, jacobian);
    Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic> phi(9, 5);
    cost.output_residuals(p, r_features, phi);
    cost.residuals(p, r_alone);
    const S tol = std::is_same<S, float>::value ? S(1e-5) : S(1e-13);
    CHECK((r_features - r).norm() <= tol * (S(1) + r.norm()));
    CHECK((r_alone - r).norm() <= tol * (S(1) + r.norm()));
    CHECK((phi - jacobian.leftCols(5)).norm() <= tol * (S(1) + phi.norm()));

    // The residual from the trial form computed apart: eta by its own solve, y^(d) by network_derivatives.
    trialode::SigmoidNetwork<S> net(5, p);
    auto trial = trialode::trial_for(problem);
    trial.fit_to(net);
    CHECK(trial.violations(net).maxCoeff() <= tol * (S(1) + net.v().cwiseAbs().sum()));
    for (Eigen::Index i = 0; i < points.size(); ++i) {
      CAPTURE(i);
      const auto y = trial.template derivatives<Problem::order>(net, points[i]);
      typename Problem::State state;
      for (int d = 0; d < Problem::order; ++d) state[static_cast<std::size_t>(d)] = y[static_cast<std::size_t>(d)];
      const S residual = y[Problem::order] - problem.value(points[i], state);
      CHECK(std::abs(residual - r[i]) <= S(10) * tol * (S(1) + std::abs(r[i])));
    }
  }
}

}  // namespace

TEMPLATE_TEST_CASE("the constrained cost: gradient and Jacobian against central differences, orders 1 to 4",
                   "[costs][gradient][linear_conditions]", float, double) {
  using S = TestType;
  SECTION("first order") { check_cost(first_order<S>()); }
  SECTION("second order") { check_cost(second_order<S>()); }
  SECTION("third order") { check_cost(third_order<S>()); }
  SECTION("fourth order") { check_cost(fourth_order<S>()); }
}

TEMPLATE_TEST_CASE("the constrained cost does not depend on the order of the units, nor on what it saw before",
                   "[costs][linear_conditions]", float, double) {
  using S = TestType;
  const auto problem = third_order<S>();
  const auto points = trialode::detail::collocation_points(problem.t0, problem.t1, 11);
  trialode::detail::ConstrainedCost<decltype(problem)> cost(problem, 4, points);
  trialode::detail::ConstrainedCost<decltype(problem)> fresh(problem, 4, points);
  const auto p = weights(problem, 4, 3);
  const trialode::WeightLayout layout(4, 1);
  // Units reversed: the same network, so the same cost, and the gradient reversed with them.
  auto reversed = p;
  for (Eigen::Index k = 0; k < 4; ++k) {
    reversed[layout.v_index(0, k)] = p[layout.v_index(0, 3 - k)];
    reversed[layout.w_index(0, k)] = p[layout.w_index(0, 3 - k)];
    reversed[layout.u_index(0, k)] = p[layout.u_index(0, 3 - k)];
  }
  Eigen::Matrix<S, Eigen::Dynamic, 1> g, g_reversed;
  const S tol = std::is_same<S, float>::value ? S(1e-5) : S(1e-13);
  const S value = cost(p, g);
  CHECK(cost(reversed, g_reversed) == Approx(value).epsilon(tol));
  for (Eigen::Index k = 0; k < 4; ++k) {
    CHECK(std::abs(g_reversed[layout.w_index(0, k)] - g[layout.w_index(0, 3 - k)]) <= tol * g.norm());
    CHECK(std::abs(g_reversed[layout.v_index(0, k)] - g[layout.v_index(0, 3 - k)]) <= tol * g.norm());
  }
  // The sigmoids kept for the last (w, u) are not reused for other ones; a change of v alone is seen.
  auto other_v = p;
  other_v[layout.v_index(0, 2)] += S(0.75);
  Eigen::Matrix<S, Eigen::Dynamic, 1> g1, g2;
  const S changed = cost(other_v, g1);
  CHECK(changed == fresh(other_v, g2));
  CHECK(changed != value);
  CHECK(cost.value(p) == fresh.value(p));
}
