// SPDX-License-Identifier: MIT
// The pipeline of a solve, the same for every family: the inputs checked once, then per start the collocation
// points, cost, starting weights, fit, solution, residual diagnostics between the points and error bound,
// from one or several seeds.
#pragma once

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "../../approximation/collocation.hpp"
#include "../../approximation/constrained_trial.hpp"
#include "../../approximation/trial.hpp"
#include "../../costs/constrained_cost.hpp"
#include "../../costs/first_order_cost.hpp"
#include "../../costs/residual.hpp"
#include "../../costs/second_order_cost.hpp"
#include "../../costs/system_cost.hpp"
#include "normalization.hpp"
#include "../error_bound.hpp"
#include "../fit.hpp"
#include "../options.hpp"
#include "../solution.hpp"
#include "../start.hpp"
#include "../starts.hpp"

namespace trialode {

namespace detail {

/// The collocation cost of each family, chosen from its trial form.
template <typename Problem, int Hidden, typename Trial = TrialFor<Problem>>
struct CostSelector {
  using type = SecondOrderCost<Problem, Hidden>;
};
template <typename Problem, int Hidden, typename Scalar>
struct CostSelector<Problem, Hidden, FirstOrderTrial<Scalar>> {
  using type = FirstOrderCost<Problem, Hidden>;
};
template <typename Problem, int Hidden, typename Scalar, int N>
struct CostSelector<Problem, Hidden, SystemTrial<Scalar, N>> {
  using type = SystemCost<Problem, Hidden>;
};
template <typename Problem, int Hidden, typename Scalar>
struct CostSelector<Problem, Hidden, ConstrainedTrial<Scalar>> {
  using type = ConstrainedCost<Problem, Hidden>;
};
template <typename Problem, int Hidden>
using CostFor = typename CostSelector<Problem, Hidden>::type;

/// The number of networks of a problem: its number of equations.
template <typename Problem>
Eigen::Index network_count(const Problem& problem) {
  if constexpr (is_system<Problem>) {
    return problem.size();
  } else {
    static_cast<void>(problem);
    return 1;
  }
}

/// The collocation points of `options` on \f$[t_0, t_1]\f$: the user's, or `points` by `rule`.
template <typename Scalar>
Eigen::Array<Scalar, Eigen::Dynamic, 1> collocation_from(const SolveOptions<Scalar>& options, Scalar t0, Scalar t1) {
  return options.collocation.size() > 0 ? options.collocation
                                        : collocation_points(t0, t1, options.points, options.rule);
}

/// The one check of a solve, before any work, which returns the options as the solve uses them: the sizes
/// left to the method filled in (`with_method_defaults`) and the collocation points computed once, in
/// `collocation`. Checked: the problem, the options (initial weights for the problem's number of networks),
/// a fixed size against the options, the method for the family (and f's linearity for variable
/// projection), and the collocation points (inside \f$[t_0, t_1]\f$ and distinct).
template <int Hidden, typename Problem>
SolveOptions<typename Problem::scalar_type> checked_options(const Problem& problem,
                                                            const SolveOptions<typename Problem::scalar_type>& given) {
  using Scalar = typename Problem::scalar_type;
  using Points = Eigen::Array<Scalar, Eigen::Dynamic, 1>;
  problem.check();
  given.check(network_count(problem));  // before any call of f
  bool linear = true;
  constexpr bool conditions = is_constrained_trial<TrialFor<Problem>>;
  Points provisional;
  if (given.method == Method::random_features && given.hidden_units == 0 && Hidden == Eigen::Dynamic) {
    // The units depend on f's linearity: tested at the points of a linear problem's default.
    const Linearity linearity = given.random_features.linearity;
    with_method_defaults<Hidden>(given, true, conditions).check(network_count(problem));  // the sizes, before any point
    provisional = collocation_from(with_method_defaults<Hidden>(given, true, conditions), problem.t0, problem.t1);
    check_collocation_points(provisional, problem.t0, problem.t1);
    linear = linearity == Linearity::linear || (linearity == Linearity::detect && test_linearity(problem, provisional).linear);
  }
  SolveOptions<Scalar> options = with_method_defaults<Hidden>(given, linear, conditions);
  options.check(network_count(problem));
  if (Hidden != Eigen::Dynamic && options.hidden_units != Hidden) {
    throw std::invalid_argument("solve: hidden_units " + std::to_string(options.hidden_units) +
                                " differ from the compile-time size " + std::to_string(Hidden));
  }
  if (options.method == Method::variable_projection && is_system<Problem>) {
    throw std::invalid_argument("solve: Method::variable_projection is for scalar problems only");
  }
  if (options.method == Method::quasilinearization && !is_system<Problem>) {
    throw std::invalid_argument("solve: Method::quasilinearization is for systems only");
  }
  // The points do not depend on the seed: every start fits at these.
  if (options.collocation.size() == 0) {
    options.collocation = linear && provisional.size() > 0 ? std::move(provisional)
                                                           : collocation_points(problem.t0, problem.t1, options.points, options.rule);
  }
  check_collocation_points(options.collocation, problem.t0, problem.t1);
  if constexpr (!is_system<Problem>) {
    if (options.method == Method::variable_projection) check_linear(problem, options.collocation);
  }
  return options;
}

template <typename Problem, typename = void>
struct HasTrialForm : std::false_type {};
template <typename Problem>
struct HasTrialForm<Problem, std::void_t<TrialFor<Problem>>> : std::true_type {};
/// True for the problem types `trial_for` knows.
template <typename Problem>
constexpr bool has_trial_form = HasTrialForm<Problem>::value;

/// The largest |entry| of a vector of residuals, NaN if any entry is.
template <typename Vector>
typename Vector::Scalar largest_abs_or_nan(const Vector& r) {
  using Scalar = typename Vector::Scalar;
  using std::abs;
  using std::isnan;
  Scalar worst(0);
  for (Eigen::Index i = 0; i < r.size(); ++i) {
    if (isnan(r[i])) return r[i];
    worst = std::max(worst, abs(r[i]));
  }
  return worst;
}

/// What one segment of a march hands to the next: the error bound's propagation (`ErrorCarry`) and the
/// random-features fit's factorization of its feature matrix (`FeatureFactorization`); and what the segment
/// leaves for the march: `contribution`, the bound of the errors it makes by itself.
template <typename Scalar>
struct SegmentLink {
  ErrorCarry<Scalar> carry;
  FeatureFactorization<Scalar> factorization;
  Scalar contribution = Scalar(0);
};

/// One start, the same for every family, on the normalized problem (`Normalization`): the cost at the
/// normalized collocation points `start.collocation`, the starting weights, the fit, then the trained
/// solution in the problem's own variables (`Normalization::network`), with its residual at the points and
/// on the finer check grid, measured on that solution in the problem's units. `points` are the collocation
/// points in \f$t\f$. With `link` (time marching), the segment takes over from the one before and hands over
/// to the next (`SegmentLink`).
template <int Hidden, typename Problem, typename Normalized>
SolutionFor<Problem, Hidden> solve_start(const Problem& problem, const Normalized& normalized,
                                         const Normalization<typename Problem::scalar_type>& map,
                                         const Eigen::Array<typename Problem::scalar_type, Eigen::Dynamic, 1>& points,
                                         const SolveOptions<typename Problem::scalar_type>& start,
                                         SegmentLink<typename Problem::scalar_type>* link = nullptr) {
  using Scalar = typename Problem::scalar_type;
  using Cost = CostFor<Normalized, Hidden>;
  using Result = SolutionFor<Problem, Hidden>;
  using Network = typename Result::Network;

  Cost cost(normalized, start.hidden_units, start.collocation);
  const WeightLayout& layout = cost.layout();
  typename Cost::Parameters weights =
      starting_weights<Network, typename Cost::Parameters>(layout, start, Scalar(0), Scalar(1));
  FeatureReport<Scalar> features;
  FeatureFactorization<Scalar>* kept = link != nullptr ? &link->factorization : nullptr;
  MinimizerReport<Scalar> report;
  if (start.start == Start::random_features && start.method != Method::random_features &&
      start.initial_weights.size() == 0) {
    // The random-features fit first, then the method from there.
    SolveOptions<Scalar> first = start;
    first.method = Method::random_features;
    const MinimizerReport<Scalar> stage = fit(cost, weights, first, &features, kept);
    report = stage;
    if (stage.status != MinimizerStatus::stopped_by_callback) {
      report = fit(cost, weights, start);
      if (report.status == MinimizerStatus::stalled && stage.converged()) {
        // Polishing a converged fit that finds nothing lower is no plateau: the first stage's verdict stands.
        report.status = stage.status;
        report.message = stage.message + " Polishing every weight did not lower the cost further.";
      }
      report.iterations += stage.iterations;
      report.evaluations += stage.evaluations;
      report.initial_f = stage.initial_f;
      report.initial_gradient_norm = stage.initial_gradient_norm;
    }
  } else {
    report = fit(cost, weights, start, &features, kept);
  }

  std::vector<Network> networks;
  for (Eigen::Index k = 0; k < layout.networks(); ++k) networks.push_back(map.template network<Network>(layout, weights, k));
  auto trial = trial_for(problem);
  if constexpr (is_constrained_trial<decltype(trial)>) trial.fit_to(networks.front());  // eta for this network
  Result solution(trial, std::move(networks), problem.t0, problem.t1);
  // The cost in the problem's units: the residuals are (c/L^m) times the normalized ones.
  const Scalar factor = map.output_factor();
  report.f = factor * (factor * report.f);
  report.initial_f = factor * (factor * report.initial_f);
  solution.report = std::move(report);
  solution.features = features;
  solution.collocation = points;
  solution.seed = start.seed;
  // The residual at the collocation points as the cost computes it at the returned weights (the cost
  // keeps the sigmoids of the last (w, u) it saw, so this costs no exponentials after random features).
  typename Cost::Residuals residuals;
  cost.residuals(weights, residuals);
  solution.max_residual_collocation = factor * largest_abs_or_nan(residuals);
  const auto grid = check_grid(solution.collocation, problem.t0, problem.t1, start.check_subdivisions);
  solution.check_points = grid.size();
  Scalar between;
  if constexpr (is_constrained_trial<decltype(trial)>) {
    between = max_abs_constrained_residual(problem, solution, grid);
    solution.condition_violations = solution.trial().violations(solution.network());
    // The constrained expression meets the conditions up to rounding, which grows with the output weights: a
    // fit whose weights grew until rounding ate a condition has not solved the problem, whatever its cost says.
    // The measured violations are themselves computed with that rounding, about epsilon times the sum of
    // |v_k| and |eta_j|, so that sum counts too. Each violation is weighed against the size of its condition
    // on a function of the solution's size c: c (sum_i |a_i| / L^d_i + |b| L).
    using std::sqrt;
    const Scalar epsilon = std::numeric_limits<Scalar>::epsilon();
    const Scalar allowed = sqrt(epsilon) * map.scale;
    Scalar violated = epsilon * (solution.network().v().cwiseAbs().sum() + solution.trial().eta.cwiseAbs().sum());
    for (std::size_t i = 0; i < problem.conditions.size(); ++i) {
      const LinearFunctional<Scalar>& c = problem.conditions[i].functional;
      using std::abs;
      Scalar size = abs(c.integral) * map.length;
      for (const ConditionTerm<Scalar>& term : c.terms) size += abs(term.coefficient) / map.length_power(term.order);
      const Scalar relative = solution.condition_violations[static_cast<Eigen::Index>(i)] / size;  // in units of y
      if (!(relative <= violated)) violated = relative;  // NaN counts as violated
    }
    if (!(violated <= allowed) &&
        (solution.report.converged() || solution.report.status == MinimizerStatus::stalled)) {
      solution.report.status = MinimizerStatus::conditions_violated;
      solution.report.message += " But the conditions hold only to " + std::to_string(static_cast<double>(violated)) +
                                 " in units of y (the largest violation over its condition's weights, or the "
                                 "rounding of the output weights' sizes), more than sqrt(epsilon) times the "
                                 "solution's scale " +
                                 std::to_string(static_cast<double>(map.scale)) +
                                 ": the output weights grew until rounding ate the constrained expression.";
    }
  }
  const ErrorBound<Scalar> bound = error_bound_of(problem, solution, grid, link != nullptr ? &link->carry : nullptr,
                                                  link != nullptr ? &link->contribution : nullptr);
  if constexpr (!is_constrained_trial<decltype(trial)>) between = bound.max_residual;  // the same grid and residual
  solution.error_bound = bound.bound;
  solution.error_bound_absolute = bound.absolute;
  solution.error_estimate = bound.estimate;
  solution.segment_error_bounds = Eigen::Array<Scalar, Eigen::Dynamic, 1>::Constant(1, bound.bound);
  using std::isnan;
  solution.max_residual_check = isnan(between) || isnan(solution.max_residual_collocation)
                                    ? std::numeric_limits<Scalar>::quiet_NaN()
                                    : std::max(between, solution.max_residual_collocation);
  using std::isfinite;
  if (!isfinite(solution.max_residual_check) && solution.report.converged()) {
    // f is not finite somewhere the fit did not look: not a solution, whatever the minimizer's test said.
    solution.report.status = MinimizerStatus::non_finite;
    solution.report.message += " But the residual is not finite on the check grid between the points.";
  }
  return solution;
}

/// The options of the normalized solve: the collocation points as \f$z = (t - t_0)/L\f$, and the initial
/// weights, given as those of networks at the origin \f$t_0\f$, as normalized weights. Throws
/// `std::invalid_argument` when distinct points coincide in \f$z\f$.
template <typename Scalar>
SolveOptions<Scalar> normalized_options(const SolveOptions<Scalar>& options, const Normalization<Scalar>& map,
                                        Eigen::Index networks) {
  SolveOptions<Scalar> out = options;
  for (Eigen::Index i = 0; i < out.collocation.size(); ++i) out.collocation[i] = map.z(options.collocation[i]);
  try {
    check_collocation_points(out.collocation, Scalar(0), Scalar(1));
  } catch (const std::invalid_argument&) {
    throw std::invalid_argument("solve: collocation points that are distinct in t coincide in z = (t - t0)/(t1 - t0), "
                                "the time the fit runs in: keep them further apart");
  }
  if (out.initial_weights.size() > 0) map.normalize(WeightLayout(out.hidden_units, networks), out.initial_weights);
  return out;
}

/// `solve()` from the check of its inputs on.
/// With `link` (one start: time marching), the segment takes over from the one before and hands over to the
/// next (`SegmentLink`).
template <int Hidden, typename Problem>
SolutionFor<Problem, Hidden> solve_checked(const Problem& problem,
                                           const SolveOptions<typename Problem::scalar_type>& options,
                                           SegmentLink<typename Problem::scalar_type>* link = nullptr) {
  using Scalar = typename Problem::scalar_type;
  const SolveOptions<Scalar> checked = checked_options<Hidden>(problem, options);
  const Normalization<Scalar> map = normalization(problem, checked.collocation);
  const auto normalized_problem = normalized(problem, map);
  const SolveOptions<Scalar> inner = normalized_options(checked, map, network_count(problem));
  if (link != nullptr) return solve_start<Hidden>(problem, normalized_problem, map, checked.collocation, inner, link);
  return best_of_starts(inner, [&](const SolveOptions<Scalar>& start) {
    return solve_start<Hidden>(problem, normalized_problem, map, checked.collocation, start);
  });
}

}  // namespace detail

}  // namespace trialode
