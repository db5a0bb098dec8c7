// SPDX-License-Identifier: MIT
// The one layout of the weights of n networks: where v, w and u of each network sit, the theta and v parts
// that variable projection gathers, and bad sizes.
#include <catch2/catch.hpp>

#include <trialode/approximation/weights.hpp>

#include <stdexcept>

TEST_CASE("WeightLayout places n networks of (v, w, u) one after the other", "[approximation]") {
  const trialode::WeightLayout layout(4, 3);
  CHECK(layout.hidden_units() == 4);
  CHECK(layout.networks() == 3);
  CHECK(layout.per_network() == 12);
  CHECK(layout.size() == 36);
  CHECK(layout.units() == 12);
  CHECK(layout.network_start(2) == 24);
  CHECK(layout.v_index(1, 3) == 15);
  CHECK(layout.w_index(1, 3) == 19);
  CHECK(layout.u_index(1, 3) == 23);

  const Eigen::VectorXd p = Eigen::VectorXd::LinSpaced(36, 0.0, 35.0);
  CHECK(layout.network(p, 1) == p.segment(12, 12));
  CHECK(layout.v(p, 2) == p.segment(24, 4));
  CHECK(layout.w(p, 2) == p.segment(28, 4));
  CHECK(layout.u(p, 2) == p.segment(32, 4));
  CHECK(layout.theta(p, 0) == p.segment(4, 8));

  // In the gathered vectors of variable projection: theta entry j of every network's (w, u), and unit k of
  // every network's v, map back to the full weights.
  for (Eigen::Index j = 0; j < 2 * layout.units(); ++j) {
    CAPTURE(j);
    const Eigen::Index k = j / 8;
    CHECK(layout.theta_to_full(j) == layout.w_index(k) + j % 8);
    CHECK(layout.unit_of_theta(j) == 4 * k + j % 4);
    CHECK(layout.v_of_unit(layout.unit_of_theta(j)) == layout.v_index(k, j % 4));
  }
  Eigen::VectorXd theta = Eigen::VectorXd::Zero(24);
  layout.theta_part(theta, 1) = layout.theta(p, 1);
  CHECK(theta.segment(8, 8) == p.segment(16, 8));

  // Views are writable when the vector is.
  Eigen::VectorXd q = Eigen::VectorXd::Zero(36);
  layout.u(q, 1).setOnes();
  CHECK(q.sum() == 4.0);
  CHECK(q.segment(20, 4) == Eigen::VectorXd::Ones(4));
}

TEST_CASE("WeightLayout rejects empty sizes", "[approximation]") {
  CHECK_THROWS_WITH(trialode::WeightLayout(0), Catch::Contains("hidden units must be at least 1"));
  CHECK_THROWS_WITH(trialode::WeightLayout(3, 0), Catch::Contains("networks must be at least 1"));
  CHECK(trialode::WeightLayout(5).size() == 15);
}
