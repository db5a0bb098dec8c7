// SPDX-License-Identifier: MIT
// LinearConditionProblem: every kind of condition as it is written and as the constrained trial form meets it,
// the order from f's arity, bad input refused with a message naming it, conditions that clash (named), and the
// support chosen for the Robin pair that makes {1, t} singular.
#include <catch2/catch.hpp>

#include <trialode/approximation/constrained_trial.hpp>
#include <trialode/problems/linear_conditions.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using trialode::derivative_at;
using trialode::integral;
using trialode::value_at;

struct Zero1 {
  template <typename T>
  T operator()(T, T y) const {
    return T(0 * y);
  }
};
struct Zero2 {
  template <typename T>
  T operator()(T, T y, T) const {
    return T(0 * y);
  }
};
struct Zero3 {
  template <typename T>
  T operator()(T, T y, T, T) const {
    return T(0 * y);
  }
};
struct Zero4 {
  template <typename T>
  T operator()(T, T y, T, T, T) const {
    return T(0 * y);
  }
};

template <typename S>
using Second = trialode::LinearConditionProblem<S, 2, Zero2>;

/// The message of the std::invalid_argument that `problem.check()` throws, or "" when it does not throw.
template <typename Problem>
std::string check_message(const Problem& problem) {
  try {
    problem.check();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEMPLATE_TEST_CASE("conditions are written as the mathematics reads", "[problems][linear_conditions]", float, double) {
  using S = TestType;
  const trialode::Condition<S> robin = value_at(S(0)) + S(3) * derivative_at(S(0.5)) == S(2);
  REQUIRE(robin.functional.terms.size() == 2);
  CHECK(robin.functional.terms[0].coefficient == S(1));
  CHECK(robin.functional.terms[0].order == 0);
  CHECK(robin.functional.terms[1].coefficient == S(3));
  CHECK(robin.functional.terms[1].point == S(0.5));
  CHECK(robin.functional.terms[1].order == 1);
  CHECK(robin.functional.integral == S(0));
  CHECK(robin.value == S(2));

  const trialode::Condition<S> periodic = derivative_at(S(0), 2) - derivative_at(S(1), 2) == S(0);
  REQUIRE(periodic.functional.terms.size() == 2);
  CHECK(periodic.functional.terms[1].coefficient == S(-1));
  CHECK(periodic.functional.terms[1].order == 2);

  const trialode::Condition<S> mixed = (integral<S>() - value_at(S(0.25))) * S(2) - derivative_at(S(1), 3) == S(-1);
  REQUIRE(mixed.functional.terms.size() == 2);
  CHECK(mixed.functional.integral == S(2));
  CHECK(mixed.functional.terms[0].coefficient == S(-2));
  CHECK(mixed.functional.terms[1].coefficient == S(-1));
  CHECK(mixed.functional.terms[1].order == 3);
  CHECK(mixed.value == S(-1));
}

TEST_CASE("the order is the number of f's arguments after t", "[problems][linear_conditions]") {
  const trialode::LinearConditionProblem one{Zero1{}, 0.0, 1.0, {value_at(0.0) == 1.0}};
  const trialode::LinearConditionProblem two{Zero2{}, 0.0, 1.0, {value_at(0.0) == 1.0, value_at(1.0) == 0.0}};
  const trialode::LinearConditionProblem three{
      Zero3{}, 0.0, 1.0, {value_at(0.0) == 1.0, value_at(1.0) == 0.0, derivative_at(0.5) == 0.0}};
  const trialode::LinearConditionProblem four{
      Zero4{}, 0.0, 1.0, {value_at(0.0) == 1.0, value_at(1.0) == 0.0, derivative_at(0.5) == 0.0, derivative_at(0.5, 3) == 0.0}};
  CHECK(decltype(one)::order == 1);
  CHECK(decltype(two)::order == 2);
  CHECK(decltype(three)::order == 3);
  CHECK(decltype(four)::order == 4);
  // Lambdas too, generic or not.
  const trialode::LinearConditionProblem plain{[](double, double y, double dy) { return y - dy; },
                                               [](double, double, double) { return Eigen::Vector2d(1.0, -1.0); }, 0.0, 1.0,
                                               {value_at(0.0) == 1.0, value_at(1.0) == 0.0}};
  CHECK(decltype(plain)::order == 2);
  CHECK(plain.partials(0.5, {2.0, 3.0}).f == -1.0);
  CHECK(check_message(one).empty());
  CHECK(check_message(two).empty());
  CHECK(check_message(three).empty());
  CHECK(check_message(four).empty());
}

TEMPLATE_TEST_CASE("every kind of condition is met by the constrained trial form whatever the network",
                   "[problems][approximation][linear_conditions]", float, double) {
  using S = TestType;
  // value, derivatives of every order, Robin, periodic two-point, multi-point, integral, multiples and differences
  const std::vector<std::vector<trialode::Condition<S>>> sets{
      {value_at(S(0.3)) == S(1), derivative_at(S(0)) == S(-2), derivative_at(S(2), 2) == S(0.5), derivative_at(S(1), 3) == S(3)},
      {value_at(S(0)) + derivative_at(S(0)) == S(2), value_at(S(2)) - value_at(S(0)) == S(0),
       derivative_at(S(2)) - derivative_at(S(0)) == S(0), value_at(S(0.5)) + value_at(S(1)) + value_at(S(1.5)) == S(1)},
      {S(2) * integral<S>() == S(1), S(3) * derivative_at(S(1)) - S(0.5) * value_at(S(2)) == S(-1),
       value_at(S(0)) == S(0.25), derivative_at(S(2), 3) + integral<S>() == S(4)},
  };
  for (std::size_t set = 0; set < sets.size(); ++set) {
    CAPTURE(set);
    const trialode::LinearConditionProblem<S, 4, Zero4> problem{Zero4{}, S(0), S(2), sets[set]};
    REQUIRE(check_message(problem).empty());
    auto trial = trialode::trial_for(problem);
    for (std::uint64_t seed : {1u, 2u, 3u}) {
      CAPTURE(seed);
      trialode::SigmoidNetwork<S> net(6);
      net.initialize(seed, problem.t0, problem.t1);
      trial.fit_to(net);
      const auto violations = trial.violations(net);
      REQUIRE(violations.size() == 4);
      const S tol = std::is_same<S, float>::value ? S(1e-4) : S(1e-12);
      CHECK(violations.maxCoeff() <= tol * (S(1) + net.v().cwiseAbs().sum()));
    }
  }
}

TEST_CASE("bad input is refused with a message that names it", "[problems][linear_conditions]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const auto message = [](double t0, double t1, std::vector<trialode::Condition<double>> conditions,
                          std::vector<int> support = {}) {
    Second<double> problem{Zero2{}, t0, t1, std::move(conditions)};
    problem.support = std::move(support);
    return check_message(problem);
  };
  const auto good = [] { return std::vector<trialode::Condition<double>>{value_at(0.0) == 1.0, value_at(1.0) == 0.0}; };
  CHECK(message(0.0, 1.0, good()).empty());
  using Catch::Contains;
  CHECK_THAT(message(1.0, 1.0, good()), Contains("LinearConditionProblem") && Contains("t1 must be greater than t0"));
  CHECK_THAT(message(2.0, 1.0, good()), Contains("t1 must be greater than t0"));
  CHECK_THAT(message(nan, 1.0, good()), Contains("t0 is not finite"));
  CHECK_THAT(message(0.0, inf, good()), Contains("t1 is not finite"));
  CHECK_THAT(message(0.0, 1.0, {value_at(0.0) == 1.0}), Contains("order 2 takes 2 conditions, got 1"));
  CHECK_THAT(message(0.0, 1.0, {value_at(0.0) == 1.0, value_at(1.0) == 0.0, value_at(0.5) == 0.0}),
             Contains("takes 2 conditions, got 3"));
  CHECK_THAT(message(0.0, 1.0, {value_at(0.0) == 1.0, value_at(1.5) == 0.0}),
             Contains("condition 2") && Contains("outside [t0, t1]"));
  CHECK_THAT(message(0.0, 1.0, {value_at(-0.1) == 1.0, value_at(1.0) == 0.0}), Contains("condition 1") && Contains("outside"));
  CHECK_THAT(message(0.0, 1.0, {value_at(nan) == 1.0, value_at(1.0) == 0.0}), Contains("condition 1") && Contains("not finite"));
  CHECK_THAT(message(0.0, 1.0, {value_at(0.0) == 1.0, derivative_at(1.0, 2) == 0.0}),
             Contains("condition 2") && Contains("derivative of order 2"));
  CHECK_THAT(message(0.0, 1.0, {value_at(0.0) == 1.0, derivative_at(1.0, -1) == 0.0}),
             Contains("condition 2") && Contains("derivative of order -1"));
  CHECK_THAT(message(0.0, 1.0, {value_at(0.0) == nan, value_at(1.0) == 0.0}), Contains("condition 1 has a value that is not finite"));
  CHECK_THAT(message(0.0, 1.0, {value_at(0.0) == 1.0, trialode::LinearFunctional<double>{{{inf, 1.0, 0}}, 0.0} == 0.0}),
             Contains("condition 2 has a coefficient that is not finite"));
  // inf times a functional makes its integral weight 0 inf = NaN: refused, if under the integral's name.
  CHECK_THAT(message(0.0, 1.0, {value_at(0.0) == 1.0, inf * value_at(1.0) == 0.0}), Contains("condition 2") && Contains("not finite"));
  CHECK_THAT(message(0.0, 1.0, {value_at(0.0) == 1.0, nan * integral() == 0.0}),
             Contains("condition 2 has an integral weight that is not finite"));
  CHECK_THAT(message(0.0, 1.0, {value_at(0.0) == 1.0, trialode::LinearFunctional<double>{} == 0.0}),
             Contains("condition 2 has no term"));
  // A support given: singular, repeating, of the wrong size or out of range.
  CHECK(message(0.0, 1.0, good(), {0, 1}).empty());
  CHECK_THAT(message(0.0, 1.0, {value_at(0.0) + derivative_at(0.0) == 2.0, value_at(1.0) == std::exp(1.0)}, {0, 1}),
             Contains("support given makes the conditions' matrix singular"));
  CHECK_THAT(message(0.0, 1.0, good(), {1, 1}), Contains("support exponents repeat"));
  CHECK_THAT(message(0.0, 1.0, good(), {0}), Contains("support must hold 2 exponents"));
  CHECK_THAT(message(0.0, 1.0, good(), {0, 7}), Contains("support exponents must lie in [0, 6]"));
}

TEST_CASE("conditions that clash are refused, naming them", "[problems][linear_conditions]") {
  const auto message = [](std::vector<trialode::Condition<double>> conditions) {
    return check_message(Second<double>{Zero2{}, 0.0, 1.0, std::move(conditions)});
  };
  using Catch::Contains;
  CHECK_THAT(message({value_at(0.0) == 1.0, value_at(0.0) == 1.0}), Contains("conditions 1, 2 clash"));
  CHECK_THAT(message({derivative_at(0.0) == 0.0, 2.0 * derivative_at(0.0) == 0.0}), Contains("conditions 1, 2 clash"));
  // Terms that cancel say nothing at all.
  CHECK_THAT(message({value_at(0.0) == 1.0, derivative_at(0.5) - derivative_at(0.5) == 0.0}),
             Contains("condition 2 says nothing"));
  // Of three conditions, the two that clash are named, not the third.
  const trialode::LinearConditionProblem<double, 3, Zero3> three{
      Zero3{}, 0.0, 1.0, {value_at(0.0) == 1.0, derivative_at(0.5) == 0.0, 2.0 * value_at(0.0) == 3.0}};
  CHECK_THAT(check_message(three), Contains("conditions 1, 3 clash"));
  // The periodic pair y(0) = y(1), y'(0) = y'(1) leaves the constant free for y'' = f(t) (the network's own
  // constant then settles it), but it is not singular over polynomials: the support {t, t^2} meets it.
  const Second<double> periodic{Zero2{}, 0.0, 1.0, {value_at(0.0) - value_at(1.0) == 0.0, derivative_at(0.0) - derivative_at(1.0) == 0.0}};
  CHECK(check_message(periodic).empty());
  CHECK(trialode::trial_for(periodic).support == std::vector<int>{1, 2});
}

TEST_CASE("the Robin pair y(0) + y'(0) = 2, y(1) = e gets a regular support, not {1, t}", "[problems][linear_conditions]") {
  const std::vector<trialode::Condition<double>> conditions{value_at(0.0) + derivative_at(0.0) == 2.0,
                                                            value_at(1.0) == std::exp(1.0)};
  const std::vector<int> support = trialode::detail::choose_support("test", conditions, 0.0, 1.0, 2);
  CAPTURE(support[0], support[1]);
  CHECK(support != std::vector<int>{0, 1});
  const double condition =
      trialode::detail::equilibrated_condition(trialode::detail::support_matrix(conditions, 0.0, 1.0, support));
  CHECK(condition <= 10.0);
  // {1, t} is singular, {1, t^2} is not.
  CHECK(std::isinf(trialode::detail::equilibrated_condition(trialode::detail::support_matrix(conditions, 0.0, 1.0, {0, 1}))));
  CHECK(trialode::detail::equilibrated_condition(trialode::detail::support_matrix(conditions, 0.0, 1.0, {0, 2})) <= 10.0);
  // The same choice on a shifted, stretched interval: the matrix is that of [0, 1] up to a factor per row.
  const std::vector<trialode::Condition<double>> shifted{value_at(1e6) + 0.5 * derivative_at(1e6) == 2.0,
                                                         value_at(1e6 + 2.0) == std::exp(1.0)};
  CHECK(trialode::detail::choose_support("test", shifted, 1e6, 1e6 + 2.0, 2) == support);
}
