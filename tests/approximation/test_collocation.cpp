// SPDX-License-Identifier: MIT
// Collocation points by both rules, an interval too short for them in the scalar type, the check of user-given
// points, and the check grid between them.
#include <catch2/catch.hpp>

#include <trialode/approximation/collocation.hpp>

#include <cmath>
#include <stdexcept>

TEST_CASE("collocation points and the check grid", "[approximation]") {
  const Eigen::ArrayXd even = trialode::detail::collocation_points(0.0, 5.0, 11);
  CHECK(even[0] == 0.0);
  CHECK(even[1] == Approx(0.5));
  CHECK(even[10] == 5.0);
  const Eigen::ArrayXd cheb = trialode::detail::collocation_points(0.0, 2.0, 5, trialode::CollocationRule::chebyshev_lobatto);
  CHECK(cheb[0] == 0.0);
  CHECK(cheb[1] == Approx(1.0 - std::sqrt(0.5)));
  CHECK(cheb[2] == Approx(1.0));
  CHECK(cheb[4] == 2.0);
  CHECK_THROWS_AS(trialode::detail::collocation_points(0.0, 1.0, 1), std::invalid_argument);
  // Two interior points split [0, 1] into three pieces: the grid has four steps for each, equally spaced.
  const Eigen::ArrayXd grid = trialode::detail::check_grid(Eigen::ArrayXd::LinSpaced(2, 0.25, 0.5), 0.0, 1.0, 4);
  REQUIRE(grid.size() == 13);
  CHECK(grid[0] == 0.0);
  CHECK(grid[3] == 0.25);
  CHECK(grid[6] == 0.5);
  CHECK(grid[12] == 1.0);
  // Equally spaced points: every gap is cut into the subdivisions.
  const Eigen::ArrayXd fine = trialode::detail::check_grid(Eigen::ArrayXd::LinSpaced(5, 0.0, 1.0), 0.0, 1.0, 3);
  REQUIRE(fine.size() == 13);
  CHECK(fine[3] == 0.25);
  CHECK(fine[9] == 0.75);
}

TEST_CASE("the library's own points that would round to the same number are refused as such", "[approximation]") {
  // In float, [1e6, 1e6 + 1] holds 17 numbers, 0.0625 apart: 41 points cannot be distinct, 11 are.
  const float t0 = 1e6f;
  const float t1 = 1e6f + 1;
  CHECK_THROWS_AS(trialode::detail::collocation_points(t0, t1, 41), std::invalid_argument);
  CHECK_THROWS_WITH(trialode::detail::collocation_points(t0, t1, 41),
                    Catch::Contains("too short for 41 points in float") && Catch::Contains("points"));
  CHECK_THROWS_WITH(trialode::detail::collocation_points(t0, t1, 17, trialode::CollocationRule::chebyshev_lobatto),
                    Catch::Contains("too short for 17 points in float"));
  const Eigen::ArrayXf eleven = trialode::detail::collocation_points(t0, t1, 11);
  CHECK(eleven[0] == t0);
  CHECK(eleven[10] == t1);
  for (Eigen::Index i = 1; i < eleven.size(); ++i) CHECK(eleven[i] > eleven[i - 1]);
  // The same interval in double holds them all.
  CHECK_NOTHROW(trialode::detail::collocation_points(1e6, 1e6 + 1, 41));
}

TEST_CASE("user-given collocation points are checked against the interval", "[approximation]") {
  const auto check = [](const Eigen::ArrayXd& t) { trialode::detail::check_collocation_points(t, 0.5, 3.0); };
  CHECK_THROWS_WITH(check(Eigen::ArrayXd()), Catch::Contains("none given"));
  CHECK_THROWS_WITH(check((Eigen::ArrayXd(2) << 1.0, 3.5).finished()),
                    Catch::Contains("point 1 = 3.5") && Catch::Contains("outside [t0, t1]"));
  CHECK_THROWS_WITH(check((Eigen::ArrayXd(2) << 1.0, std::nan("")).finished()), Catch::Contains("point 1 is not finite"));
  CHECK_THROWS_WITH(check((Eigen::ArrayXd(3) << 1.0, 2.0, 1.0).finished()), Catch::Contains("repeated"));
  CHECK_NOTHROW(check((Eigen::ArrayXd(2) << 1.0, 2.0).finished()));
  CHECK_NOTHROW(check((Eigen::ArrayXd(2) << 0.5, 3.0).finished()));
}
