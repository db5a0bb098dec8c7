// SPDX-License-Identifier: MIT
// A bound on the error of a trained solution, from its residual on a grid, for every problem family: each
// family written as a first-order state with its Jacobian and residual (detail::ErrorSamples), the error
// then propagated through the linearized error equation (detail::propagate_error).
#pragma once

#include <Eigen/Core>

#include <algorithm>
#include <array>
#include <limits>
#include <stdexcept>
#include <cmath>
#include <cstddef>
#include <type_traits>
#include <vector>

#include "../approximation/constrained_trial.hpp"
#include "../approximation/detail/network_batch.hpp"
#include "../approximation/trial.hpp"
#include "detail/error_propagation.hpp"
#include "solution.hpp"

namespace trialode {

/// What `error_bound` found of a solution's error \f$e = y - y_{exact}\f$ on \f$[t_0, t_1]\f$, in the
/// problem's units (for a system, the largest over the components).
template <typename Scalar>
struct ErrorBound {
  /// The bound `FitRecord::error_bound` reports: at each sample the smaller of `absolute` and twice the
  /// signed estimate with its quadrature spread, the largest over the samples (`absolute` alone when that is
  /// above \f$10^{-3}\f$ of the solution's scale).
  Scalar bound = std::numeric_limits<Scalar>::infinity();
  /// The absolute Green's-function bound, \f$|\Phi(t)| \int |\Phi(s)^{-1} \tilde r(s)| ds\f$ with the
  /// conditions' correction and the rounding term.
  Scalar absolute = std::numeric_limits<Scalar>::infinity();
  /// The largest signed linearized error \f$|\Phi(t) \int \Phi(s)^{-1} \tilde r(s) ds|\f$ (corrected for the
  /// conditions): the likely error of a linear problem.
  Scalar estimate = std::numeric_limits<Scalar>::infinity();
  /// Where `bound` is largest.
  Scalar worst_t = Scalar(0);
  /// The largest |residual| of the equation at the samples (the largest component for a system), NaN if any
  /// is: what `max_residual_check` reports on the check grid.
  Scalar max_residual = Scalar(0);
};

namespace detail {

/// \f$\sum_k |v_k s_k(t)|\f$ of a network at every entry of `t`: the size of the terms its value adds up.
template <typename Scalar, int Hidden, typename Points>
Eigen::Array<Scalar, Eigen::Dynamic, 1> term_sizes(const SigmoidNetwork<Scalar, Hidden>& network, const Points& t) {
  Eigen::Array<Scalar, Eigen::Dynamic, 1> out(t.size());
  NetworkBatch<Scalar, Hidden> batch(network.hidden_units());
  batch.run_with_sizes(network, t, 0, [&out](Eigen::Index i, const NetworkValues<Scalar>&, Scalar size, Scalar) { out[i] = size; });
  return out;
}

/// The samples of a solution of a scalar equation of order 1 or 2 with an initial value or Dirichlet trial
/// form: the state \f$y\f$ (order 1, \f$J = f_y\f$, \f$\tilde r = y' - f\f$) or \f$(y, y')\f$ (order 2,
/// \f$J = [[0, 1], [f_y, f_{y'}]]\f$, \f$\tilde r = (0, y'' - f)\f$); the size \f$|A| + |B| \sum_k |v_k s_k|\f$
/// (and that of \f$y'\f$). The solution must have one segment.
template <typename Problem, typename Solution, typename Points>
ErrorSamples<typename Problem::scalar_type> scalar_samples(const Problem& problem, const Solution& solution, const Points& t) {
  using Scalar = typename Problem::scalar_type;
  constexpr int order = Problem::order;
  ErrorSamples<Scalar> s;
  s.resize(t.size(), order, 1);
  s.t = t;
  using std::abs;
  NetworkBatch<Scalar, Solution::Network::hidden_at_compile_time> batch(solution.network().hidden_units());
  batch.run_with_sizes(
      solution.network(), t, order,
      [&](Eigen::Index i, const NetworkValues<Scalar>& n, Scalar size, Scalar slope_size) {
        const Scalar at = t[i];
        const TrialBasis<Scalar> basis = solution.trial().basis(at);
        const TrialValues<Scalar> y = combine(basis, n);
        const ResidualPartials<Scalar, order> p = residual_with_partials(problem, at, y);
        s.size(0, i) = abs(basis.a) + abs(basis.b) * size;
        s.value(0, i) = y.y;
        if constexpr (order == 1) {
          s.jacobian(0, i) = p.df[0];
          s.residual(0, i) = p.r;
        } else {
          s.size(1, i) = abs(basis.da) + abs(basis.db) * size + abs(basis.b) * slope_size;
          s.jacobian(0, 2 * i + 1) = Scalar(1);
          s.jacobian(1, 2 * i) = p.df[0];
          s.jacobian(1, 2 * i + 1) = p.df[1];
          s.residual(1, i) = p.r;
        }
      });
  return s;
}

/// The samples of a system's solution: the state \f$y \in \mathbb{R}^n\f$, \f$J = \partial f/\partial y\f$,
/// \f$\tilde r = y' - f\f$, and per component the size \f$|y_{0j}| + |t - t_0| \sum_k |v_{jk} s_{jk}|\f$.
template <typename Problem, typename Solution, typename Points>
ErrorSamples<typename Problem::scalar_type> system_samples(const Problem& problem, const Solution& solution, const Points& t) {
  using Scalar = typename Problem::scalar_type;
  using Vector = typename Problem::Vector;
  using Matrix = typename Problem::Matrix;
  const Eigen::Index n = solution.components();
  ErrorSamples<Scalar> s;
  s.resize(t.size(), n, n);
  s.t = t;
  using std::abs;
  for (Eigen::Index j = 0; j < n; ++j) {
    const Eigen::Array<Scalar, Eigen::Dynamic, 1> sizes = term_sizes(solution.network(j), t);
    for (Eigen::Index i = 0; i < t.size(); ++i) {
      s.size(j, i) = abs(solution.trial().y0[j]) + abs(t[i] - solution.trial().t0) * sizes[i];
    }
  }
  Vector f(n);
  Matrix df(n, n);
  solution.evaluate_each(t, [&](Eigen::Index i, const TrialValues<Vector>& y) {
    problem.partials(t[i], y.y, f, df);
    s.jacobian.middleCols(i * n, n) = df;
    s.residual.col(i) = y.dy - f;
    s.value.col(i) = y.y;
  });
  return s;
}

/// The samples of a solution of an equation of order m with linear conditions: the state
/// \f$(y, \dots, y^{(m-1)})\f$, the companion Jacobian with f's partials in its last row, \f$\tilde r =
/// (0, \dots, 0, y^{(m)} - f)\f$, the size \f$\sum_j |\eta_j \phi_j| + \sum_k |v_k s_k|\f$; and the conditions
/// on the state, their points among the samples (`t` must hold them).
template <typename Problem, typename Solution, typename Points>
ErrorSamples<typename Problem::scalar_type> constrained_samples(
    const Problem& problem, const Solution& solution, const Points& t,
    std::vector<StateCondition<typename Problem::scalar_type>>& conditions) {
  using Scalar = typename Problem::scalar_type;
  constexpr int m = Problem::order;
  ErrorSamples<Scalar> s;
  s.resize(t.size(), m, 1);
  s.t = t;
  const Eigen::Array<Scalar, Eigen::Dynamic, 1> sizes = term_sizes(solution.network(), t);
  ConstrainedTrial<Scalar> absolute = solution.trial();
  absolute.eta = absolute.eta.cwiseAbs();  // phi_j >= 0 on [t0, t1]
  using std::abs;
  for (Eigen::Index i = 0; i < t.size(); ++i) {
    const Scalar at = t[i];
    const std::array<Scalar, m + 1> y = solution.trial().template derivatives<m>(solution.network(), at);
    typename Problem::State state{};
    for (int d = 0; d < m; ++d) state[static_cast<std::size_t>(d)] = y[static_cast<std::size_t>(d)];
    const Partials<Scalar, m> p = problem.partials(at, state);
    for (int d = 0; d + 1 < m; ++d) s.jacobian(d, m * i + d + 1) = Scalar(1);
    for (int d = 0; d < m; ++d) s.jacobian(m - 1, m * i + d) = p.df[d];
    s.residual(m - 1, i) = y[m] - p.f;
    s.size(0, i) = sizes[i] + abs(absolute.polynomial(at, 0));
    s.value(0, i) = y[0];
  }
  conditions.clear();
  for (std::size_t c = 0; c < problem.conditions.size(); ++c) {
    const LinearFunctional<Scalar>& functional = problem.conditions[c].functional;
    StateCondition<Scalar> condition;
    condition.integral = functional.integral;
    condition.violation = solution.condition_violations.size() > static_cast<Eigen::Index>(c)
                              ? solution.condition_violations[static_cast<Eigen::Index>(c)]
                              : Scalar(0);
    for (const ConditionTerm<Scalar>& term : functional.terms) {
      const Scalar* found = std::lower_bound(t.data(), t.data() + t.size(), term.point);
      condition.terms.push_back({static_cast<Eigen::Index>(found - t.data()), term.order, term.coefficient});
    }
    conditions.push_back(condition);
  }
  return s;
}

/// `grid` with the points of the conditions added, in order, without repeats.
template <typename Scalar>
Eigen::Array<Scalar, Eigen::Dynamic, 1> with_condition_points(const Eigen::Array<Scalar, Eigen::Dynamic, 1>& grid,
                                                              const std::vector<Condition<Scalar>>& conditions) {
  std::vector<Scalar> points(grid.data(), grid.data() + grid.size());
  for (const Condition<Scalar>& c : conditions) {
    for (const ConditionTerm<Scalar>& term : c.functional.terms) points.push_back(term.point);
  }
  std::sort(points.begin(), points.end());
  points.erase(std::unique(points.begin(), points.end()), points.end());
  return Eigen::Map<const Eigen::Array<Scalar, Eigen::Dynamic, 1>>(points.data(), static_cast<Eigen::Index>(points.size()));
}

/// `error_bound()` of a one-segment solution, going on from `carry` when given (time marching), with the
/// bound of the errors made in this segment alone into `contribution` when given.
template <typename Problem, typename Solution>
ErrorBound<typename Problem::scalar_type> error_bound_of(
    const Problem& problem, const Solution& solution, const Eigen::Array<typename Problem::scalar_type, Eigen::Dynamic, 1>& grid,
    ErrorCarry<typename Problem::scalar_type>* carry = nullptr, typename Problem::scalar_type* contribution = nullptr) {
  using Scalar = typename Problem::scalar_type;
  using Trial = typename Solution::Trial;
  std::vector<StateCondition<Scalar>> conditions;
  ErrorSamples<Scalar> samples;
  if constexpr (is_system<Problem>) {
    samples = system_samples(problem, solution, grid);
  } else if constexpr (is_constrained_trial<Trial>) {
    samples = constrained_samples(problem, solution, with_condition_points(grid, problem.conditions), conditions);
  } else {
    samples = scalar_samples(problem, solution, grid);
    if constexpr (std::is_same<Trial, DirichletTrial<Scalar>>::value) {  // y(a) = y_a, y(b) = y_b
      conditions.resize(2);
      conditions[0].terms.push_back({0, 0, Scalar(1)});
      conditions[1].terms.push_back({grid.size() - 1, 0, Scalar(1)});
    }
  }
  const PropagatedError<Scalar> found = propagate_error(samples, conditions, std::is_same<Trial, DirichletTrial<Scalar>>::value,
                                                        conditions.empty() ? carry : nullptr, contribution);
  ErrorBound<Scalar> out;
  using std::isnan;
  for (Eigen::Index i = 0; i < samples.residual.size() && !isnan(out.max_residual); ++i) {
    const Scalar r = samples.residual.data()[i];
    using std::abs;
    if (isnan(r) || abs(r) > out.max_residual) out.max_residual = isnan(r) ? r : abs(r);
  }
  out.bound = found.bound;
  out.absolute = found.absolute;
  out.estimate = found.estimate;
  out.worst_t = found.worst_t;
  return out;
}

}  // namespace detail

/// A bound on \f$\max_{[t_0, t_1]} |y(t) - y_{exact}(t)|\f$ of a solution of `problem` (the largest over the
/// components of a system), from its residual at the points `grid` (increasing, from \f$t_0\f$ to
/// \f$t_1\f$; a solve uses its check grid). Every family is written as a first-order state \f$x\f$ (\f$y\f$;
/// \f$(y, y')\f$ for order 2; \f$(y, \dots, y^{(m-1)})\f$ for order m; the vector of a system) whose error
/// obeys, to first order, \f$e' = J(t) e + \tilde r(t)\f$ with \f$J\f$ the Jacobian of the state equation
/// along the solution and \f$\tilde r\f$ its residual; the conditions fix \f$e\f$ at \f$t_0\f$ (initial
/// values: \f$e(t_0) = 0\f$) or through the linear boundary value problem's fundamental solutions.
///
/// What it rests on:
/// - **the linearization**: exact for a linear f; for a nonlinear f it leaves out terms of order
///   \f$|e|^2\f$, which is why the signed estimate is used only while the bound is below \f$10^{-3}\f$ of the
///   solution's scale;
/// - **the grid**: the residual is seen only at the samples; each cell's integral of
///   \f$|\Phi^{-1} \tilde r|\f$ is bounded by its width times the larger end, which holds where the
///   integrand is monotone in the cell (a residual spike narrower than a cell goes unseen);
/// - **the rounding** of evaluating \f$y = A + B N\f$, which the residual does not see: \f$4\varepsilon\f$
///   times the sizes of the terms summed, a model, not a proof;
/// - the fundamental matrix \f$\Phi\f$, stepped by exponentials of the trapezoid mean of \f$J\f$ (exact for
///   a constant \f$J\f$, second order in the step otherwise).
///
/// `absolute` is the componentwise Green's-function bound \f$|\Phi(t)| \int |\Phi(s)^{-1}\tilde r(s)| ds\f$
/// (exact absolute Green's function for a scalar first-order equation): it ignores that a least-squares
/// residual changes sign between the points, and overstates the error by 2 to 250 times. `bound` takes at
/// each sample the smaller of that and \f$2|\hat e| + 2|\hat e - \hat e_{coarse}|\f$ plus the rounding term,
/// with \f$\hat e\f$ the signed linearized error by the trapezoid rule and \f$\hat e_{coarse}\f$ the same on
/// every other sample: a factor 2 over the likely error where its quadrature is to be trusted. A non-finite
/// residual, Jacobian or fundamental matrix gives infinite results.
template <typename Problem, typename Solution>
ErrorBound<typename Problem::scalar_type> error_bound(const Problem& problem, const Solution& solution,
                                                     const Eigen::Array<typename Problem::scalar_type, Eigen::Dynamic, 1>& grid) {
  if (solution.segments() != 1) throw std::invalid_argument("error_bound: the solution must have one segment");
  return detail::error_bound_of(problem, solution, grid);
}

}  // namespace trialode
