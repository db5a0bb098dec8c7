// SPDX-License-Identifier: MIT
// One call from a problem and options to a trained solution: collocation points, network initialisation,
// the fit (L-BFGS, Levenberg-Marquardt or variable projection, from one or several seeds), and diagnostics
// of the result between the points.
#pragma once

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <exception>
#include <limits>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "collocation.hpp"
#include "cost.hpp"
#include "lbfgs.hpp"
#include "levenberg_marquardt.hpp"
#include "network.hpp"
#include "quasilinearization.hpp"
#include "report.hpp"
#include "trial.hpp"
#include "variable_projection.hpp"

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

/// The Levenberg-Marquardt parameters `solve()` starts from: `LevenbergMarquardtParameters`' own
/// defaults (\f$\tau = 10^{-3}\f$, \f$D = I\f$, relative gradient and step tolerances
/// \f$\varepsilon^{2/3}\f$, 1000 iterations, 2000 evaluations).
template <typename Scalar>
LevenbergMarquardtParameters<Scalar> solve_least_squares_defaults() {
  return LevenbergMarquardtParameters<Scalar>();
}

/// The minimizer `solve()` fits the weights with.
enum class Method {
  /// L-BFGS on the cost and its exact gradient (the default): robust for any f.
  lbfgs,
  /// Levenberg-Marquardt on the residuals and their exact Jacobian, over all \f$3H\f$ weights.
  levenberg_marquardt,
  /// Variable projection (Golub & Pereyra 1973): only for linear scalar problems,
  /// \f$f(t, y) = a(t) y + g(t)\f$ or \f$f(t, y, y') = a(t) y + b(t) y' + g(t)\f$, which `solve()`
  /// checks at the collocation points (`check_linear`). The output weights
  /// \f$v\f$ are solved exactly by linear least squares for every \f$(w, u)\f$, and Levenberg-Marquardt
  /// with Golub & Pereyra's Jacobian fits the \f$2H\f$ weights \f$(w, u)\f$ (see `VariableProjection`;
  /// `least_squares` holds its parameters). The accurate choice for linear problems. The report's `f` and
  /// `gradient_norm` are the full cost's at the returned weights; `initial_f` is the projected cost at
  /// the start, with the best \f$v\f$ for the starting \f$(w, u)\f$. From the seeded
  /// initialisation it starts with \f$w\f$ and \f$u\f$ doubled (the same centres, steeper units):
  /// gentle units make \f$\Phi\f$ so ill-conditioned that the fit stalls near \f$10^{-7}\f$ (measured).
  variable_projection,
  /// For systems, nonlinear ones included: Levenberg-Marquardt on all \f$3nH\f$ weights (parameters
  /// `least_squares`) from the seeded initialisation with \f$w\f$ and \f$u\f$ multiplied by
  /// `quasilinearization.slope_factor`, then quasilinearization: f linearized about the current trial
  /// solution, \f$y' = f(t, y_k) + \partial f/\partial y(t, y_k)\,(y - y_k)\f$, the linear system fitted by
  /// variable projection, and repeated (see `quasilinearize`; parameters `quasilinearization`). The
  /// accurate choice for nonlinear systems; give it more collocation points than the default (81 for the
  /// paper's problem 4 on \f$[0, 3]\f$), or the fit interpolates the points and wanders between them. The
  /// report's counts are summed over both stages, `initial_f` is the cost at the start of the first.
  quasilinearization
};

/// Short lower-case name of a method, e.g. "levenberg_marquardt".
inline const char* to_string(Method method) {
  switch (method) {
    case Method::lbfgs: return "lbfgs";
    case Method::levenberg_marquardt: return "levenberg_marquardt";
    case Method::variable_projection: return "variable_projection";
    case Method::quasilinearization: return "quasilinearization";
  }
  return "unknown";
}

