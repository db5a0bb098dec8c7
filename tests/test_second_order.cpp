// SPDX-License-Identifier: MIT
// Second-order initial and boundary value problems: the trial forms meet their conditions, the costs'
// gradients and Jacobians against central differences, automatic against supplied derivatives, bad input.
#include <catch2/catch.hpp>

#include <trialode/trialode.hpp>

#include <cmath>
#include <limits>

#include "gradient_checks.hpp"

namespace {

// A nonlinear right-hand side in both y and y', so that both partial derivatives matter:
// y'' = sin t - y y' / 2 - y^2 / 4.
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

template <typename Scalar>
auto nonlinear_ivp() {
  return trialode::SecondOrderProblem{Nonlinear<Scalar>{}, &nonlinear_dfdy<Scalar>, &nonlinear_dfddy<Scalar>,
                                      Scalar(0.5), Scalar(2.5), Scalar(0.8), Scalar(-0.3)};
}
template <typename Scalar>
auto nonlinear_bvp() {
  return trialode::BoundaryValueProblem{Nonlinear<Scalar>{}, &nonlinear_dfdy<Scalar>, &nonlinear_dfddy<Scalar>,
                                        Scalar(-1), Scalar(1.5), Scalar(0.4), Scalar(1.1)};
}

template <typename Problem>
Eigen::Matrix<typename Problem::scalar_type, Eigen::Dynamic, 1> seeded_weights(const Problem& problem,
                                                                                 Eigen::Index hidden,
                                                                                 std::uint64_t seed) {
  trialode::SigmoidNetwork<typename Problem::scalar_type> net(hidden);
  net.initialize(seed, problem.t0, problem.t1);
  return net.parameters();
}

}  // namespace

TEST_CASE("second-order trial forms meet their conditions for any weights", "[second_order][bvp]") {
  trialode::SigmoidNetwork<double> net(5);
  net.initialize(9, -3.0, 3.0);
  const trialode::detail::TrialSolution<trialode::SecondOrderTrial<double>, trialode::SigmoidNetwork<double>> ivp(
      {0.5, 0.8, -0.3}, net);
  CHECK(ivp(0.5) == 0.8);
  CHECK(ivp.derivative(0.5) == -0.3);
  const trialode::detail::TrialSolution<trialode::DirichletTrial<double>, trialode::SigmoidNetwork<double>> bvp(
      {-1.0, 1.5, 0.4, 1.1}, net);
  CHECK(bvp(-1.0) == Approx(0.4).epsilon(1e-15));
  CHECK(bvp(1.5) == Approx(1.1).epsilon(1e-15));
  // y' and y'' of the trial forms against central differences.
  for (double t : {-0.7, 0.3, 1.2}) {
    CAPTURE(t);
    const auto iv = ivp.evaluate(t);
    const auto bv = bvp.evaluate(t);
    CHECK(iv.dy == Approx(trialode_test::central_difference([&](double x) { return ivp(x); }, t)).epsilon(1e-8));
    CHECK(iv.d2y == Approx(trialode_test::central_difference([&](double x) { return ivp.derivative(x); }, t)).epsilon(1e-8));
    CHECK(bv.dy == Approx(trialode_test::central_difference([&](double x) { return bvp(x); }, t)).epsilon(1e-8));
    CHECK(bv.d2y == Approx(trialode_test::central_difference([&](double x) { return bvp.derivative(x); }, t)).epsilon(1e-8));
  }
}

TEMPLATE_TEST_CASE("the second-order IVP cost: gradient and Jacobian against central differences",
                   "[second_order][gradient]", float, double) {
  using Scalar = TestType;
  const auto problem = nonlinear_ivp<Scalar>();
  const auto points = trialode::detail::collocation_points(problem.t0, problem.t1, 9);
  trialode::detail::SecondOrderCost<decltype(problem)> cost(problem, 6, points);
  CHECK(cost.parameter_count() == 18);
  CHECK(cost.residual_count() == 9);
  for (std::uint64_t seed : {1u, 4u, 11u}) {
    CAPTURE(seed);
    const auto p = seeded_weights(problem, 6, seed);
    trialode_test::check_gradient(cost, p);
    trialode_test::check_jacobian(cost, p);
  }
}

