// SPDX-License-Identifier: MIT
// One call from a problem and options to a trained solution: collocation points, network initialisation,
// L-BFGS on the exact cost gradient, and diagnostics of the result between the points.
#pragma once

#include <Eigen/Core>

#include <cmath>
#include <cstdint>
#include <limits>
#include <functional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "collocation.hpp"
#include "cost.hpp"
#include "lbfgs.hpp"
#include "network.hpp"
#include "report.hpp"
#include "trial.hpp"

namespace trialode {

namespace detail {

/// The weights `start` with every unit that repeats an earlier unit exactly replaced by that unit's
/// weights in `fallback`: identical units get identical gradients and would never separate.
template <typename Start, typename Weights>
Weights break_symmetry(const Start& start, const Weights& fallback) {
  Weights out = start;
  const Eigen::Index h = out.size() / 3;
  for (Eigen::Index k = 1; k < h; ++k) {
    for (Eigen::Index j = 0; j < k; ++j) {
      if (out[k] == out[j] && out[h + k] == out[h + j] && out[2 * h + k] == out[2 * h + j]) {
        for (Eigen::Index part = 0; part < 3; ++part) out[part * h + k] = fallback[part * h + k];
        break;
      }
    }
  }
  return out;
}

/// The seeded starting weights of a network on \f$[t_0, t_1]\f$, or `given` when it is not empty, with
/// repeated units replaced by the seeded ones (see `break_symmetry`).
template <typename Network, typename Scalar, typename Given>
typename Network::Parameters starting_weights(Eigen::Index hidden, std::uint64_t seed, Scalar t0, Scalar t1,
                                              const Given& given) {
  Network network(hidden);
  network.initialize(seed, t0, t1);
  if (given.size() == 0) return network.parameters();
  return break_symmetry(given, network.parameters());
}

}  // namespace detail

/// The L-BFGS parameters `solve()` starts from. They differ from `LbfgsParameters`' own defaults in two
/// ways, both measured on \f$y' = -y\f$ over 100 seeds. The collocation cost has long plateaus on which
/// the gradient shrinks slowly, so the relative gradient tolerance is \f$\sqrt{\varepsilon}/4\f$
/// (\f$3.7 \cdot 10^{-9}\f$ in double) rather than \f$\varepsilon^{2/3}\f$; in float, whose gradient
/// hits its rounding floor near \f$10^{-6}\f$ of the initial one, it is \f$10^{-5}\f$. And a run may
/// take up to 20000 iterations and 40000 evaluations: the median run in double takes under 1000, but the
/// slowest of 100 seeds needs over 10000, and which seed that is changes with the last bits of rounding.
template <typename Scalar>
LbfgsParameters<Scalar> solve_minimizer_defaults() {
  using std::sqrt;
  LbfgsParameters<Scalar> parameters;
  parameters.relative_gradient_tolerance = std::is_same<Scalar, float>::value
                                               ? Scalar(1e-5)
                                               : sqrt(std::numeric_limits<Scalar>::epsilon()) / Scalar(4);
  parameters.max_iterations = 20000;
  parameters.max_evaluations = 40000;
  return parameters;
}

/// Everything `solve()` can be told. The defaults solve \f$y' = -y\f$ on \f$[0, 5]\f$ to a max error
/// near \f$10^{-5}\f$; Lagaris' original set-up is `options.points = 11;` away.
template <typename Scalar>
struct SolveOptions {
  /// Hidden sigmoid units \f$H\f$ (default 10); the network has \f$3H\f$ weights.
  Eigen::Index hidden_units = 10;
  /// Number of collocation points placed by `rule` in \f$[t_0, t_1]\f$, ends included (default 41).
  /// Ignored when `collocation` is not empty.
  Eigen::Index points = 41;
  /// Placement of the `points` (default equally spaced).
  CollocationRule rule = CollocationRule::equally_spaced;
  /// User-given collocation points; when not empty they replace `points` and `rule`.
  Eigen::Array<Scalar, Eigen::Dynamic, 1> collocation;
  /// The check grid splits every gap between neighbouring collocation points into this many steps
  /// (default 10) and reports the largest residual on it.
  Eigen::Index check_subdivisions = 10;
  /// Seed of the deterministic initialisation of the network (default 1).
  std::uint64_t seed = 1;
  /// Optional starting weights \f$(v, w, u)\f$, \f$3H\f$ of them, to continue from a previous fit.
  /// Empty (the default) starts from the seeded initialisation. A unit identical to an earlier one (as
  /// every unit of an all-zero start is) would stay identical under exact gradients, so it takes the
  /// seeded initialisation's weights instead.
  Eigen::Matrix<Scalar, Eigen::Dynamic, 1> initial_weights;
  /// Parameters of the L-BFGS minimizer (default `solve_minimizer_defaults<Scalar>()`).
  LbfgsParameters<Scalar> minimizer = solve_minimizer_defaults<Scalar>();
  /// Optional, called after every L-BFGS iteration; return false to stop the fit.
  std::function<bool(const IterationInfo<Scalar>&)> callback;