namespace detail {

/// The number of threads a multi-start uses by default: OpenMP's, or the hardware's, at least 1.
inline int available_threads() {
#ifdef _OPENMP
  return std::max(1, omp_get_max_threads());
#else
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
#endif
}

}  // namespace detail

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
  /// The minimizer (default `Method::lbfgs`).
  Method method = Method::lbfgs;
  /// Parameters of the L-BFGS minimizer (default `solve_minimizer_defaults<Scalar>()`).
  LbfgsParameters<Scalar> minimizer = solve_minimizer_defaults<Scalar>();
  /// Parameters of Levenberg-Marquardt, for `Method::levenberg_marquardt` and
  /// `Method::variable_projection` (default `solve_least_squares_defaults<Scalar>()`).
  LevenbergMarquardtParameters<Scalar> least_squares = solve_least_squares_defaults<Scalar>();
  /// Parameters of the second stage of `Method::quasilinearization` (default
  /// `QuasilinearizationParameters<Scalar>()`).
  QuasilinearizationParameters<Scalar> quasilinearization;
  /// Number of starts (default 1): the fit runs from seeds `seed`, `seed + 1`, ..., `seed + starts - 1`
  /// (`initial_weights`, if given, serve the first start only) and the solution with the smallest
  /// `max_residual_check` is kept, the earliest start on a tie. The result does not depend on `threads`.
  int starts = 1;
  /// Threads for the starts when the library is compiled with OpenMP (default: all available); without
  /// OpenMP the starts run one after another. At least 1.
  int threads = detail::available_threads();
  /// Optional, called after every iteration of the minimizer; return false to stop the fit. With
  /// `starts > 1` and more than one thread it is called from several threads at once.
  std::function<bool(const IterationInfo<Scalar>&)> callback;

  /// Throws `std::invalid_argument` naming the first bad field.
  void check() const {
    // Upper bounds far beyond any useful size, so that no size computed from them overflows.
    constexpr Eigen::Index most = Eigen::Index(1) << 24;
    if (hidden_units < 1 || hidden_units > most) {
      throw std::invalid_argument("SolveOptions: hidden_units must lie in [1, 2^24]");
    }
    if (collocation.size() == 0 && (points < 2 || points > most)) {
      throw std::invalid_argument("SolveOptions: points must lie in [2, 2^24] (or give collocation points)");
    }
    if (collocation.size() > most) throw std::invalid_argument("SolveOptions: more than 2^24 collocation points");
    if (check_subdivisions < 1 || check_subdivisions > 1024) {
      throw std::invalid_argument("SolveOptions: check_subdivisions must lie in [1, 1024]");
    }
    if (rule != CollocationRule::equally_spaced && rule != CollocationRule::chebyshev_lobatto) {
      throw std::invalid_argument("SolveOptions: rule is not a CollocationRule value");
    }
    if (initial_weights.size() != 0) {
      if (initial_weights.size() != 3 * hidden_units) {
        throw std::invalid_argument("SolveOptions: initial_weights must hold 3 * hidden_units = " +
                                    std::to_string(3 * hidden_units) + " values, got " +
                                    std::to_string(initial_weights.size()));
      }
      if (!initial_weights.allFinite()) throw std::invalid_argument("SolveOptions: initial_weights are not all finite");
    }
    if (method != Method::lbfgs && method != Method::levenberg_marquardt && method != Method::variable_projection &&
        method != Method::quasilinearization) {
      throw std::invalid_argument("SolveOptions: method is not a Method value");
    }
    if (starts < 1) throw std::invalid_argument("SolveOptions: starts must be at least 1");
    if (threads < 1) throw std::invalid_argument("SolveOptions: threads must be at least 1");
    minimizer.check();
    least_squares.check();
    quasilinearization.check();
  }
};

/// What every trained solution records of its fit: the minimizer's report and the residual diagnostics.
template <typename Scalar>
struct FitRecord {
  /// How the minimizer ended; `report.f` is the final cost \f$I\f$.
  MinimizerReport<Scalar> report;
  /// The collocation points the cost was built on.
  Eigen::Array<Scalar, Eigen::Dynamic, 1> collocation;
  /// The largest |residual| at the collocation points (over all components for a system).
  Scalar max_residual_collocation = Scalar(0);
  /// The same maximum on the check grid between the points, which a small cost does not bound.
  Scalar max_residual_check = Scalar(0);
  /// Number of points of the check grid.
  Eigen::Index check_points = 0;
  /// The seed of the initial weights.
  std::uint64_t seed = 0;

