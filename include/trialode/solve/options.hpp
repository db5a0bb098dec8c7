// SPDX-License-Identifier: MIT
// Everything solve() can be told, as plain data with one enum per axis, the defaults it starts from, and the
// one check of it all, made before any work.
#pragma once

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <functional>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "../approximation/collocation.hpp"
#include "../approximation/weights.hpp"
#include "../methods/method.hpp"
#include "../methods/quasilinearization.hpp"
#include "../methods/random_features.hpp"
#include "../minimizers/lbfgs.hpp"
#include "../minimizers/levenberg_marquardt.hpp"
#include "../minimizers/report.hpp"

namespace trialode {

namespace detail {

/// The L-BFGS parameters `solve()` starts from. They differ from `LbfgsParameters`' own defaults in two
/// ways, both measured on \f$y' = -y\f$ over 100 seeds. The collocation cost has long plateaus on which
/// the gradient shrinks slowly, so the relative gradient tolerance is \f$\sqrt{\varepsilon}/4\f$
/// (\f$3.7 \cdot 10^{-9}\f$ in double) rather than \f$\varepsilon^{2/3}\f$; in float, whose gradient
/// hits its rounding floor near \f$10^{-6}\f$ of the initial one, it is \f$10^{-5}\f$. And a run may
/// take up to 20000 iterations and 40000 evaluations: the median run in double takes under 1000, but the
/// slowest of 100 seeds needs over 10000, and which seed that is changes with the last bits of rounding.
template <typename Scalar>
LbfgsParameters<Scalar> default_lbfgs_parameters() {
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
LevenbergMarquardtParameters<Scalar> default_least_squares_parameters() {
  return LevenbergMarquardtParameters<Scalar>();
}

/// The number of threads a multi-start uses by default: OpenMP's, or the hardware's, at least 1.
inline int available_threads() {
#ifdef _OPENMP
  return std::max(1, omp_get_max_threads());
#else
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
#endif
}

/// The units random features take when the user sets none: 26 for a linear f, 36 otherwise (Gauss-Newton
/// needs the steeper units of a larger draw to reach \f$10^{-11}\f$ on \f$y' = -y^2\f$; measured on seeds 1
/// to 400, see `RandomFeaturesParameters::slope_min`); 48 for a `LinearConditionProblem` (`conditions`), whose
/// hardest case of issue 11, \f$-y'' = \pi^2 \sin \pi t\f$ with \f$y(-1) = 0\f$, \f$y(-1) = y(1)\f$, had a median
/// error of \f$3 \cdot 10^{-11}\f$ with 36 units, \f$1.9 \cdot 10^{-11}\f$ with 40 and \f$6 \cdot 10^{-12}\f$ with
/// 48 (seeds 1 to 100).
inline Eigen::Index random_features_units(bool linear, bool conditions = false) {
  return conditions ? 48 : linear ? 26 : 36;
}

/// The points random features take when the user sets none: \f$1.15 H\f$, rounded (fewer lose accuracy with
/// steep units; more cost time and gain nothing, measured).
inline Eigen::Index random_features_points(Eigen::Index hidden) { return std::max<Eigen::Index>(2, (23 * hidden + 10) / 20); }

/// The points every method but random features takes when the user sets none.
constexpr Eigen::Index default_points = 41;

/// The most bytes one array of a solve may take: \f$2^{30}\f$ (1 GiB), so \f$2^{27}\f$ numbers in double,
/// \f$2^{28}\f$ in float, \f$2^{26}\f$ in long double. `SolveOptions::check` refuses sizes whose largest array
/// (the cost's Jacobian, a normal matrix, L-BFGS' memory, the check grid) would hold more. No sensible solve
/// comes near: 10000 points and 1000 units make a Jacobian of \f$3 \cdot 10^7\f$ numbers, and a
/// Levenberg-Marquardt iteration on the largest normal matrix allowed (11585 weights) takes minutes.
constexpr std::size_t largest_array_bytes = std::size_t(1) << 30;

/// `largest_array_bytes` counted in numbers of `Scalar`.
template <typename Scalar>
constexpr Eigen::Index largest_array() {
  return static_cast<Eigen::Index>(largest_array_bytes / sizeof(Scalar));
}

/// \f$a b\f$ of two non-negative sizes, or the largest `Eigen::Index` when that overflows.
inline Eigen::Index saturated_product(Eigen::Index a, Eigen::Index b) {
  if (a == 0 || b == 0) return 0;
  return a > std::numeric_limits<Eigen::Index>::max() / b ? std::numeric_limits<Eigen::Index>::max() : a * b;
}

}  // namespace detail

/// Everything `solve()` can be told. The defaults solve \f$y' = -y\f$ on \f$[0, 5]\f$ to a max error
/// near \f$10^{-5}\f$; Lagaris' original set-up is `options.hidden_units = 10; options.points = 11;` away,
/// with any method.
template <typename Scalar>
struct SolveOptions {
  /// Hidden sigmoid units \f$H\f$ of each network, which has \f$3H\f$ weights. 0 (the default) takes the
  /// method's own number: 10, or for `Method::random_features` 26 when f is linear and 36 when it is not, 48
  /// for a `LinearConditionProblem` (`solve<Hidden>` takes `Hidden`). At most \f$2^{24}\f$, and less with the points (see `check()`): the
  /// cost's Jacobian, \f$P n \times 3 H n\f$ for \f$P\f$ points and \f$n\f$ equations, may hold at most
  /// \f$2^{27}\f$ numbers in double (`detail::largest_array`), and with Levenberg-Marquardt or
  /// quasilinearization \f$3 H n\f$ at most 11585 (a normal matrix of \f$(3 H n)^2\f$), with variable
  /// projection \f$2 H\f$ at most 11585.
  Eigen::Index hidden_units = 0;
  /// Number of collocation points placed by `rule` in \f$[t_0, t_1]\f$, ends included. 0 (the default)
  /// takes the method's own number: 41, or \f$1.15 H\f$ (rounded) for `Method::random_features`. Ignored
  /// when `collocation` is not empty. At most \f$2^{24}\f$, and less with the units (see `hidden_units`) and
  /// the check grid (see `check_subdivisions`).
  Eigen::Index points = 0;
  /// Placement of the `points`; the default, `CollocationRule::automatic`, places them equally spaced, or
  /// by the Chebyshev-Lobatto rule for `Method::random_features`.
  CollocationRule rule = CollocationRule::automatic;
  /// User-given collocation points; when not empty they replace `points` and `rule`.
  Eigen::Array<Scalar, Eigen::Dynamic, 1> collocation;
  /// The check grid has this many steps for each gap between neighbouring collocation points (see
  /// `max_residual_check`). 0 (the default) takes the method's own: 10, or 4 for `Method::random_features`,
  /// whose solve it would otherwise double (measured on \f$y' = -y\f$ and \f$y' = -y^2\f$, seeds 1 to 100: the
  /// largest residual on 4 steps was at least 0.72 times, and in the median 0.97 to 0.99 times, the one on
  /// 100 steps; on 10 steps at least 0.78 times). At most 1024, and the grid, of at most
  /// \f$(P + 1)\f$ `check_subdivisions` \f$+ 1\f$ points for \f$P\f$ collocation points, may hold at most
  /// \f$2^{27}\f$ numbers in double (`detail::largest_array`).
  Eigen::Index check_subdivisions = 0;
  /// Seed of the deterministic initialisation of the network (default 1).
  std::uint64_t seed = 1;
  /// Optional starting weights \f$(v, w, u)\f$, \f$3H\f$ of them (\f$3Hn\f$ for a system of \f$n\f$, as
  /// `WeightLayout` places them), to continue from a previous fit: the weights of networks at the origin
  /// \f$t_0\f$, unit k being \f$s(w_k (t - t_0) + u_k)\f$, as a solution's networks hold them.
  /// Empty (the default) starts from the seeded initialisation. A unit identical to an earlier one (as
  /// every unit of an all-zero start is) would stay identical under exact gradients, so it takes the
  /// seeded initialisation's weights instead.
  Eigen::Matrix<Scalar, Eigen::Dynamic, 1> initial_weights;
  /// The minimizer (default `Method::lbfgs`).
  Method method = Method::lbfgs;
  /// Where the other methods start when `initial_weights` is empty: the seeded initialisation (default,
  /// `Start::seeded`), or `Start::random_features`, the random-features fit (its hidden layer and output
  /// weights, with the `random_features` parameters), which the method then polishes, moving every weight.
  /// The report's counts add both stages. Ignored by `Method::random_features` itself.
  Start start = Start::seeded;
  /// Parameters of the L-BFGS minimizer (default `detail::default_lbfgs_parameters<Scalar>()`). Whatever the
  /// method, `minimizer.memory` times the \f$3 H n\f$ weights and `minimizer.past` may each be at most
  /// \f$2^{27}\f$ in double (`detail::largest_array`): L-BFGS keeps that many numbers.
  LbfgsParameters<Scalar> minimizer = detail::default_lbfgs_parameters<Scalar>();
  /// Parameters of Levenberg-Marquardt, for `Method::levenberg_marquardt` and
  /// `Method::variable_projection` (default `detail::default_least_squares_parameters<Scalar>()`).
  LevenbergMarquardtParameters<Scalar> least_squares = detail::default_least_squares_parameters<Scalar>();
  /// Parameters of the second stage of `Method::quasilinearization` (default
  /// `QuasilinearizationParameters<Scalar>()`).
  QuasilinearizationParameters<Scalar> quasilinearization;
  /// Parameters of `Method::random_features` (default `RandomFeaturesParameters<Scalar>()`).
  RandomFeaturesParameters<Scalar> random_features;
  /// Number of starts (default 1): the fit runs from seeds `seed`, `seed + 1`, ..., `seed + starts - 1`
  /// (`initial_weights`, if given, serve the first start only) and the solution with the smallest
  /// `max_residual_check` is kept, the earliest start on a tie. The result does not depend on `threads`.
  /// At most \f$2^{24}\f$. Only the best solution so far and those of the running starts are held at once.
  int starts = 1;
  /// Threads for the starts when the library is compiled with OpenMP (default: all available); without
  /// OpenMP the starts run one after another. At least 1. Any larger number is accepted, and capped when the
  /// starts run: no more threads than `starts`, nor than 256 (or the hardware's threads, when more) or
  /// OpenMP's thread limit (`detail::start_threads`).
  int threads = detail::available_threads();
  /// The largest error the solution may have (default 0: none). When positive, `solve()` chooses the method
  /// (`Method::random_features`), the units and the segments itself, marching an initial value problem in
  /// time and splitting the segments where the error bound grows most, until `error_bound` is at most this,
  /// or `max_segments` is reached: the status is then `converged_tolerance` or `tolerance_not_met`, with the
  /// best solution found and its bound. A boundary value problem or one with general linear conditions is not
  /// marched: its units grow instead (to `max_hidden_units`). `method`, `hidden_units`, `points`, `rule`,
  /// `segments` and `starts` are then the loop's to choose; `collocation` and `initial_weights` must be
  /// empty. Finite, at least 0.
  Scalar tolerance = Scalar(0);
  /// Time marching of an initial value problem (first order, second order or a system) without a
  /// tolerance: the interval split into this many equal segments (default 1), each a trial solution that
  /// takes over the state (y, and y' for second order) where the one before ends, fitted with the same hidden
  /// layer drawn on its normalized time, one start each. At least 1 and at most `max_segments`; more than 1
  /// needs an initial value problem, empty `collocation` and `initial_weights`, and one start.
  int segments = 1;
  /// Most segments the tolerance loop may use (default 4096). At least 1.
  int max_segments = 4096;
  /// Most units the tolerance loop gives each network of a problem it does not march (default 96). At least 1.
  Eigen::Index max_hidden_units = 96;
  /// Optional, called after every iteration of the minimizer; return false to stop the fit. It sees the
  /// normalized fit (`solve`): its f and gradient norm are those of the cost in \f$z\f$ and \f$y/c\f$. With
  /// `starts > 1` and more than one thread it is called from several threads at once.
  IterationCallback<Scalar> callback;

