// SPDX-License-Identifier: MIT
// solve() for second-order problems y'' = f(t, y, y'): initial value problems and Dirichlet boundary value
// problems, through the same options, fit step and diagnostics as the first-order solve().
#pragma once

#include <Eigen/Core>

#include <utility>

#include "cost_second_order.hpp"
#include "second_order_problem.hpp"
#include "solve.hpp"

namespace trialode {

namespace detail {

/// The second-order solve shared by initial and boundary value problems.
template <int Hidden, typename Problem>
Solution<typename Problem::scalar_type, Hidden, typename Problem::trial_type> solve_second_order(
    const Problem& problem, const SolveOptions<typename Problem::scalar_type>& options) {
  using Scalar = typename Problem::scalar_type;
  using Network = SigmoidNetwork<Scalar, Hidden>;
  problem.check();
  options.check();
  return best_of_starts(options, [&problem](const SolveOptions<Scalar>& start) {
    Eigen::Array<Scalar, Eigen::Dynamic, 1> points = collocation_from(start, problem.t0, problem.t1);
    SecondOrderCost<Problem, Hidden> cost(problem, start.hidden_units, points);

    typename Network::Parameters weights =
        starting_weights<Network>(start.hidden_units, start.seed, problem.t0, problem.t1, start.initial_weights);
    MinimizerReport<Scalar> report = fit(cost, weights, start);
    Network network(start.hidden_units, weights);

    Solution<Scalar, Hidden, typename Problem::trial_type> solution(cost.trial(), network, problem.t0, problem.t1);
    solution.report = std::move(report);
    solution.collocation = std::move(points);
    solution.seed = start.seed;
    solution.max_residual_collocation = max_abs_second_order_residual(problem, solution, solution.collocation);
    const auto grid = check_grid(solution.collocation, problem.t0, problem.t1, start.check_subdivisions);
    solution.check_points = grid.size();
    solution.max_residual_check = max_abs_second_order_residual(problem, solution, grid);
    return solution;
  });
}

}  // namespace detail

/// Solves \f$y'' = f(t, y, y')\f$, \f$y(t_0) = y_0\f$, \f$y'(t_0) = y'_0\f$ on \f$[t_0, t_1]\f$ with the
/// trial solution \f$y = y_0 + y'_0 (t - t_0) + (t - t_0)^2 N(t)\f$ (Lagaris, Likas & Fotiadis 1998).
/// Options (the method and multi-start included), errors and the report are as for the first-order
/// `solve()`, except that `Method::variable_projection` is for first-order problems only; the residual in
/// `max_residual_collocation` and `max_residual_check` is \f$y'' - f(t, y, y')\f$.
template <int Hidden = Eigen::Dynamic, typename Scalar, typename F, typename DfDy, typename DfDdy>
Solution<Scalar, Hidden, SecondOrderTrial<Scalar>> solve(
    const SecondOrderProblem<Scalar, F, DfDy, DfDdy>& problem,
    const SolveOptions<typename SecondOrderProblem<Scalar, F, DfDy, DfDdy>::scalar_type>& options = {}) {
  return detail::solve_second_order<Hidden>(problem, options);
}

/// Solves \f$y'' = f(t, y, y')\f$, \f$y(a) = y_a\f$, \f$y(b) = y_b\f$ on \f$[a, b]\f$ with the trial solution
/// \f$y = y_a \frac{b - t}{b - a} + y_b \frac{t - a}{b - a} + (t - a)(b - t) N(t)\f$ (Lagaris, Likas &
/// Fotiadis 1998). Options, errors and the report are as for the first-order `solve()`.
template <int Hidden = Eigen::Dynamic, typename Scalar, typename F, typename DfDy, typename DfDdy>
Solution<Scalar, Hidden, DirichletTrial<Scalar>> solve(
    const BoundaryValueProblem<Scalar, F, DfDy, DfDdy>& problem,
    const SolveOptions<typename BoundaryValueProblem<Scalar, F, DfDy, DfDdy>::scalar_type>& options = {}) {
  return detail::solve_second_order<Hidden>(problem, options);
}

}  // namespace trialode
