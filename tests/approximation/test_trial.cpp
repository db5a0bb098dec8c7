// SPDX-License-Identifier: MIT
// The trial forms y = A + B N: each meets its conditions for any weights, its y' and y'' match central
// differences, and trial_for picks the form of each problem family.
#include <catch2/catch.hpp>

#include <trialode/approximation/trial.hpp>

#include <type_traits>

#include "support/test_support.hpp"

namespace {

using Network = trialode::SigmoidNetwork<double>;

template <typename Trial>
using TrialSolution = trialode::detail::TrialSolution<Trial, Network>;

}  // namespace

TEST_CASE("the first-order trial form meets its initial condition for any weights", "[approximation]") {
  Network net(4);
  net.initialize(3, 0.5, 3.0);
  const TrialSolution<trialode::FirstOrderTrial<double>> trial({0.5, 0.8}, net);
  CHECK(trial.evaluate(0.5).y == 0.8);
  for (double t : {0.7, 1.9, 2.8}) {
    CAPTURE(t);
    CHECK(trial.evaluate(t).y == Approx(0.8 + (t - 0.5) * net.value(t)).epsilon(1e-15));
    CHECK(trial.evaluate(t).dy ==
          Approx(trialode_test::central_difference([&](double x) { return trial.evaluate(x).y; }, t)).epsilon(1e-8));
  }
}

TEST_CASE("second-order trial forms meet their conditions for any weights", "[approximation][second_order]") {
  Network net(5);
  net.initialize(9, -3.0, 3.0);
  const TrialSolution<trialode::SecondOrderTrial<double>> ivp({0.5, 0.8, -0.3}, net);
  CHECK(ivp.evaluate(0.5).y == 0.8);
  CHECK(ivp.evaluate(0.5).dy == -0.3);
  const TrialSolution<trialode::DirichletTrial<double>> bvp({-1.0, 1.5, 0.4, 1.1}, net);
  CHECK(bvp.evaluate(-1.0).y == Approx(0.4).epsilon(1e-15));
  CHECK(bvp.evaluate(1.5).y == Approx(1.1).epsilon(1e-15));
  // y' and y'' of the trial forms against central differences.
  const auto y = [](const auto* trial) { return [trial](double x) { return trial->evaluate(x).y; }; };
  const auto dy = [](const auto* trial) { return [trial](double x) { return trial->evaluate(x).dy; }; };
  for (double t : {-0.7, 0.3, 1.2}) {
    CAPTURE(t);
    const auto iv = ivp.evaluate(t);
    const auto bv = bvp.evaluate(t);
    CHECK(iv.dy == Approx(trialode_test::central_difference(y(&ivp), t)).epsilon(1e-8));
    CHECK(iv.d2y == Approx(trialode_test::central_difference(dy(&ivp), t)).epsilon(1e-8));
    CHECK(bv.dy == Approx(trialode_test::central_difference(y(&bvp), t)).epsilon(1e-8));
    CHECK(bv.d2y == Approx(trialode_test::central_difference(dy(&bvp), t)).epsilon(1e-8));
  }
}

TEST_CASE("trial_for picks the trial form of each problem family", "[approximation][second_order][system]") {
  const auto f1 = [](double, double y) { return -y; };
  const auto f2 = [](double, double y, double) { return -y; };
  const auto zero = [](double, double, double) { return 0.0; };
  const trialode::InitialValueProblem first{f1, [](double, double) { return -1.0; }, 0.5, 2.0, 0.8};
  const trialode::SecondOrderProblem second{f2, zero, zero, 0.5, 2.0, 0.8, -0.3};
  const trialode::BoundaryValueProblem boundary{f2, zero, zero, -1.0, 1.5, 0.4, 1.1};
  const trialode::SystemProblem system{[](double, const Eigen::Vector2d& y) { return Eigen::Vector2d(y[1], -y[0]); },
                                       [](double, const Eigen::Vector2d&) { return Eigen::Matrix2d::Zero().eval(); },
                                       0.5, 2.0, Eigen::Vector2d(0.1, 0.2)};

  static_assert(std::is_same<trialode::TrialFor<decltype(first)>, trialode::FirstOrderTrial<double>>::value, "");
  static_assert(std::is_same<trialode::TrialFor<decltype(second)>, trialode::SecondOrderTrial<double>>::value, "");
  static_assert(std::is_same<trialode::TrialFor<decltype(boundary)>, trialode::DirichletTrial<double>>::value, "");
  static_assert(std::is_same<trialode::TrialFor<decltype(system)>, trialode::SystemTrial<double, 2>>::value, "");
  static_assert(!trialode::detail::is_system<decltype(first)> && trialode::detail::is_system<decltype(system)>, "");

  const auto a = trialode::trial_for(first);
  CHECK((a.t0 == 0.5 && a.y0 == 0.8));
  const auto b = trialode::trial_for(second);
  CHECK((b.t0 == 0.5 && b.y0 == 0.8 && b.dy0 == -0.3));
  const auto c = trialode::trial_for(boundary);
  CHECK((c.a == -1.0 && c.b == 1.5 && c.ya == 0.4 && c.yb == 1.1));
  const auto d = trialode::trial_for(system);
  CHECK(d.components() == 2);
  CHECK(d.component(1).y0 == 0.2);
  CHECK(d.component(1).t0 == 0.5);
}
