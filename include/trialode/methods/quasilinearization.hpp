// SPDX-License-Identifier: MIT
// Quasilinearization (Newton-Kantorovich in function space) for nonlinear systems: f is linearized about
// the current trial solution, the linear problem is fitted by variable projection, and the fit repeated.
#pragma once

#include <Eigen/Core>

#include <cmath>
#include <cstddef>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "../approximation/detail/unit_kernel.hpp"
#include "../approximation/weights.hpp"
#include "../costs/system_cost.hpp"
#include "../minimizers/levenberg_marquardt.hpp"
#include "../minimizers/report.hpp"
#include "variable_projection.hpp"

namespace trialode {

/// Parameters of the quasilinearization of `Method::quasilinearization`.
template <typename Scalar>
struct QuasilinearizationParameters {
  /// Most linearizations (fits of a linearized problem); default 10. At least 1.
  int max_linearizations = 10;
  /// Stop when this many linearizations in a row did not halve the best full cost so far (the best
  /// weights are kept whatever the gain); default 3. At least 1.
  int patience = 3;
  /// From the seeded initialisation, \f$w\f$ and \f$u\f$ are multiplied by this before the first fit
  /// (the same centres, steeper units, as for variable projection); default 2. Positive and finite.
  Scalar slope_factor = Scalar(2);
  /// Levenberg-Marquardt for the projected fits of the linearized problems; default
  /// `LevenbergMarquardtParameters`' own with `DampingScaling::jacobian_columns` (in a prototype with
  /// \f$D = I\f$, a quarter of 20 seeds of the paper's problem 4 stalled near \f$10^{-6}\f$).
  LevenbergMarquardtParameters<Scalar> projected = [] {
    LevenbergMarquardtParameters<Scalar> p;
    p.scaling = DampingScaling::jacobian_columns;
    return p;
  }();

  /// Throws `std::invalid_argument` naming the first field out of range.
  void check() const {
    if (max_linearizations < 1) {
      throw std::invalid_argument("QuasilinearizationParameters::max_linearizations must be at least 1");
    }
    if (patience < 1) throw std::invalid_argument("QuasilinearizationParameters::patience must be at least 1");
    if (!(slope_factor > Scalar(0) && slope_factor < std::numeric_limits<Scalar>::infinity())) {
      throw std::invalid_argument("QuasilinearizationParameters::slope_factor must be positive and finite");
    }
    projected.check();
  }
};

namespace detail {

/// The system \f$y' = f(t, y)\f$ linearized about a trial solution \f$\bar y\f$ (Bellman & Kalaba 1965,
/// "Quasilinearization and nonlinear boundary-value problems"; Kantorovich's Newton method in function
/// space):
/// \f[ y' = f(t, \bar y(t)) + A(t)\,(y - \bar y(t)), \qquad A(t) = \frac{\partial f}{\partial y}(t, \bar y(t)), \f]
/// with \f$\bar y_j = y_{0j} + (t - t_0) \bar N_j(t)\f$ given by the weights of its networks. It has the
/// interface of `SystemProblem`, so that `SystemCost` takes it; its collocation residual is linear in the
/// output weights \f$v\f$. Evaluating it evaluates \f$\bar y\f$ and \f$f\f$, \f$\partial f/\partial y\f$
/// at \f$(t, \bar y(t))\f$; after construction nothing is allocated (beyond what `f` itself allocates).
/// It refers to `base`, which must outlive it. Its workspace is mutable: like a cost, one object must
/// not be used from two threads at once.
template <typename Problem, int Hidden = Eigen::Dynamic>
class LinearizedSystem {
 public:
  using scalar_type = typename Problem::scalar_type;
  using Scalar = scalar_type;
  /// The order of the equation, as the base problem's.
  static constexpr int order = 1;
  static constexpr int components_at_compile_time = Problem::components_at_compile_time;
  using Vector = typename Problem::Vector;
  using Matrix = typename Problem::Matrix;
  using Parameters = typename SystemCost<Problem, Hidden>::Parameters;

  Scalar t0;  ///< initial time, as the base problem's
  Scalar t1;  ///< end of the interval
  Vector y0;  ///< \f$y(t_0)\f$