  /// True when the minimizer met a convergence test.
  bool converged() const { return report.converged(); }
};

/// A trained trial solution with the report of its fit. `TrialForm` is `FirstOrderTrial` (the default),
/// `SecondOrderTrial` or `DirichletTrial`.
template <typename Scalar, int Hidden = Eigen::Dynamic, typename TrialForm = FirstOrderTrial<Scalar>>
class Solution : public FitRecord<Scalar> {
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

 private:
  TrialSolution<Trial, Network> solution_;
  Scalar t0_;
  Scalar t1_;
};

namespace detail {

/// The one step every `solve()` overload shares: minimizes `cost` from `weights`, which receive the best
/// weights found, with the minimizer `options.method` names. `Method::variable_projection` is for the
/// costs of scalar first- and second-order problems only (`supports_variable_projection`) and throws
/// `std::invalid_argument` otherwise, or when f is not linear (`check_linear`); `Method::quasilinearization`
/// is for the costs of systems only (`supports_quasilinearization`) and throws otherwise.
template <typename Cost, typename Parameters, typename Scalar>
MinimizerReport<Scalar> fit(Cost& cost, Parameters& weights, const SolveOptions<Scalar>& options) {
  constexpr int size = Parameters::RowsAtCompileTime;
  const auto run = [&options](auto& minimizer, auto&& objective, auto& x) {
    return options.callback ? minimizer.minimize(objective, x, options.callback) : minimizer.minimize(objective, x);
  };
  if (options.method == Method::lbfgs) {
    Lbfgs<Scalar, size> minimizer(options.minimizer);
    return run(minimizer, cost, weights);
  }
  if (options.method == Method::levenberg_marquardt) {
    using Minimizer = LevenbergMarquardt<Scalar, size>;
    Minimizer minimizer(options.least_squares);
    return run(minimizer,
               [&cost](const Parameters& p, typename Minimizer::Residuals& r, typename Minimizer::Jacobian& j) {
                 cost.residuals(p, r, j);
               },
               weights);
  }
  if (options.method == Method::quasilinearization) {
    if constexpr (supports_quasilinearization<Cost>::value) {
      SolveOptions<Scalar> first = options;
      first.method = Method::levenberg_marquardt;
      if (options.initial_weights.size() == 0) {  // steeper units, see Method
        const Eigen::Index m = 3 * cost.hidden_units();
        for (Eigen::Index k = 0; k < cost.components(); ++k) {
          weights.segment(k * m + cost.hidden_units(), 2 * cost.hidden_units()) *= options.quasilinearization.slope_factor;
        }
      }
      const MinimizerReport<Scalar> start = fit(cost, weights, first);
      if (start.status == MinimizerStatus::stopped_by_callback) return start;
      const auto always = [](const IterationInfo<Scalar>&) { return true; };
      MinimizerReport<Scalar> report =
          options.callback ? quasilinearize(cost, weights, options.quasilinearization, options.callback)
                           : quasilinearize(cost, weights, options.quasilinearization, always);
      report.iterations += start.iterations;
      report.evaluations += start.evaluations;
      report.initial_f = start.initial_f;
      report.initial_gradient_norm = start.initial_gradient_norm;
      return report;
    } else {
      throw std::invalid_argument("solve: Method::quasilinearization is for systems only");
    }
  }
  if constexpr (supports_variable_projection<Cost>::value) {
    check_linear(cost);
    VariableProjection<Cost> projection(cost);
    LevenbergMarquardt<Scalar, VariableProjection<Cost>::theta_size> minimizer(options.least_squares);
    typename VariableProjection<Cost>::Theta theta = projection.nonlinear_part(weights);
    if (options.initial_weights.size() == 0) theta *= Scalar(2);  // steeper units, see Method
    MinimizerReport<Scalar> report = run(minimizer, projection, theta);
    weights = projection.full_parameters(theta);
    // The report describes the returned weights: the full cost and its gradient there, which differ from
    // the projected ones by rounding amplified by the condition of Phi.
    Parameters gradient(weights.size());
    report.f = cost(weights, gradient);
    report.gradient_norm = gradient.norm();
    return report;
  } else {
    throw std::invalid_argument(
        "solve: Method::variable_projection is for scalar first- and second-order problems only");
  }
}

/// Runs `solve_one(options_k)` for the starts \f$k = 0, \dots,\f$ `options.starts - 1`, with seed
/// `options.seed + k` and one start each, in parallel when compiled with OpenMP, and returns the solution
/// with the smallest `max_residual_check` (NaN counts as largest; the earliest start on a tie), so that
/// the result does not depend on the number of threads. An exception of a start is rethrown, the
/// earliest start's first.
template <typename Scalar, typename SolveOne>
auto best_of_starts(const SolveOptions<Scalar>& options, SolveOne&& solve_one) {
  SolveOptions<Scalar> single = options;
  single.starts = 1;
  if (options.starts == 1) return solve_one(static_cast<const SolveOptions<Scalar>&>(single));
  using Result = decltype(solve_one(static_cast<const SolveOptions<Scalar>&>(single)));
  std::vector<std::optional<Result>> results(static_cast<std::size_t>(options.starts));
  std::vector<std::exception_ptr> errors(results.size());
  const int starts = options.starts;
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic, 1) num_threads(options.threads)
#endif
  for (int k = 0; k < starts; ++k) {
    const auto index = static_cast<std::size_t>(k);
    try {
      SolveOptions<Scalar> mine = single;
      mine.seed = options.seed + static_cast<std::uint64_t>(k);
      if (k > 0) mine.initial_weights.resize(0);
      results[index].emplace(solve_one(static_cast<const SolveOptions<Scalar>&>(mine)));
    } catch (...) {
      errors[index] = std::current_exception();
    }
  }
  for (const std::exception_ptr& error : errors) {
    if (error) std::rethrow_exception(error);
  }
  std::size_t best = 0;
  for (std::size_t k = 1; k < results.size(); ++k) {
    const Scalar candidate = results[k]->max_residual_check;
    const Scalar incumbent = results[best]->max_residual_check;
    using std::isnan;
    if (isnan(incumbent) ? !isnan(candidate) : candidate < incumbent) best = k;
  }
  return std::move(*results[best]);
}