  /// Throws `std::invalid_argument` naming the first bad field, or the fields whose sizes together would
  /// make an array of more than `detail::largest_array_bytes` (1 GiB), before anything is allocated.
  /// `networks` is the number of networks the problem takes (1, or \f$n\f$ for a system of \f$n\f$
  /// equations): `initial_weights`, when given, must hold \f$3Hn\f$ values, laid out as `WeightLayout` says.
  /// A size left to the method (0) counts as the least it can become: 1 unit, the method's own points
  /// (41, or for random features `detail::random_features_points` of the units) and 1 subdivision; `solve()`
  /// checks again once the method has filled them in.
  void check(Eigen::Index networks = 1) const {
    // Upper bounds far beyond any useful size, so that no size computed from them overflows.
    constexpr Eigen::Index most = Eigen::Index(1) << 24;
    if (hidden_units < 0 || hidden_units > most) {
      throw std::invalid_argument("SolveOptions: hidden_units must lie in [1, 2^24], or be 0 for the method's own");
    }
    if (collocation.size() == 0 && (points < 0 || points == 1 || points > most)) {
      throw std::invalid_argument(
          "SolveOptions: points must lie in [2, 2^24], or be 0 for the method's own (or give collocation points)");
    }
    if (collocation.size() > most) throw std::invalid_argument("SolveOptions: more than 2^24 collocation points");
    if (check_subdivisions < 0 || check_subdivisions > 1024) {
      throw std::invalid_argument("SolveOptions: check_subdivisions must lie in [1, 1024], or be 0 for the method's own");
    }
    if (rule != CollocationRule::equally_spaced && rule != CollocationRule::chebyshev_lobatto &&
        rule != CollocationRule::automatic) {
      throw std::invalid_argument("SolveOptions: rule is not a CollocationRule value");
    }
    if (networks < 1) throw std::invalid_argument("SolveOptions::check: networks must be at least 1");
    if (initial_weights.size() != 0 && hidden_units != 0) {  // with 0, solve() checks against the method's own
      const Eigen::Index expected = WeightLayout(hidden_units, networks).size();
      if (initial_weights.size() != expected) {
        throw std::invalid_argument(
            "SolveOptions: initial_weights " +
            (networks == 1 ? std::string("must hold 3 * hidden_units = ")
                           : "of a system of " + std::to_string(networks) +
                                 " equations must hold n * 3 * hidden_units = ") +
            std::to_string(expected) + " values, got " + std::to_string(initial_weights.size()));
      }
    }
    if (initial_weights.size() != 0) {
      if (!initial_weights.allFinite()) throw std::invalid_argument("SolveOptions: initial_weights are not all finite");
    }
    if (method != Method::lbfgs && method != Method::levenberg_marquardt && method != Method::variable_projection &&
        method != Method::quasilinearization && method != Method::random_features) {
      throw std::invalid_argument("SolveOptions: method is not a Method value");
    }
    if (start != Start::seeded && start != Start::random_features) {
      throw std::invalid_argument("SolveOptions: start is not a Start value");
    }
    if (starts < 1 || starts > most) throw std::invalid_argument("SolveOptions: starts must lie in [1, 2^24]");
    if (threads < 1) throw std::invalid_argument("SolveOptions: threads must be at least 1");
    using std::isfinite;
    if (!(tolerance >= Scalar(0) && isfinite(tolerance))) {
      throw std::invalid_argument("SolveOptions: tolerance must be finite and at least 0");
    }
    if (max_segments < 1 || max_segments > most) throw std::invalid_argument("SolveOptions: max_segments must lie in [1, 2^24]");
    if (max_hidden_units < 1 || max_hidden_units > most) {
      throw std::invalid_argument("SolveOptions: max_hidden_units must lie in [1, 2^24]");
    }
    if (segments < 1 || segments > max_segments) {
      throw std::invalid_argument("SolveOptions: segments must lie in [1, max_segments]");
    }
    if (segments > 1 || tolerance > Scalar(0)) {
      const char* what = segments > 1 ? "segments > 1" : "a tolerance";
      if (collocation.size() != 0) throw std::invalid_argument(std::string("SolveOptions: ") + what + " takes no collocation points");
      if (initial_weights.size() != 0) throw std::invalid_argument(std::string("SolveOptions: ") + what + " takes no initial_weights");
    }
    if (segments > 1 && starts != 1) throw std::invalid_argument("SolveOptions: segments > 1 takes one start");
    minimizer.check();
    least_squares.check();
    quasilinearization.check();
    random_features.check();
    check_array_sizes(networks);
  }

