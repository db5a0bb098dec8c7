// SPDX-License-Identifier: MIT
// The sigmoid network: derivatives against central differences, the weight layout, the initialisation.
#include <catch2/catch.hpp>

#include <trialode/approximation/network.hpp>

#include "support/test_support.hpp"

using trialode::SigmoidNetwork;
using trialode_test::central_difference;
using trialode_test::difference_tolerance;

TEMPLATE_TEST_CASE("N' and N'' match central differences at random points", "[approximation][gradient]", float, double, long double) {
  using Scalar = TestType;
  for (std::uint64_t seed : {1u, 2u, 3u, 17u}) {
    CAPTURE(seed);
    SigmoidNetwork<Scalar> net(7);
    net.initialize(seed, Scalar(-2), Scalar(3));
    trialode::detail::SplitMix64 random(seed + 100);
    for (int j = 0; j < 10; ++j) {
      const auto t = static_cast<Scalar>(random.uniform(-2.0, 3.0));
      CAPTURE(t);
      const auto values = net.evaluate(t);
      const Scalar dn = central_difference([&](Scalar x) { return net.value(x); }, t);
      const Scalar d2n = central_difference([&](Scalar x) { return net.derivative(x); }, t);
      const Scalar tol = difference_tolerance<Scalar>();
      CHECK(values.n == Approx(net.value(t)).epsilon(tol));
      CHECK(std::abs(values.dn - dn) <= tol * (std::abs(dn) + Scalar(1)));
      CHECK(std::abs(values.d2n - d2n) <= tol * (std::abs(d2n) + Scalar(1)));
    }
  }
}

TEST_CASE("N at a point is the formula sum v s(w t + u)", "[approximation]") {
  SigmoidNetwork<double> net(2, (Eigen::VectorXd(6) << 1.5, -2.0, 0.5, 3.0, 0.25, -1.0).finished());
  const double t = 0.7;
  const double expected = 1.5 / (1 + std::exp(-(0.5 * t + 0.25))) - 2.0 / (1 + std::exp(-(3.0 * t - 1.0)));
  CHECK(net.value(t) == Approx(expected).epsilon(1e-15));
  CHECK(net.v()[1] == -2.0);
  CHECK(net.w()[0] == 0.5);
  CHECK(net.u()[1] == -1.0);
  net.w()[1] = 4.0;
  CHECK(net.parameters()[3] == 4.0);
}

TEST_CASE("array evaluation agrees with pointwise evaluation", "[approximation]") {
  SigmoidNetwork<double> net(5);
  net.initialize(9, 0.0, 5.0);
  const Eigen::ArrayXd t = Eigen::ArrayXd::LinSpaced(13, 0.0, 5.0);
  const Eigen::ArrayXd n = net.value(t);
  const Eigen::ArrayXd dn = net.derivative(t);
  const Eigen::ArrayXd d2n = net.second_derivative(t);
  for (Eigen::Index i = 0; i < t.size(); ++i) {
    CHECK(n[i] == net.value(t[i]));
    CHECK(dn[i] == net.derivative(t[i]));
    CHECK(d2n[i] == net.second_derivative(t[i]));
  }
}

TEST_CASE("the sigmoid saturates without NaN", "[approximation]") {
  CHECK(trialode::detail::sigmoid(1000.0) == 1.0);
  CHECK(trialode::detail::sigmoid(-1000.0) == 0.0);
  CHECK(trialode::detail::sigmoid(-1000.0f) == 0.0f);
  SigmoidNetwork<double> net(1, Eigen::Vector3d(1.0, 1e6, 0.0));
  const auto values = net.evaluate(1.0);
  CHECK(std::isfinite(values.n));
  CHECK(std::isfinite(values.dn));
  CHECK(std::isfinite(values.d2n));
}

TEST_CASE("the initialisation is deterministic and breaks the symmetry", "[approximation]") {
  SigmoidNetwork<double> a(10), b(10), c(10);
  a.initialize(42, 0.0, 5.0);
  b.initialize(42, 0.0, 5.0);
  c.initialize(43, 0.0, 5.0);
  CHECK(a.parameters() == b.parameters());
  CHECK(a.parameters() != c.parameters());
  for (Eigen::Index j = 0; j < 10; ++j) {
    for (Eigen::Index k = j + 1; k < 10; ++k) {
      CAPTURE(j, k);
      CHECK((a.w()[j] != a.w()[k] || a.u()[j] != a.u()[k]));
    }
  }
  // Every transition centre -u/w lies inside the interval.
  const Eigen::ArrayXd centre = -a.u().array() / a.w().array();
  CHECK(centre.minCoeff() >= 0.0);
  CHECK(centre.maxCoeff() <= 5.0);
  // float gets the same weights, rounded.
  SigmoidNetwork<float> f(10);
  f.initialize(42, 0.0f, 5.0f);
  CHECK((f.parameters().cast<double>() - a.parameters()).cwiseAbs().maxCoeff() < 1e-5);
}

TEST_CASE("a fixed-size network evaluates like the dynamic one", "[approximation]") {
  SigmoidNetwork<double, 10> fixed;
  SigmoidNetwork<double> dynamic(10);
  fixed.initialize(5, 0.0, 5.0);
  dynamic.initialize(5, 0.0, 5.0);
  CHECK(fixed.parameters() == dynamic.parameters());
  for (double t : {0.0, 0.3, 2.5, 4.9}) {
    CHECK(fixed.evaluate(t).n == dynamic.evaluate(t).n);
    CHECK(fixed.evaluate(t).d2n == dynamic.evaluate(t).d2n);
  }
}

TEST_CASE("bad network sizes are rejected", "[approximation]") {
  CHECK_THROWS_AS(SigmoidNetwork<double>(0), std::invalid_argument);
  CHECK_THROWS_WITH(SigmoidNetwork<double>(0), Catch::Contains("hidden units"));
  CHECK_THROWS_WITH((SigmoidNetwork<double, 4>(5)), Catch::Contains("compile-time size"));
  SigmoidNetwork<double> net(3);
  CHECK_THROWS_WITH(net.set_parameters(Eigen::VectorXd::Zero(8)), Catch::Contains("expected 9 weights"));
  CHECK_THROWS_WITH(net.initialize(1, 1.0, 1.0), Catch::Contains("t0 < t1"));
}