  /// Throws `std::invalid_argument` naming the first bad field.
  void check() const {
    if (hidden_units < 1) throw std::invalid_argument("SolveOptions: hidden_units must be at least 1");
    if (collocation.size() == 0 && points < 2) {
      throw std::invalid_argument("SolveOptions: points must be at least 2 (or give collocation points)");
    }
    if (check_subdivisions < 1) throw std::invalid_argument("SolveOptions: check_subdivisions must be at least 1");
    if (initial_weights.size() != 0) {
      if (initial_weights.size() != 3 * hidden_units) {
        throw std::invalid_argument("SolveOptions: initial_weights must hold 3 * hidden_units = " +
                                    std::to_string(3 * hidden_units) + " values, got " +
                                    std::to_string(initial_weights.size()));
      }
      if (!initial_weights.allFinite()) throw std::invalid_argument("SolveOptions: initial_weights are not all finite");
    }
    minimizer.check();
  }
};

/// A trained trial solution with the report of its fit. `TrialForm` is `FirstOrderTrial` (the default),
/// `SecondOrderTrial` or `DirichletTrial`.
template <typename Scalar, int Hidden = Eigen::Dynamic, typename TrialForm = FirstOrderTrial<Scalar>>
class Solution {
 public:
  using Network = SigmoidNetwork<Scalar, Hidden>;
  using Trial = TrialForm;

  Solution(const Trial& trial, const Network& network, Scalar t0, Scalar t1)
      : solution_(trial, network), t0_(t0), t1_(t1) {}

  /// \f$y(t)\f$; defined for every \f$t\f$, trained on \f$[t_0, t_1]\f$.
  Scalar operator()(Scalar t) const { return solution_.value(t); }
  Scalar value(Scalar t) const { return solution_.value(t); }
  /// \f$y'(t)\f$.
  Scalar derivative(Scalar t) const { return solution_.derivative(t); }
  /// \f$y\f$ and \f$y'\f$ at every entry of an array.
  template <typename Derived>
  Eigen::Array<Scalar, Eigen::Dynamic, 1> value(const Eigen::ArrayBase<Derived>& t) const { return solution_.value(t); }
  template <typename Derived>
  Eigen::Array<Scalar, Eigen::Dynamic, 1> derivative(const Eigen::ArrayBase<Derived>& t) const {
    return solution_.derivative(t);
  }
  /// \f$y''(t)\f$, at a point or at every entry of an array.
  Scalar second_derivative(Scalar t) const { return solution_.second_derivative(t); }
  template <typename Derived>
  Eigen::Array<Scalar, Eigen::Dynamic, 1> second_derivative(const Eigen::ArrayBase<Derived>& t) const {
    return solution_.second_derivative(t);
  }
  /// \f$y, y', y''\f$ at \f$t\f$.
  TrialValues<Scalar> evaluate(Scalar t) const { return solution_.evaluate(t); }
  /// True when \f$t_0 \le t \le t_1\f$, the interval the network was trained on; outside it the solution
  /// is an extrapolation, whose error grows quickly.
  bool contains(Scalar t) const { return t >= t0_ && t <= t1_; }