/// The collocation points of `options` on \f$[t_0, t_1]\f$: the user's, or `points` by `rule`.
template <typename Scalar>
Eigen::Array<Scalar, Eigen::Dynamic, 1> collocation_from(const SolveOptions<Scalar>& options, Scalar t0, Scalar t1) {
  return options.collocation.size() > 0 ? options.collocation
                                        : collocation_points(t0, t1, options.points, options.rule);
}

}  // namespace detail

/// Solves \f$y' = f(t, y)\f$, \f$y(t_0) = y_0\f$ on \f$[t_0, t_1]\f$ with the trial solution
/// \f$y = y_0 + (t - t_0) N(t)\f$, minimizing the collocation cost with `options.method` (L-BFGS by
/// default), from `options.starts` seeds. `Hidden` fixes the number of units at compile time (it must
/// then equal `options.hidden_units`).
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
  return detail::best_of_starts(options, [&problem](const SolveOptions<Scalar>& start) {
    Eigen::Array<Scalar, Eigen::Dynamic, 1> points = detail::collocation_from(start, problem.t0, problem.t1);
    FirstOrderCost<Problem, Hidden> cost(problem, start.hidden_units, points);

    typename Network::Parameters weights = detail::starting_weights<Network>(
        start.hidden_units, start.seed, problem.t0, problem.t1, start.initial_weights);
    MinimizerReport<Scalar> report = detail::fit(cost, weights, start);
    Network network(start.hidden_units, weights);

    Solution<Scalar, Hidden> solution(cost.trial(), network, problem.t0, problem.t1);
    solution.report = std::move(report);
    solution.collocation = std::move(points);
    solution.seed = start.seed;
    solution.max_residual_collocation = max_abs_residual(problem, solution, solution.collocation);
    const auto grid = check_grid(solution.collocation, problem.t0, problem.t1, start.check_subdivisions);
    solution.check_points = grid.size();
    solution.max_residual_check = max_abs_residual(problem, solution, grid);
    return solution;
  });
}

}  // namespace trialode
