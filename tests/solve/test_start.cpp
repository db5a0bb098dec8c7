// SPDX-License-Identifier: MIT
// Where a fit starts: the seeded initialisation, steepened as the method wants, or the given weights; an
// all-zero start, which exact gradients would keep symmetric, is made asymmetric.
#include <catch2/catch.hpp>

#include <trialode/trialode.hpp>

#include "support/solved_problems.hpp"

using trialode_test::decay_error;
using trialode_test::decay_problem;

TEST_CASE("an all-zero start is made asymmetric and still converges", "[solve][lbfgs]") {
  const auto problem = decay_problem<double>();
  const auto points = trialode::detail::collocation_points(0.0, 5.0, 41);

  // The trap itself: from zero weights the exact gradient keeps every unit identical.
  trialode::detail::FirstOrderCost<decltype(problem)> cost(problem, 10, points);
  Eigen::VectorXd weights = Eigen::VectorXd::Zero(30);
  trialode::Lbfgs<double> lbfgs{trialode::LbfgsParameters<double>{}};
  lbfgs.minimize(cost, weights);
  CHECK((weights.segment(1, 9).array() == weights[0]).all());
  CHECK((weights.segment(11, 9).array() == weights[10]).all());

  trialode::SolveOptions<double> options;
  options.initial_weights = Eigen::VectorXd::Zero(30);
  const auto solution = trialode_test::solve(problem, options);
  CHECK(solution.converged());
  CHECK(decay_error(solution) <= 1e-4);
}

TEST_CASE("the starting weights: seeded, steepened as the method wants, or given with repeated units replaced",
          "[solve][variable_projection][quasilinearization]") {
  using Network = trialode::SigmoidNetwork<double>;
  const trialode::WeightLayout layout(4, 2);
  trialode::SolveOptions<double> options;
  options.hidden_units = 4;
  options.seed = 7;
  const auto start = [&layout](const trialode::SolveOptions<double>& o) {
    return trialode::detail::starting_weights<Network, Eigen::VectorXd>(layout, o, 0.0, 2.0);
  };
  Network seeded(4);
  seeded.initialize(7, 0.0, 2.0);

  // Every network from the seeded initialisation on the interval.
  const Eigen::VectorXd plain = start(options);
  REQUIRE(plain.size() == 24);
  CHECK(layout.network(plain, 0) == seeded.parameters());
  CHECK(layout.network(plain, 1) == seeded.parameters());
  // The same centres with steeper units for the methods that want them.
  options.method = trialode::Method::variable_projection;
  const Eigen::VectorXd doubled = start(options);
  CHECK(layout.v(doubled, 1) == layout.v(plain, 1));
  CHECK(layout.theta(doubled, 1) == 2.0 * layout.theta(plain, 1));
  options.method = trialode::Method::quasilinearization;
  options.quasilinearization.slope_factor = 3.0;
  const Eigen::VectorXd steeper = start(options);
  CHECK(layout.theta(steeper, 0) == 3.0 * layout.theta(plain, 0));

  // Given weights are taken as they are, but a unit that repeats an earlier unit of its network would never
  // separate from it: it takes the seeded unit's weights instead.
  options.method = trialode::Method::lbfgs;
  Eigen::VectorXd given = Eigen::VectorXd::LinSpaced(24, 1.0, 24.0);
  layout.v(given, 1)[2] = layout.v(given, 1)[0];
  layout.w(given, 1)[2] = layout.w(given, 1)[0];
  layout.u(given, 1)[2] = layout.u(given, 1)[0];
  options.initial_weights = given;
  const Eigen::VectorXd kept = start(options);
  CHECK(layout.network(kept, 0) == layout.network(given, 0));
  for (Eigen::Index unit = 0; unit < 4; ++unit) {
    CAPTURE(unit);
    const bool replaced = unit == 2;
    CHECK(layout.v(kept, 1)[unit] == (replaced ? seeded.v()[unit] : layout.v(given, 1)[unit]));
    CHECK(layout.w(kept, 1)[unit] == (replaced ? seeded.w()[unit] : layout.w(given, 1)[unit]));
    CHECK(layout.u(kept, 1)[unit] == (replaced ? seeded.u()[unit] : layout.u(given, 1)[unit]));
  }
}