 private:
  /// Throws `std::invalid_argument` naming the fields when one array of a start would hold more than
  /// `detail::largest_array<Scalar>()` numbers: the cost's Jacobian, L-BFGS' memory and past values, the
  /// normal matrix of Levenberg-Marquardt (also inside quasilinearization and variable projection), random
  /// features' stacked matrix, and the check grid. Every size is at most \f$2^{24}\f$ here, so only the
  /// products can overflow, and they saturate.
  void check_array_sizes(Eigen::Index networks) const {
    using detail::saturated_product;
    const Eigen::Index limit = detail::largest_array<Scalar>();
    const Eigen::Index units = saturated_product(std::max<Eigen::Index>(hidden_units, 1), networks);  // H n
    const Eigen::Index weights = saturated_product(3, units);                                          // 3 H n
    const Eigen::Index point_count =
        collocation.size() > 0 ? collocation.size()
        : points > 0           ? points
        : method == Method::random_features ? detail::random_features_points(std::max<Eigen::Index>(hidden_units, 1))
                                            : detail::default_points;
    const Eigen::Index residuals = saturated_product(point_count, networks);  // P n
    const auto refuse_above = [limit](Eigen::Index count, const char* fields, const char* array) {
      if (count > limit) {
        throw std::invalid_argument(std::string("SolveOptions: ") + fields + " too large: " + array + " would hold " +
                                    (count == std::numeric_limits<Eigen::Index>::max() ? std::string("more than 2^63")
                                                                                      : std::to_string(count)) +
                                    " numbers, more than the " + std::to_string(limit) +
                                    " (1 GiB) allowed for one array");
      }
    };
    refuse_above(saturated_product(residuals, weights), "points (or collocation) and hidden_units",
                 "the cost's Jacobian, points x equations by 3 x hidden_units x equations,");
    const Eigen::Index subdivisions = std::max<Eigen::Index>(check_subdivisions, 1);
    refuse_above(saturated_product(point_count + 1, subdivisions) + 1, "points (or collocation) and check_subdivisions",
                 "the check grid, (points + 1) x check_subdivisions + 1 points,");
    refuse_above(saturated_product(minimizer.memory, weights), "minimizer.memory and hidden_units",
                 "L-BFGS' curvature pairs, minimizer.memory of 3 x hidden_units x equations each,");
    refuse_above(minimizer.past, "minimizer.past", "L-BFGS' past values of f, minimizer.past of them,");
    if (method == Method::levenberg_marquardt || method == Method::quasilinearization) {
      refuse_above(saturated_product(weights, weights), "hidden_units",
                   "Levenberg-Marquardt's normal matrix, (3 x hidden_units x equations)^2,");
    }
    if (method == Method::variable_projection) {
      refuse_above(saturated_product(saturated_product(2, units), saturated_product(2, units)), "hidden_units",
                   "the normal matrix of variable projection, (2 x hidden_units x equations)^2,");
    }
    if (method == Method::random_features || start == Start::random_features) {
      const Eigen::Index largest = std::numeric_limits<Eigen::Index>::max();
      const Eigen::Index stacked_rows = residuals > largest - units ? largest : residuals + units;
      refuse_above(saturated_product(stacked_rows, units), "points (or collocation) and hidden_units",
                   "random features' stacked matrix, (points + hidden_units) x equations by hidden_units x equations,");
    }
  }
};

namespace detail {

/// `options` with the sizes it leaves to the method filled in: `hidden_units` (`Hidden` when fixed at
/// compile time, else 10, or for random features `random_features_units(linear, conditions)`), `points` (41, or
/// `random_features_points` for random features) and `rule` (equally spaced, or Chebyshev-Lobatto for
/// random features). `linear` says whether f is linear (only random features ask), `conditions` whether the
/// problem is a `LinearConditionProblem`. Values out of range stay as they are, for `check()` to name.
template <int Hidden, typename Scalar>
SolveOptions<Scalar> with_method_defaults(const SolveOptions<Scalar>& options, bool linear = true, bool conditions = false) {
  SolveOptions<Scalar> out = options;
  const bool features = options.method == Method::random_features;
  if (out.hidden_units == 0) {
    out.hidden_units = Hidden != Eigen::Dynamic ? Hidden : (features ? random_features_units(linear, conditions) : 10);
  }
  if (out.points == 0 && out.hidden_units > 0 && out.hidden_units <= (Eigen::Index(1) << 24)) {
    out.points = features ? random_features_points(out.hidden_units) : default_points;
  }
  if (out.rule == CollocationRule::automatic) {
    out.rule = features ? CollocationRule::chebyshev_lobatto : CollocationRule::equally_spaced;
  }
  if (out.check_subdivisions == 0) out.check_subdivisions = features ? 4 : 10;
  return out;
}

}  // namespace detail


}  // namespace trialode