  /// Linearizes `base` about the trial solution whose \f$n\f$ networks of `hidden` units have the weights
  /// `weights` (ordered as `SystemCost`'s).
  LinearizedSystem(const Problem& base, Eigen::Index hidden, const Parameters& weights)
      : t0(base.t0), t1(base.t1), y0(base.y0), base_(&base), layout_(hidden, base.size()), weights_(weights) {
    const Eigen::Index n = base.size();
    if (weights.size() != layout_.size()) {
      throw std::invalid_argument("LinearizedSystem: weights has " + std::to_string(weights.size()) +
                                  " values, " + std::to_string(n) + " networks of hidden = " +
                                  std::to_string(hidden) + " units take 3 * hidden * n");
    }
    kernels_.assign(static_cast<std::size_t>(n), UnitKernel<Scalar, Hidden, 1>(hidden));
    y_bar_.resize(n);
    f_bar_.resize(n);
    difference_.resize(n);
    a_.resize(n, n);
  }

  Eigen::Index size() const { return y0.size(); }
  /// The base problem was checked; nothing more to check.
  void check() const {}

  /// The linearized right-hand side into `value` and \f$A(t)\f$ into `df`.
  void partials(Scalar t, const Vector& y, Vector& value, Matrix& df) const {
    expand(t);
    difference_ = y - y_bar_;
    value = f_bar_;
    value.noalias() += a_ * difference_;
    df = a_;
  }
  /// The linearized right-hand side alone.
  Vector value(Scalar t, const Vector& y) const {
    Vector out(y.size());
    Matrix df(y.size(), y.size());
    partials(t, y, out, df);
    return out;
  }

 private:
  /// \f$\bar y(t)\f$, \f$f(t, \bar y)\f$ and \f$A(t)\f$ into the workspace.
  void expand(Scalar t) const {
    for (Eigen::Index k = 0; k < size(); ++k) {
      const NetworkValues<Scalar> net = kernels_[static_cast<std::size_t>(k)].evaluate(layout_.network(weights_, k), t);
      y_bar_[k] = y0[k] + (t - t0) * net.n;
    }
    base_->partials(t, y_bar_, f_bar_, a_);
  }

