// SPDX-License-Identifier: MIT
// solve() for systems of n first-order equations: one network per component, the same options and fit step
// as the scalar solve(), and the trained solution y(t) in R^n.
#pragma once

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "cost_system.hpp"
#include "network.hpp"
#include "report.hpp"
#include "solve.hpp"
#include "system_problem.hpp"
#include "trial.hpp"

namespace trialode {

/// A trained solution of a system, \f$y_j(t) = y_{0j} + (t - t_0) N_j(t)\f$ for \f$j = 1..n\f$, with the
/// report of its fit. `N` is \f$n\f$ when known at compile time.
template <typename Scalar, int N = Eigen::Dynamic, int Hidden = Eigen::Dynamic>
class SystemSolution : public FitRecord<Scalar> {
 public:
  using Network = SigmoidNetwork<Scalar, Hidden>;
  using Vector = Eigen::Matrix<Scalar, N, 1>;
  /// One component as a scalar trial solution.
  using Component = TrialSolution<FirstOrderTrial<Scalar>, Network>;

  /// Throws `std::invalid_argument` unless there is one network per entry of `y0`, and t1 > t0.
  SystemSolution(Scalar t0, Scalar t1, const Vector& y0, std::vector<Network> networks)
      : t0_(t0), t1_(t1), y0_(y0), networks_(std::move(networks)) {
    if (y0_.size() < 1 || static_cast<std::size_t>(y0_.size()) != networks_.size()) {
      throw std::invalid_argument("SystemSolution: y0 has " + std::to_string(y0_.size()) + " entries but there are " +
                                  std::to_string(networks_.size()) + " networks");
    }
    if (!(t1_ > t0_)) throw std::invalid_argument("SystemSolution: t1 must be greater than t0");
  }

  /// \f$y(t) \in \mathbb{R}^n\f$; defined for every \f$t\f$, trained on \f$[t_0, t_1]\f$.
  Vector operator()(Scalar t) const { return value(t); }
  Vector value(Scalar t) const {
    Vector out(components());
    for (Eigen::Index j = 0; j < components(); ++j) out[j] = component(j).value(t);
    return out;
  }
  /// \f$y'(t)\f$.
  Vector derivative(Scalar t) const {
    Vector out(components());
    for (Eigen::Index j = 0; j < components(); ++j) out[j] = component(j).derivative(t);
    return out;
  }
  /// Component \f$j\f$ (from 0) as a scalar trial solution.
  Component component(Eigen::Index j) const {
    return Component(FirstOrderTrial<Scalar>{t0_, y0_[j]}, networks_.at(static_cast<std::size_t>(j)));
  }
  /// True when \f$t_0 \le t \le t_1\f$, the interval the networks were trained on.
  bool contains(Scalar t) const { return t >= t0_ && t <= t1_; }

  Eigen::Index components() const { return y0_.size(); }
  const std::vector<Network>& networks() const { return networks_; }
  const Vector& y0() const { return y0_; }
  Scalar t0() const { return t0_; }
  Scalar t1() const { return t1_; }

