// SPDX-License-Identifier: MIT
// Tests of the More-Thuente line search on the test functions of More & Thuente (1994): the strong Wolfe
// conditions, the evaluation counts of their table, NaN trial points, its failures and its parameters.
#include <catch2/catch.hpp>

#include <trialode/minimizers/line_search.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace {

/// \f$\phi(\alpha) = -\alpha / (\alpha^2 + 2)\f$, the first test function of More & Thuente (1994);
/// its minimizer is \f$\sqrt 2\f$. NaN beyond `nan_beyond`.
template <typename Scalar>
struct MoreThuenteFunction1 {
  Scalar nan_beyond = std::numeric_limits<Scalar>::infinity();
  Scalar operator()(const Eigen::Matrix<Scalar, 1, 1>& x, Eigen::Matrix<Scalar, 1, 1>& g) const {
    const Scalar a = x[0];
    if (a > nan_beyond) {
      g[0] = std::numeric_limits<Scalar>::quiet_NaN();
      return std::numeric_limits<Scalar>::quiet_NaN();
    }
    const Scalar q = a * a + Scalar(2);
    g[0] = (a * a - Scalar(2)) / (q * q);
    return -a / q;
  }
};

/// \f$\phi(\alpha) = (\alpha + 0.004)^5 - 2 (\alpha + 0.004)^4\f$, their second; minimizer 1.596.
template <typename Scalar>
struct MoreThuenteFunction2 {
  Scalar operator()(const Eigen::Matrix<Scalar, 1, 1>& x, Eigen::Matrix<Scalar, 1, 1>& g) const {
    const Scalar a = x[0] + Scalar(0.004);
    const Scalar a3 = a * a * a;
    g[0] = Scalar(5) * a3 * a - Scalar(8) * a3;
    return a3 * a * a - Scalar(2) * a3 * a;
  }
};

/// Runs the line search on a 1-D function from 0 along +1 and checks what must hold whatever the outcome.
template <typename Scalar, typename Phi>
trialode::detail::LineSearchResult<Scalar> search_1d(const Phi& phi, Scalar initial_step,
                                             const trialode::LineSearchParameters<Scalar>& parameters,
                                             int budget = std::numeric_limits<int>::max()) {
  using Vector1 = Eigen::Matrix<Scalar, 1, 1>;
  const Vector1 x0(Scalar(0));
  const Vector1 direction(Scalar(1));
  Vector1 g0;
  const Scalar f0 = phi(x0, g0);
  Vector1 x;
  Vector1 g;
  const auto result =
      trialode::detail::more_thuente_line_search(phi, x0, f0, g0, direction, initial_step, x, g, parameters, budget);
  CHECK(result.evaluations <= std::min(budget, parameters.max_evaluations));
  CHECK(std::isfinite(result.f));
  CHECK(result.f <= f0);
  if (result.converged()) {
    Vector1 g_check;
    CHECK(result.f == phi(Vector1(result.step), g_check));
    CHECK(x[0] == result.step);
    CHECK(g[0] == g_check[0]);
    // The strong Wolfe conditions.
    CHECK(result.f <= f0 + parameters.sufficient_decrease * result.step * g0[0]);
    CHECK(std::abs(g_check[0]) <= parameters.curvature * std::abs(g0[0]));
  }
  return result;
}

}  // namespace

TEMPLATE_TEST_CASE("The line search returns a step satisfying the strong Wolfe conditions", "[minimizers]", float,
                   double) {
  trialode::LineSearchParameters<TestType> parameters;
  parameters.sufficient_decrease = TestType(1e-3);
  parameters.curvature = TestType(0.1);
  for (TestType initial_step : {TestType(1e-3), TestType(1e-1), TestType(1e1), TestType(1e3)}) {
    CAPTURE(initial_step);
    CHECK(search_1d(MoreThuenteFunction1<TestType>{}, initial_step, parameters).converged());
    CHECK(search_1d(MoreThuenteFunction2<TestType>{}, initial_step, parameters).converged());
  }
}