  const Problem* base_;
  WeightLayout layout_;  ///< the weights of the networks of \f$\bar y\f$
  Parameters weights_;
  mutable std::vector<UnitKernel<Scalar, Hidden, 1>> kernels_;
  mutable Vector y_bar_, f_bar_, difference_;
  mutable Matrix a_;
};

/// True for the costs `quasilinearize` takes: those of systems.
template <typename Cost>
struct supports_quasilinearization : std::false_type {};
template <typename Problem, int Hidden>
struct supports_quasilinearization<SystemCost<Problem, Hidden>> : std::true_type {};

/// Quasilinearization with variable projection for the collocation cost of a nonlinear system, from
/// `weights` (a fit that is already close, such as Levenberg-Marquardt's), which receive the best weights
/// found. Linearization \f$k\f$ builds `LinearizedSystem` about the current trial solution \f$y_k\f$,
/// \f[ r^{(k)}_{ij}(p) = y_j'(t_i) - f_j(t_i, y_k) - \sum_l A_{jl}(t_i)\,(y_l(t_i) - y_{k,l}(t_i)), \f]
/// which is linear in the output weights \f$v\f$ of all networks, and fits it by `VariableProjection`
/// (\f$v\f$ exact by linear least squares, Levenberg-Marquardt on every network's \f$(w, u)\f$ from the
/// current ones); the result is \f$y_{k+1}\f$. A fixed point is a stationary point of the full cost
/// \f$\|r\|^2\f$: there \f$r^{(k)} = r\f$ and \f$\partial r^{(k)}/\partial p = \partial r/\partial p\f$.
/// Near the solution this converges like Newton's method while every linear fit enjoys variable
/// projection's accuracy, which Levenberg-Marquardt on all \f$3nH\f$ weights of the nonlinear cost does
/// not reach (on the paper's problem 4 it creeps along a narrow valley at errors near \f$10^{-3}\f$).
///
/// (Newton-like convergence needs the fit's residual near zero; otherwise it is linear.)
///
/// The full cost is evaluated after every linearization and the best weights kept. When `patience`
/// linearizations in a row did not halve the best cost, the run stops with
/// - `converged_decrease` if it settled: each of those costs stayed within twice the best and the last
///   projected fit met one of its own convergence tests;
/// - `iteration_limit` if they stayed within twice the best but the last projected fit stopped at one of
///   its limits (raise `projected.max_iterations`);
/// - `diverged` if one of them rose above twice the best, or a fit gave NaN or infinite
///   weights or cost (the linearizations do not settle about the best weights, which are kept).
/// It stops with `iteration_limit` after `max_linearizations`, with `stopped_by_callback` if `callback`
/// returns false, and with `non_finite` if the full cost is not finite at the returned weights.
/// `callback` is called as for `LevenbergMarquardt`, in every projected fit: it sees the linearized
/// problem's projected cost, and its iteration count starts again with every fit. The report's `f` and
/// `gradient_norm` are the full cost's at the returned weights, its counts the sums over the projected
/// fits. Each linearization allocates its cost and projection once; their iterations allocate nothing.
/// Throws `std::invalid_argument` if `weights` does not hold the cost's `parameter_count()` values.
template <typename Problem, int Hidden, typename Parameters>
MinimizerReport<typename Problem::scalar_type> quasilinearize(
    SystemCost<Problem, Hidden>& cost, Parameters& weights,
    const QuasilinearizationParameters<typename Problem::scalar_type>& parameters,
    const IterationCallback<typename Problem::scalar_type>& callback) {
  using Scalar = typename Problem::scalar_type;
  using Linear = LinearizedSystem<Problem, Hidden>;
  using LinearCost = SystemCost<Linear, Hidden>;
  using Projection = VariableProjection<LinearCost>;
  using std::isfinite;
  parameters.check();
  if (weights.size() != cost.parameter_count()) {
    throw std::invalid_argument("quasilinearize: weights has " + std::to_string(weights.size()) +
                                " values, the cost takes " + std::to_string(cost.parameter_count()));
  }
  MinimizerReport<Scalar> report;
  Parameters gradient(weights.size());
  Scalar best = cost(weights, gradient);
  report.initial_f = best;
  report.initial_gradient_norm = gradient.norm();
  if (!isfinite(best)) best = std::numeric_limits<Scalar>::infinity();
  Parameters current = weights;
  LevenbergMarquardt<Scalar, Projection::theta_size> minimizer(parameters.projected);
  MinimizerStatus status = MinimizerStatus::iteration_limit;
  int without_progress = 0;
  bool rose = false;  // a linearization since the last progress gave more than twice the best cost
  for (int k = 0; k < parameters.max_linearizations; ++k) {
    Projection projection(LinearCost(Linear(cost.problem(), cost.hidden_units(), current), cost.hidden_units(),
                                     cost.points()));
    typename Projection::Theta theta = projection.nonlinear_part(current);
    const MinimizerReport<Scalar> fit = minimizer.minimize(projection, theta, callback);
    report.iterations += fit.iterations;
    report.evaluations += fit.evaluations;
    current = projection.full_parameters(theta);
    const Scalar f = current.allFinite() ? cost.value(current) : std::numeric_limits<Scalar>::quiet_NaN();
    // Progress is halving the best cost; smaller gains are rounding noise at the end of the run.
    if (isfinite(f) && f <= best / Scalar(2)) {
      without_progress = 0;
      rose = false;
    } else {
      ++without_progress;
      rose = rose || !(f <= Scalar(2) * best);
    }
    if (isfinite(f) && f < best) {
      best = f;
      weights = current;
    }
    if (fit.status == MinimizerStatus::stopped_by_callback) {
      status = MinimizerStatus::stopped_by_callback;
      break;
    }
    if (!isfinite(f)) {  // linearizing about NaN weights cannot go on; the best ones are kept
      status = MinimizerStatus::diverged;
      break;
    }
    if (without_progress >= parameters.patience) {
      status = rose ? MinimizerStatus::diverged
                    : fit.converged() || fit.status == MinimizerStatus::stalled
                          ? MinimizerStatus::converged_decrease  // a fit from the last optimum that finds nothing lower
                          : MinimizerStatus::iteration_limit;
      break;
    }
  }
  report.f = cost(weights, gradient);
  report.gradient_norm = gradient.norm();
  if (!isfinite(report.f) || !isfinite(report.gradient_norm)) status = MinimizerStatus::non_finite;
  report.status = status;
  const std::string streak = std::to_string(parameters.patience) + " linearizations in a row did not halve the cost";
  switch (status) {
    case MinimizerStatus::converged_decrease:
      report.message = "Converged: " + streak + ", and the last projected fit converged (or found nothing lower than its start).";
      break;
    case MinimizerStatus::iteration_limit:
      report.message = without_progress >= parameters.patience
                           ? "Stopped: " + streak + ", but the last projected fit stopped at its limit."
                           : "Stopped at the linearization limit (" +
                                 std::to_string(parameters.max_linearizations) + ").";
      break;
    case MinimizerStatus::diverged:
      report.message = "Stopped: the linearizations did not settle (a fit gave more than twice the best cost, "
                       "or NaN); the best weights are kept.";
      break;
    case MinimizerStatus::stopped_by_callback: report.message = "Stopped by the iteration callback."; break;
    default: report.message = "Stopped: the full cost or its gradient is NaN or infinite at the best weights."; break;
  }
  return report;
}

}  // namespace detail

}  // namespace trialode