 private:
  Scalar t0_;
  Scalar t1_;
  Vector y0_;
  std::vector<Network> networks_;
};

/// \f$\max_{j,k} |y_k'(t_j) - f_k(t_j, y(t_j))|\f$ of a system's solution over the points `t`; NaN if any is.
template <typename Problem, typename Solution, typename Derived>
typename Problem::scalar_type max_abs_system_residual(const Problem& problem, const Solution& solution,
                                                      const Eigen::DenseBase<Derived>& t) {
  using Scalar = typename Problem::scalar_type;
  using std::isnan;
  Scalar worst(0);
  for (Eigen::Index j = 0; j < t.size(); ++j) {
    const Scalar tj = t.derived().coeff(j);
    const Scalar r = (solution.derivative(tj) - problem.value(tj, solution.value(tj))).cwiseAbs().maxCoeff();
    if (isnan(r)) return r;
    worst = std::max(worst, r);
  }
  return worst;
}

/// Solves the system \f$y' = f(t, y)\f$, \f$y(t_0) = y_0 \in \mathbb{R}^n\f$ on \f$[t_0, t_1]\f$ with one
/// network per component, \f$y_j = y_{0j} + (t - t_0) N_j(t)\f$ (Lagaris, Likas & Fotiadis 1998), every
/// network of `options.hidden_units` units starting from the seeded initialisation. `options.initial_weights`,
/// when given, holds the \f$3Hn\f$ weights of all networks, one network after the other. The method and
/// multi-start options apply as for the first-order `solve()` (`Method::variable_projection` excepted);
/// `Method::quasilinearization` is for systems alone, and the accurate choice for nonlinear ones.
///
/// Throws `std::invalid_argument` before any work for a bad problem (sizes of f and of the Jacobian
/// included) or bad options; numerical trouble is reported in `solution.report.status`.
template <int Hidden = Eigen::Dynamic, typename Scalar, int N, typename F, typename Jacobian>
SystemSolution<Scalar, N, Hidden> solve(const SystemProblem<Scalar, N, F, Jacobian>& problem,
                                        const SolveOptions<typename SystemProblem<Scalar, N, F, Jacobian>::scalar_type>&
                                            options = {}) {
  using Problem = SystemProblem<Scalar, N, F, Jacobian>;
  using Network = SigmoidNetwork<Scalar, Hidden>;
  using Cost = SystemCost<Problem, Hidden>;
  problem.check();
  SolveOptions<Scalar> scalar_options = options;  // initial_weights are checked here, for n networks
  scalar_options.initial_weights.resize(0);
  scalar_options.check();
  const Eigen::Index n = problem.size();
  const Eigen::Index m = 3 * options.hidden_units;
  if (options.initial_weights.size() != 0) {
    if (options.initial_weights.size() != n * m) {
      throw std::invalid_argument("SolveOptions: initial_weights of a system of " + std::to_string(n) +
                                  " equations must hold n * 3 * hidden_units = " + std::to_string(n * m) +
                                  " values, got " + std::to_string(options.initial_weights.size()));
    }
    if (!options.initial_weights.allFinite()) {
      throw std::invalid_argument("SolveOptions: initial_weights are not all finite");
    }
  }

  return detail::best_of_starts(options, [&problem, n, m](const SolveOptions<Scalar>& start) {
    Eigen::Array<Scalar, Eigen::Dynamic, 1> points = detail::collocation_from(start, problem.t0, problem.t1);
    Cost cost(problem, start.hidden_units, points);
    typename Cost::Parameters weights(n * m);
    for (Eigen::Index k = 0; k < n; ++k) {
      const Eigen::Matrix<Scalar, Eigen::Dynamic, 1> given =
          start.initial_weights.size() == 0 ? start.initial_weights : start.initial_weights.segment(k * m, m);
      weights.segment(k * m, m) =
          detail::starting_weights<Network>(start.hidden_units, start.seed, problem.t0, problem.t1, given);
    }
    MinimizerReport<Scalar> report = detail::fit(cost, weights, start);

    std::vector<Network> networks;
    for (Eigen::Index k = 0; k < n; ++k) {
      networks.emplace_back(start.hidden_units, typename Network::Parameters(weights.segment(k * m, m)));
    }
    SystemSolution<Scalar, N, Hidden> solution(problem.t0, problem.t1, problem.y0, std::move(networks));
    solution.report = std::move(report);
    solution.collocation = std::move(points);
    solution.seed = start.seed;
    solution.max_residual_collocation = max_abs_system_residual(problem, solution, solution.collocation);
    const auto grid = check_grid(solution.collocation, problem.t0, problem.t1, start.check_subdivisions);
    solution.check_points = grid.size();
    solution.max_residual_check = max_abs_system_residual(problem, solution, grid);
    return solution;
  });
}

}  // namespace trialode