TEMPLATE_TEST_CASE("the boundary value cost: gradient and Jacobian against central differences",
                   "[bvp][gradient]", float, double) {
  using Scalar = TestType;
  const auto problem = nonlinear_bvp<Scalar>();
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

TEMPLATE_TEST_CASE("automatic and supplied derivatives of f give the same second-order gradient",
                   "[second_order][bvp][autodiff]", float, double) {
  using Scalar = TestType;
  const auto supplied_ivp = nonlinear_ivp<Scalar>();
  const trialode::SecondOrderProblem automatic_ivp{Nonlinear<Scalar>{}, supplied_ivp.t0, supplied_ivp.t1, supplied_ivp.y0,
                                                   supplied_ivp.dy0};
  const auto supplied_bvp = nonlinear_bvp<Scalar>();
  const trialode::BoundaryValueProblem automatic_bvp{Nonlinear<Scalar>{}, supplied_bvp.t0, supplied_bvp.t1,
                                                     supplied_bvp.y0, supplied_bvp.y1};
  const Scalar tol = std::is_same<Scalar, float>::value ? Scalar(1e-5) : Scalar(1e-13);
  const auto compare = [&](const auto& supplied, const auto& automatic) {
    const auto points = trialode::detail::collocation_points(supplied.t0, supplied.t1, 11);
    trialode::detail::SecondOrderCost<std::decay_t<decltype(supplied)>> a(supplied, 4, points);
    trialode::detail::SecondOrderCost<std::decay_t<decltype(automatic)>> b(automatic, 4, points);
    const auto p = seeded_weights(supplied, 4, 3);
    Eigen::Matrix<Scalar, Eigen::Dynamic, 1> ga, gb;
    CHECK(a(p, ga) == Approx(b(p, gb)).epsilon(tol));
    CHECK((ga - gb).norm() <= tol * ga.norm());
    for (Scalar t : {supplied.t0, Scalar(0.7), supplied.t1}) {
      const auto pa = supplied.partials(t, Scalar(0.3), Scalar(-1.2));
      const auto pb = automatic.partials(t, Scalar(0.3), Scalar(-1.2));
      CHECK(pa.f == pb.f);
      CHECK(pa.dfdy == Approx(pb.dfdy).epsilon(tol));
      CHECK(pa.dfddy == Approx(pb.dfddy).epsilon(tol));
    }
  };
  compare(supplied_ivp, automatic_ivp);
  compare(supplied_bvp, automatic_bvp);
}

TEST_CASE("second-order solutions: conditions, contains(), diagnostics", "[second_order][bvp]") {
  // y'' = -y, y(0) = 0, y'(0) = 1 on [0, 2]: sin t. The same as a boundary value problem on [0, 1.5].
  const trialode::SecondOrderProblem oscillator{[](auto, auto y, auto) { return -y; }, 0.0, 2.0, 0.0, 1.0};
  const auto ivp = trialode::solve(oscillator);
  CAPTURE(trialode::to_string(ivp.report.status), ivp.report.iterations);
  CHECK(ivp.converged());
  CHECK(ivp(0.0) == 0.0);
  CHECK(ivp.derivative(0.0) == 1.0);
  CHECK(ivp.contains(0.0));
  CHECK(ivp.contains(2.0));
  CHECK_FALSE(ivp.contains(2.1));
  CHECK_FALSE(ivp.contains(-1e-9));
  CHECK(ivp.max_residual_check <= 1e-3);
  CHECK(ivp.max_residual_check >= ivp.max_residual_collocation);
  const Eigen::ArrayXd fine = Eigen::ArrayXd::LinSpaced(201, 0.0, 2.0);
  CHECK((ivp.value(fine) - fine.sin()).abs().maxCoeff() <= 1e-5);

  const trialode::BoundaryValueProblem boundary{[](auto, auto y, auto) { return -y; }, 0.0, 1.5, 0.0, std::sin(1.5)};
  trialode::SolveOptions<double> eight;
  eight.hidden_units = 8;
  const auto bvp = trialode::solve<8>(boundary, eight);
  CHECK(bvp.converged());
  CHECK(bvp(0.0) == 0.0);
  CHECK(bvp(1.5) == Approx(std::sin(1.5)).epsilon(1e-15));
  const Eigen::ArrayXd fine_bvp = Eigen::ArrayXd::LinSpaced(201, 0.0, 1.5);
  CHECK((bvp.value(fine_bvp) - fine_bvp.sin()).abs().maxCoeff() <= 1e-5);
  CHECK((bvp.second_derivative(fine_bvp) + fine_bvp.sin()).abs().maxCoeff() <= 1e-3);
}

TEST_CASE("second-order problems reject bad input before any work", "[second_order][bvp]") {
  int calls = 0;
  const auto counted = [&calls](auto, auto y, auto) {
    ++calls;
    return -y;
  };
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(trialode::solve(trialode::BoundaryValueProblem{counted, 1.0, 1.0, 0.0, 1.0}),
                    Catch::Contains("b = t1 must be greater than a = t0"));
  CHECK_THROWS_WITH(trialode::solve(trialode::BoundaryValueProblem{counted, 2.0, 1.0, 0.0, 1.0}),
                    Catch::Contains("b = t1 must be greater"));
  CHECK_THROWS_WITH(trialode::solve(trialode::BoundaryValueProblem{counted, 0.0, 1.0, 0.0, nan}),
                    Catch::Contains("y1 = y(b) is not finite"));
  CHECK_THROWS_WITH(trialode::solve(trialode::SecondOrderProblem{counted, 0.0, -1.0, 0.0, 1.0}),
                    Catch::Contains("t1 must be greater than t0"));
  CHECK_THROWS_WITH(trialode::solve(trialode::SecondOrderProblem{counted, 0.0, 1.0, 0.0, nan}),
                    Catch::Contains("dy0 is not finite"));
  trialode::SolveOptions<double> options;
  options.collocation = (Eigen::ArrayXd(2) << 0.5, 1.5).finished();
  CHECK_THROWS_WITH(trialode::solve(trialode::SecondOrderProblem{counted, 0.0, 1.0, 0.0, 1.0}, options),
                    Catch::Contains("outside [t0, t1]"));
  options = {};
  options.hidden_units = 0;
  CHECK_THROWS_WITH(trialode::solve(trialode::BoundaryValueProblem{counted, 0.0, 1.0, 0.0, 1.0}, options),
                    Catch::Contains("hidden_units"));
  CHECK(calls == 0);
}

TEST_CASE("second-order and system solves take the method and multi-start options", "[second_order][system]") {
  const trialode::SecondOrderProblem oscillator{[](auto, auto y, auto) { return -y; }, 0.0, 2.0, 0.0, 1.0};
  trialode::SolveOptions<double> options;
  options.method = trialode::Method::levenberg_marquardt;
  // Levenberg-Marquardt may end on its iteration limit here, far below the error L-BFGS reaches.
  const auto ivp = trialode::solve(oscillator, options);
  CAPTURE(trialode::to_string(ivp.report.status), ivp.report.iterations);
  CHECK(ivp.report.f < 1e-10);
  const Eigen::ArrayXd fine = Eigen::ArrayXd::LinSpaced(201, 0.0, 2.0);
  CHECK((ivp.value(fine) - fine.sin()).abs().maxCoeff() <= 1e-6);

  const trialode::SystemProblem rotation{
      [](auto, const auto& y) { return Eigen::Matrix<std::decay_t<decltype(y[0])>, 2, 1>(y[1], -y[0]); }, 0.0, 2.0,
      Eigen::Vector2d(0.0, 1.0)};
  const auto system = trialode::solve(rotation, options);
  CHECK(system.report.f < 1e-10);
  CHECK((system(1.0) - Eigen::Vector2d(std::sin(1.0), std::cos(1.0))).cwiseAbs().maxCoeff() <= 1e-6);

  options = {};
  options.starts = 3;
  options.threads = 1;
  options.minimizer.max_iterations = 20;
  const auto best = trialode::solve(oscillator, options);
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    trialode::SolveOptions<double> single = options;
    single.starts = 1;
    single.seed = seed;
    CHECK(best.max_residual_check <= trialode::solve(oscillator, single).max_residual_check);
  }

  // Variable projection takes linear scalar problems, such as the oscillator, but not systems.
  options = {};
  options.method = trialode::Method::variable_projection;
  CHECK((trialode::solve(oscillator, options).value(fine) - fine.sin()).abs().maxCoeff() <= 1e-7);
  CHECK_THROWS_WITH(trialode::solve(rotation, options), Catch::Contains("first- and second-order problems only"));
}