  const Network& network() const { return solution_.network(); }
  const Trial& trial() const { return solution_.trial(); }
  Scalar t0() const { return t0_; }
  Scalar t1() const { return t1_; }

  /// How the minimizer ended; `report.f` is the final cost \f$I\f$.
  MinimizerReport<Scalar> report;
  /// The collocation points the cost was built on.
  Eigen::Array<Scalar, Eigen::Dynamic, 1> collocation;
  /// \f$\max_i |y'(t_i) - f(t_i, y(t_i))|\f$ at the collocation points.
  Scalar max_residual_collocation = Scalar(0);
  /// The same maximum on the check grid between the points, which a small cost does not bound.
  Scalar max_residual_check = Scalar(0);
  /// Number of points of the check grid.
  Eigen::Index check_points = 0;
  /// The seed of the initial weights.
  std::uint64_t seed = 0;

  /// True when the minimizer met a convergence test.
  bool converged() const { return report.converged(); }

 private:
  TrialSolution<Trial, Network> solution_;
  Scalar t0_;
  Scalar t1_;
};

namespace detail {

/// The one step every `solve()` overload shares: minimizes `cost` from `weights`, which receive the best
/// weights found, as `options` say.
template <typename Cost, typename Parameters, typename Scalar>
MinimizerReport<Scalar> fit(Cost& cost, Parameters& weights, const SolveOptions<Scalar>& options) {
  Lbfgs<Scalar, Parameters::RowsAtCompileTime> minimizer(options.minimizer);
  return options.callback ? minimizer.minimize(cost, weights, options.callback) : minimizer.minimize(cost, weights);
}

/// The collocation points of `options` on \f$[t_0, t_1]\f$: the user's, or `points` by `rule`.
template <typename Scalar>
Eigen::Array<Scalar, Eigen::Dynamic, 1> collocation_from(const SolveOptions<Scalar>& options, Scalar t0, Scalar t1) {
  return options.collocation.size() > 0 ? options.collocation
                                        : collocation_points(t0, t1, options.points, options.rule);
}

}  // namespace detail

/// Solves \f$y' = f(t, y)\f$, \f$y(t_0) = y_0\f$ on \f$[t_0, t_1]\f$ with the trial solution
/// \f$y = y_0 + (t - t_0) N(t)\f$, minimizing the collocation cost with L-BFGS. `Hidden` fixes the
/// number of units at compile time (it must then equal `options.hidden_units`).
///
/// Throws `std::invalid_argument` for a bad problem or bad options, before any work. Numerical trouble
/// (a non-finite f, a failed line search, a limit) is reported in `solution.report.status`; the weights
/// are then the best finite ones found.
template <int Hidden = Eigen::Dynamic, typename Problem>
Solution<typename Problem::scalar_type, Hidden> solve(const Problem& problem,
                                                      const SolveOptions<typename Problem::scalar_type>& options = {}) {
  using Scalar = typename Problem::scalar_type;
  using Network = SigmoidNetwork<Scalar, Hidden>;
  problem.check();
  options.check();
  Eigen::Array<Scalar, Eigen::Dynamic, 1> points = detail::collocation_from(options, problem.t0, problem.t1);
  FirstOrderCost<Problem, Hidden> cost(problem, options.hidden_units, points);

  typename Network::Parameters weights = detail::starting_weights<Network>(
      options.hidden_units, options.seed, problem.t0, problem.t1, options.initial_weights);
  MinimizerReport<Scalar> report = detail::fit(cost, weights, options);
  Network network(options.hidden_units, weights);

  Solution<Scalar, Hidden> solution(cost.trial(), network, problem.t0, problem.t1);
  solution.report = std::move(report);
  solution.collocation = std::move(points);
  solution.seed = options.seed;
  solution.max_residual_collocation = max_abs_residual(problem, solution, solution.collocation);
  const auto grid = check_grid(solution.collocation, problem.t0, problem.t1, options.check_subdivisions);
  solution.check_points = grid.size();
  solution.max_residual_check = max_abs_residual(problem, solution, grid);
  return solution;
}

}  // namespace trialode