TEST_CASE("The line search takes as few evaluations as in More & Thuente's table", "[minimizers]") {
  trialode::LineSearchParameters<double> parameters;
  parameters.sufficient_decrease = 1e-3;
  parameters.curvature = 0.1;
  // Measured 6, 3, 1 and 4 evaluations from these initial steps, the counts of Table 1 of the paper.
  const double initial_steps[] = {1e-3, 1e-1, 1e1, 1e3};
  const int evaluations[] = {6, 3, 1, 4};
  for (int i = 0; i < 4; ++i) {
    CAPTURE(initial_steps[i]);
    const auto result = search_1d(MoreThuenteFunction1<double>{}, initial_steps[i], parameters);
    CHECK(result.converged());
    CHECK(result.evaluations == evaluations[i]);
    CHECK_FALSE(result.met_non_finite);
  }
}

TEMPLATE_TEST_CASE("The line search shortens a step that meets NaN", "[minimizers]", float, double) {
  trialode::LineSearchParameters<TestType> parameters;
  MoreThuenteFunction1<TestType> phi;
  phi.nan_beyond = TestType(5);
  const auto result = search_1d(phi, TestType(1000), parameters);
  CHECK(result.converged());
  CHECK(result.met_non_finite);
  CHECK(result.step <= TestType(5));
}

TEST_CASE("The line search reports its failures", "[minimizers]") {
  using Vector1 = Eigen::Matrix<double, 1, 1>;
  trialode::LineSearchParameters<double> parameters;
  parameters.sufficient_decrease = 1e-3;
  parameters.curvature = 0.1;

  SECTION("an uphill direction") {
    const Vector1 x0(0.0);
    const Vector1 uphill(-1.0);
    Vector1 g0;
    const double f0 = MoreThuenteFunction1<double>{}(x0, g0);
    Vector1 x;
    Vector1 g;
    const auto result = trialode::detail::more_thuente_line_search(MoreThuenteFunction1<double>{}, x0, f0, g0, uphill, 1.0,
                                                           x, g, parameters);
    CHECK(result.status == trialode::detail::LineSearchStatus::not_descent);
    CHECK(result.evaluations == 0);
  }
  SECTION("the evaluation budget") {
    const auto result = search_1d(MoreThuenteFunction1<double>{}, 1e-3, parameters, 2);
    CHECK(result.status == trialode::detail::LineSearchStatus::evaluation_limit);
    CHECK(result.evaluations == 2);
    CHECK(result.step > 0);
  }
  SECTION("NaN everywhere but at the start") {
    MoreThuenteFunction1<double> phi;
    phi.nan_beyond = 0;
    const auto result = search_1d(phi, 1.0, parameters);
    CHECK_FALSE(result.converged());
    CHECK(result.met_non_finite);
    CHECK(result.step == 0);
  }
}

TEST_CASE("Invalid line search parameters throw std::invalid_argument naming the field", "[minimizers]") {
  const auto message_of = [](const trialode::LineSearchParameters<double>& parameters) {
    try {
      parameters.check();
    } catch (const std::invalid_argument& error) {
      return std::string(error.what());
    }
    return std::string("no exception");
  };
  trialode::LineSearchParameters<double> p;
  CHECK(message_of(p) == "no exception");
  p = {};
  p.sufficient_decrease = std::numeric_limits<double>::quiet_NaN();
  CHECK_THAT(message_of(p), Catch::Contains("sufficient_decrease"));
  p = {};
  p.curvature = 0.5;
  p.sufficient_decrease = 0.6;
  CHECK_THAT(message_of(p), Catch::Contains("curvature"));
  p = {};
  p.max_step = std::numeric_limits<double>::infinity();
  CHECK_THAT(message_of(p), Catch::Contains("max_step"));
}
