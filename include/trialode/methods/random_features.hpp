// SPDX-License-Identifier: MIT
// Random features: the hidden layer stays as drawn, and only the output weights v are fitted, on which every
// trial solution depends linearly: one least-squares solve when f is linear, damped Gauss-Newton otherwise.
#pragma once

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "../approximation/weights.hpp"
#include "../minimizers/detail/iteration.hpp"
#include "../minimizers/report.hpp"
#include "detail/pivoted_qr.hpp"
#include "method.hpp"

namespace trialode {

/// Whether `Method::random_features` treats f as linear in the unknowns.
enum class Linearity {
  /// Test f at the collocation points (the test of `Method::variable_projection`, extended to systems).
  detect,
  /// The user declares f linear: one least-squares solve, no test beforehand. As after a test, the residual
  /// is checked after the solve, and a mismatch with the linear model hands over to Gauss-Newton.
  linear,
  /// Gauss-Newton from the start.
  nonlinear
};

/// Parameters of `Method::random_features`.
template <typename Scalar>
struct RandomFeaturesParameters {
  /// Unit \f$k\f$ of the drawn hidden layer is \f$s(W_k z + B_k)\f$ on the normalized time
  /// \f$z = (t - t_0)/(t_1 - t_0)\f$ (`SigmoidNetwork::draw_features`): \f$|W_k|\f$ stratified on a
  /// logarithmic scale over [`slope_min`, `slope_max`] with a random sign, \f$B_k\f$ on a Latin hypercube over
  /// [-`bias_range`, `bias_range`]. Defaults 1, 0 (which means \f$0.9 H\f$) and 4.5, measured on seeds 1 to
  /// 400 of \f$y' = -y\f$, Lagaris' problems 1 to 3, \f$y' = -y^2\f$ and \f$y'' = 1.5 y^2\f$: gentle units
  /// serve smooth solutions and steep ones fast transients, and the steepest slope that serves
  /// \f$y' = -y^2\f$ grows with the units. The ranges matter by orders of magnitude: uniform draws of
  /// \f$W\f$ and \f$B\f$ from \f$[-1, 1]\f$ reached \f$3 \cdot 10^{-8}\f$ on \f$y' = -y\f$ with 20 units,
  /// from \f$[-10, 10]\f$ \f$3 \cdot 10^{-12}\f$, from \f$[-40, 40]\f$ \f$10^{-4}\f$.
  Scalar slope_min = Scalar(1);
  /// See `slope_min`; 0 (the default) means \f$0.9 H\f$ (at least `slope_min`).
  Scalar slope_max = Scalar(0);
  /// See `slope_min`; default 4.5.
  Scalar bias_range = Scalar(4.5);
  /// How linearity is known; default `Linearity::detect`.
  Linearity linearity = Linearity::detect;
  /// A column of \f$\Phi\f$ whose pivot in the column-pivoting QR factorization falls to this times the
  /// largest pivot is left out, its output weight 0; default 0, which means \f$\varepsilon \min(m, n)\f$ for
  /// \f$m\f$ residuals and \f$n\f$ units (as Eigen's `ColPivHouseholderQR`). In \f$[0, 1)\f$.
  Scalar rank_tolerance = Scalar(0);
  /// Most accepted Gauss-Newton steps for a nonlinear f; default 50. At least 1.
  int max_iterations = 50;
  /// Stop when an accepted step lowered the sum of squares by less than this fraction of it, or a rejected
  /// undamped one was predicted to by the linear model: the residual has stagnated (Gauss-Newton converges quadratically where it converges, then wanders in the near
  /// null space of \f$\Phi\f$); default \f$10^{-3}\f$. In \f$[0, 1)\f$.
  Scalar stagnation = Scalar(1e-3);
  /// Stagnation counts as convergence only when \f$\|\Phi^T r\| \le\f$ this \f$\cdot \|\Phi\|_F \|r\|\f$,
  /// the residual orthogonal to the features as at a minimum over the output weights, or when \f$\|r\|\f$
  /// fell to \f$\sqrt\varepsilon\f$ of its start; otherwise the fit has stalled
  /// (`MinimizerStatus::stalled`). Default \f$10^{-4}\f$. In \f$[0, 1]\f$.
  Scalar optimality = Scalar(1e-4);
  /// Stop after this many trial steps in a row that did not lower the sum of squares, the damping doubling its
  /// growth after each (Nielsen), default 10. At least 1.
  int patience = 10;
  /// The damping \f$\lambda\f$ a failed Gauss-Newton step switches on, relative to the squared column
  /// norms of \f$\Phi\f$ (Marquardt's scaling); it then grows and shrinks by Nielsen's rule, and returns to
  /// 0 (plain Gauss-Newton) when it falls below \f$\varepsilon\f$. Default \f$10^{-4}\f$; positive and finite.
  Scalar initial_damping = Scalar(1e-4);

  /// Throws `std::invalid_argument` naming the first field out of range.
  void check() const {
    const Scalar infinity = std::numeric_limits<Scalar>::infinity();
    if (!(slope_min > Scalar(0) && slope_min < infinity)) {
      throw std::invalid_argument("RandomFeaturesParameters::slope_min must be positive and finite");
    }
    if (!(slope_max == Scalar(0) || (slope_max >= slope_min && slope_max < infinity))) {
      throw std::invalid_argument("RandomFeaturesParameters::slope_max must be 0 or finite and at least slope_min");
    }
    if (!(bias_range >= Scalar(0) && bias_range < infinity)) {
      throw std::invalid_argument("RandomFeaturesParameters::bias_range must be finite and non-negative");
    }
    if (linearity != Linearity::detect && linearity != Linearity::linear && linearity != Linearity::nonlinear) {
      throw std::invalid_argument("RandomFeaturesParameters::linearity is not a Linearity value");
    }
    if (!(rank_tolerance >= Scalar(0) && rank_tolerance < Scalar(1))) {
      throw std::invalid_argument("RandomFeaturesParameters::rank_tolerance must lie in [0, 1)");
    }
    if (max_iterations < 1) throw std::invalid_argument("RandomFeaturesParameters::max_iterations must be at least 1");
    if (!(stagnation >= Scalar(0) && stagnation < Scalar(1))) {
      throw std::invalid_argument("RandomFeaturesParameters::stagnation must lie in [0, 1)");
    }
    if (patience < 1) throw std::invalid_argument("RandomFeaturesParameters::patience must be at least 1");
    if (!(optimality >= Scalar(0) && optimality <= Scalar(1))) {
      throw std::invalid_argument("RandomFeaturesParameters::optimality must lie in [0, 1]");
    }
    if (!(initial_damping > Scalar(0) && initial_damping < infinity)) {
      throw std::invalid_argument("RandomFeaturesParameters::initial_damping must be positive and finite");
    }
  }

  /// The steepest slope for \f$H\f$ units: `slope_max`, or \f$0.9 H\f$ when it is 0 (at least `slope_min`).
  Scalar steepest(Eigen::Index hidden) const {
    return slope_max > Scalar(0) ? slope_max : std::max(slope_min, Scalar(0.9) * static_cast<Scalar>(hidden));
  }
};

namespace detail {

/// A factorization of a feature matrix \f$\Phi\f$ kept from one random-features fit to the next, for fits whose
/// \f$\Phi\f$ repeats: time marching on segments of one length, with the same hidden layer on each segment's
/// normalized time, for an f linear in y with constant coefficients (\f$y'' + y = 0\f$ on 500 segments of
/// [0, 1000] factors 6 times). A fit whose \f$\Phi\f$ differs from the one kept by \f$\|\Phi - \Phi_0\|_F \le
/// 8 \varepsilon \|\Phi\|_F\f$ or less, rounding in the segment's length or in the normalization, solves with
/// it: the kept factorization is an exact one of a matrix within the backward error that factoring
/// \f$\Phi\f$ itself makes in the worst case (a modest multiple of \f$\varepsilon \|\Phi\|_F\f$ for
/// Householder QR; Higham 2002, chapter 19), and the fit refines the solution once against \f$\Phi\f$ itself,
/// which removes the difference the large output weights of ill-conditioned features would otherwise carry into
/// the residual. A Gauss-Newton fit of a nonlinear f reuses its own factorization too, once its steps no longer
/// change \f$\Phi\f$. Another \f$\Phi\f$, or another rank tolerance, is factored and kept in its place.
/// Whatever the solve, the error bound is computed afterwards from the residual of the solution.
template <typename Scalar>
class FeatureFactorization {
 public:
  using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;

  /// Solves with the factorization of `phi`: the one kept when it holds for `phi` (returns true), else a new
  /// one, factored with the rank tolerance `threshold` (as `PivotedQr::factor`) and kept (returns false).
  bool prepare(const Matrix& phi, Scalar threshold) {
    if (holds(phi, threshold)) return true;
    if (phi_.rows() != phi.rows() || phi_.cols() != phi.cols()) qr_.resize(phi.rows(), phi.cols());
    phi_ = phi;
    threshold_ = threshold;
    qr_.factor(phi_, threshold);
    return false;
  }

  /// The factorization `prepare` chose.
  const PivotedQr<Scalar>& qr() const { return qr_; }

 private:
  /// True when a factorization is kept with the rank tolerance `threshold`, of a matrix of the shape of `phi`
  /// within \f$8 \varepsilon \|\Phi\|_F\f$ of it (never when an entry of either is not finite, or
  /// \f$\|\Phi\|_F\f$ overflows). The norms are scaled (`stableNorm`): tiny entries, whose squares
  /// underflow, still count.
  bool holds(const Matrix& phi, Scalar threshold) const {
    using std::isfinite;
    if (phi_.size() == 0 || phi_.rows() != phi.rows() || phi_.cols() != phi.cols() || threshold != threshold_) {
      return false;
    }
    // (A scaled norm may pass over a NaN among zeros: the entries are checked first.)
    if (!phi_.allFinite() || !phi.allFinite()) return false;
    const Scalar allowed = Scalar(8) * std::numeric_limits<Scalar>::epsilon() * phi.stableNorm();
    return isfinite(allowed) && (phi - phi_).stableNorm() <= allowed;
  }

  Matrix phi_;            ///< the matrix factored (empty: none yet)
  Scalar threshold_{0};   ///< the rank tolerance it was factored with
  PivotedQr<Scalar> qr_;  ///< its factorization
};

/// The fit of the output weights \f$v\f$ of a cost's networks with their input weights and biases fixed.
/// The residuals \f$r(v)\f$ at the collocation points have the Jacobian \f$\Phi(v) = \partial r/\partial v\f$
/// (the cost's `output_residuals`, with one exponential per point and unit);
/// when f is linear, \f$r(v) = \Phi v - c\f$ with \f$\Phi\f$ fixed, and the fit is the least-squares solution
/// of \f$\Phi \delta = -r(v_0)\f$ from any \f$v_0\f$.
///
/// Every step solves \f$\min_\delta \|\Phi \delta + r\|^2 + \lambda \|D \delta\|^2\f$ by a column-pivoting
/// Householder QR factorization (Businger & Golub 1965), of \f$\Phi\f$ alone when \f$\lambda = 0\f$ and of
/// \f$\Phi\f$ stacked on \f$\sqrt\lambda D\f$ otherwise, never by the normal equations, whose condition is the
/// square of \f$\Phi\f$'s (\f$10^{20}\f$ and more for sigmoid features). Columns whose pivot falls below the
/// rank tolerance are left out (their \f$\delta_k = 0\f$), which handles rank deficiency. \f$D\f$ holds
/// the largest column norms of \f$\Phi\f$ seen (Marquardt 1963; More 1978).
///
/// A linear f takes one step with \f$\lambda = 0\f$ (`converged_linear`), after which the cost computes the
/// residual at the result and compares it with the linear model's, to rounding: a mismatch (f was not
/// linear after all, whether tested at a few values of y or declared) goes on as for a nonlinear f. A
/// nonlinear f takes Gauss-Newton steps (\f$\lambda = 0\f$); a step that does not lower the sum of squares is rejected and
/// damping switched on, after which \f$\lambda\f$ follows Nielsen's rule (Nielsen 1999) and returns to 0
/// when a step's gain ratio exceeds 3/4 (the model is good again) or \f$\lambda\f$ is negligible. The fit
/// stops when the residual stagnates: an accepted step gains less than `stagnation` of the sum of squares, an
/// undamped rejected one was predicted by the linear model to gain less than that, a rejected one changed the
/// residual by less than that, or `patience` trial steps in a row gain nothing. Stagnation is convergence
/// (`converged_decrease`) only at a minimum over the output weights (`RandomFeaturesParameters::optimality`)
/// or after the residual fell to \f$\sqrt\varepsilon\f$ of its start; otherwise `stalled`. The fit does not
/// stop on the size of the step: Gauss-Newton converges quadratically and then drifts along the near null
/// space of \f$\Phi\f$ without lowering the residual.
///
/// The workspace is sized at construction for the cost's points and units, and that of the Gauss-Newton
/// loop at the start of a nonlinear fit (or before the loop when a declared linearity failed); nothing is
/// allocated after that (the cost's own evaluations included). Not for use from two threads at once.
/// The two evaluations of a cost that random features need, at all the weights (v, w, u of every network, as
/// `WeightLayout` places them): the residuals with their derivatives by the output weights (a column per
/// unit), and the residuals alone. `RandomFeatures` knows the cost only through them, so that it is compiled
/// once per scalar type rather than once per problem.
template <typename Scalar>
struct FeatureEvaluations {
  using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
  using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
  std::function<void(const Vector& weights, Vector& r, Matrix& phi)> output_residuals;
  std::function<void(const Vector& weights, Vector& r)> residuals;
};

/// The evaluations of `cost` (its `output_residuals` and `residuals`), through `buffer`, a vector of the
/// cost's `Parameters` type sized for its weights, into which the weights are copied. Both must outlive the
/// result. The callables hold two references: storing them allocates nothing.
template <typename Cost>
FeatureEvaluations<typename Cost::Scalar> feature_evaluations(Cost& cost, typename Cost::Parameters& buffer) {
  using Scalar = typename Cost::Scalar;
  using Vector = typename FeatureEvaluations<Scalar>::Vector;
  using Matrix = typename FeatureEvaluations<Scalar>::Matrix;
  return {[&cost, &buffer](const Vector& weights, Vector& r, Matrix& phi) {
            buffer = weights;
            cost.output_residuals(buffer, r, phi);
          },
          [&cost, &buffer](const Vector& weights, Vector& r) {
            buffer = weights;
            cost.residuals(buffer, r);
          }};
}

template <typename Scalar>
class RandomFeatures {
 public:
  using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
  using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
  /// All the weights (v, w, u of every network).
  using Parameters = Vector;

  /// A fit for weights laid out as `layout` says and `residuals` residuals, through `evaluations`; sizes
  /// the workspace. `kept`, when given, keeps the factorization of \f$\Phi\f$ from fit to fit
  /// (`FeatureFactorization`); it must outlive the fits.
  RandomFeatures(const WeightLayout& layout, Eigen::Index residuals, FeatureEvaluations<Scalar> evaluations,
                 const RandomFeaturesParameters<Scalar>& parameters, FeatureFactorization<Scalar>* kept = nullptr)
      : evaluations_(std::move(evaluations)),
        kept_(kept),
        parameters_(parameters),
        layout_(layout),
        m_(residuals),
        n_(layout.units()),
        phi_(m_, n_),
        phi_trial_(m_, n_),
        r_(m_),
        r_trial_(m_),
        model_(m_),
        rhs_(m_ + n_),
        delta_(n_),
        correction_(n_),
        scale_(n_),
        trial_(layout_.size()),
        gradient_(n_) {
    parameters_.check();
    if (kept_ == nullptr) qr_.resize(m_, n_);
  }

  /// Fits the output weights of `weights` (their input weights and biases stay), from the output weights
  /// they hold, and returns the report: `f` is the sum of squares of the residuals, `gradient_norm`
  /// \f$\|2 \Phi^T r\|\f$, the gradient by the output weights. `linear` says that f is linear in the
  /// unknowns (tested or declared): one least-squares solve, whose residual the cost then computes and compares
  /// with the linear model's. `callback`, when not empty, is called after every accepted step.
  MinimizerReport<Scalar> fit(Parameters& weights, bool linear, const IterationCallback<Scalar>& callback = {}) {
    using std::isfinite;
    using std::sqrt;
    const RandomFeaturesParameters<Scalar>& p = parameters_;
    const int most_evaluations = p.max_iterations * (p.patience + 1) + 2;
    MinimizerReport<Scalar> report;
    features_ = FeatureReport<Scalar>{};
    features_.columns = n_;
    if (!linear) size_loop();
    evaluate(weights, r_, phi_);
    report.evaluations = 1;
    // Norms, not sums of squares, for every decision: they neither overflow nor underflow at any scale of y.
    Scalar norm = r_.stableNorm();
    const Scalar initial_norm = norm;
    Scalar gradient_norm = gradient(r_);
    report.initial_f = norm * norm;
    report.initial_gradient_norm = gradient_norm;
    if (!isfinite(norm) || !isfinite(gradient_norm) || !all_finite(phi_)) {
      finish_report(report, MinimizerStatus::non_finite, norm * norm, gradient_norm, p.max_iterations, most_evaluations,
                    "Stopped: the residuals or their derivatives by the output weights are not finite at the start.");
      return report;
    }
    scale_ = phi_.colwise().stableNorm().transpose();
    if (!(scale_.maxCoeff() > Scalar(0))) {  // every column zero: nothing can be fitted
      features_.condition = std::numeric_limits<Scalar>::infinity();
      finish_report(report, MinimizerStatus::rank_deficient, norm * norm, gradient_norm, p.max_iterations,
                    most_evaluations, message(MinimizerStatus::rank_deficient));
      return report;
    }
    scale_ = scale_.cwiseMax(std::numeric_limits<Scalar>::min());
    if (gradient_.cwiseAbs().maxCoeff() == Scalar(0)) {  // already a minimum over the output weights (r = 0)
      finish_report(report, MinimizerStatus::converged_gradient, norm * norm, gradient_norm, p.max_iterations,
                    most_evaluations, "");
      return report;
    }

    if (linear) {
      if (step(Scalar(0)) == 0) {
        finish_report(report, MinimizerStatus::rank_deficient, norm * norm, gradient_norm, p.max_iterations,
                      most_evaluations, message(MinimizerStatus::rank_deficient));
        return report;
      }
      model_ = r_;
      model_.noalias() += phi_ * delta_;
      trial_ = weights;
      add_step(trial_);
      // The residual the cost computes at the result against the linear model's: equal to rounding for a
      // linear f (a few units in the last place of the terms, |r0| and |Phi| |delta|). Linearity tested at
      // a few values of y is not proved, and a declared one may be wrong: either way, the cost decides.
      evaluations_.residuals(trial_, r_trial_);
      ++report.evaluations;
      const Scalar actual = r_trial_.stableNorm();
      const Scalar rounding = Scalar(100) * epsilon() * (norm + phi_.norm() * delta_.stableNorm());
      if (isfinite(actual) && (r_trial_ - model_).stableNorm() <= rounding) {
        weights.swap(trial_);
        r_.swap(r_trial_);  // Phi does not depend on v for a linear f
        report.iterations = 1;
        gradient_norm = gradient(r_);
        MinimizerStatus status = MinimizerStatus::converged_linear;
        go_on(callback, report, actual * actual, gradient_norm, delta_.norm(), status);
        finish_report(report, status, actual * actual, gradient_norm, p.max_iterations, most_evaluations, message(status));
        return report;
      }
      // Not linear after all: Gauss-Newton from the better of the two points.
      if (isfinite(actual) && actual < norm) {
        weights.swap(trial_);
        evaluate(weights, r_, phi_);
        ++report.evaluations;
        norm = r_.stableNorm();
        gradient_norm = gradient(r_);
      }
    }

    size_loop();  // (sized at the start for a nonlinear f; here only when the linear model failed)
    MinimizerStatus status = MinimizerStatus::iteration_limit;
    Scalar damping(0);
    Scalar growth(2);
    int fruitless = 0;  // trial steps in a row that did not lower the residual
    bool last_non_finite = false;
    bool stagnated = false;
    while (true) {
      if (report.iterations >= p.max_iterations) {
        status = MinimizerStatus::iteration_limit;
        break;
      }
      if (damping > Scalar(1) / epsilon()) {
        status = last_non_finite ? MinimizerStatus::non_finite : MinimizerStatus::damping_limit;
        break;
      }
      if (step(damping) == 0) {
        status = MinimizerStatus::rank_deficient;
        break;
      }
      // The linear model's share of the residual that the step removes, and what it leaves.
      model_ = r_;
      model_.noalias() += phi_ * delta_;
      const Scalar model_ratio = model_.stableNorm() / norm;
      const Scalar predicted = (Scalar(1) - model_ratio) * (Scalar(1) + model_ratio);  // relative to |r|^2
      trial_ = weights;
      add_step(trial_);
      evaluate(trial_, r_trial_, phi_trial_);
      ++report.evaluations;
      const Scalar norm_trial = r_trial_.stableNorm();
      last_non_finite = !isfinite(norm_trial) || !all_finite(phi_trial_);
      if (!last_non_finite && norm_trial < norm) {
        const Scalar ratio = norm_trial / norm;
        const Scalar gain = (Scalar(1) - ratio) * (Scalar(1) + ratio);  // relative to |r|^2
        weights.swap(trial_);
        r_.swap(r_trial_);
        phi_.swap(phi_trial_);
        scale_ = scale_.cwiseMax(phi_.colwise().stableNorm().transpose());
        norm = norm_trial;
        gradient_norm = gradient(r_);
        ++report.iterations;
        fruitless = 0;
        if (damping > Scalar(0)) {  // Nielsen's rule; back to Gauss-Newton when the model was good
          const Scalar rho = predicted > Scalar(0) ? gain / predicted : Scalar(0);
          const Scalar cube = (Scalar(2) * rho - Scalar(1)) * (Scalar(2) * rho - Scalar(1)) * (Scalar(2) * rho - Scalar(1));
          damping *= std::max(Scalar(1) / Scalar(3), Scalar(1) - cube);
          if (rho > Scalar(0.75) || damping < epsilon()) damping = Scalar(0);
        }
        growth = Scalar(2);
        if (!go_on(callback, report, norm * norm, gradient_norm, delta_.norm(), status)) break;
        if (gain <= p.stagnation) {
          stagnated = true;
          break;
        }
      } else {
        // An undamped step that the linear model itself expected to gain next to nothing, or a step that
        // changed the residual by less than the stagnation fraction (rounding, not overshoot): stagnation.
        if (!last_non_finite && ((damping == Scalar(0) && predicted <= p.stagnation) ||
                                 norm_trial <= norm * (Scalar(1) + p.stagnation))) {
          stagnated = true;
          break;
        }
        damping = damping > Scalar(0) ? damping * growth : p.initial_damping;
        growth *= Scalar(2);
        if (++fruitless >= p.patience) {
          stagnated = !last_non_finite;
          if (last_non_finite) status = MinimizerStatus::non_finite;
          break;
        }
      }
    }
    if (stagnated) {
      // Stagnation is convergence where the residual is orthogonal to the features (a first-order minimum
      // over the output weights), or has fallen to sqrt(eps) of its start (what is left is rounding, which
      // is orthogonal to nothing). Elsewhere the fit stalled.
      status = optimal() || norm <= sqrt(epsilon()) * initial_norm ? MinimizerStatus::converged_decrease
                                                                  : MinimizerStatus::stalled;
    }
    finish_report(report, status, norm * norm, gradient_norm, p.max_iterations, most_evaluations, message(status));
    return report;
  }

  /// What the last undamped factorization found of \f$\Phi\f$.
  const FeatureReport<Scalar>& features() const { return features_; }

 private:
  static Scalar epsilon() { return std::numeric_limits<Scalar>::epsilon(); }

  /// Sizes the workspace of the Gauss-Newton loop, once: a linear f never needs it.
  void size_loop() {
    if (stacked_.rows() == m_ + n_) return;
    stacked_.resize(m_ + n_, n_);
    stacked_qr_.resize(m_ + n_, n_);
  }

  /// The residuals at `weights` and their derivatives by the output weights, one column per unit.
  void evaluate(const Parameters& weights, Vector& r, Matrix& phi) { evaluations_.output_residuals(weights, r, phi); }

  /// delta_ = the least-squares solution of \f$\Phi \delta = -r\f$, damped by \f$\lambda\f$ = `damping`
  /// when positive; returns the rank found. An undamped solve records the rank and condition of \f$\Phi\f$.
  Eigen::Index step(Scalar damping) {
    using std::sqrt;
    if (damping > Scalar(0)) {
      stacked_.topRows(m_) = phi_;
      stacked_.bottomRows(n_).setZero();
      stacked_.bottomRows(n_).diagonal() = sqrt(damping) * scale_;
      rhs_.head(m_) = -r_;
      rhs_.tail(n_).setZero();
      const Eigen::Index rank = stacked_qr_.factor(stacked_, parameters_.rank_tolerance);
      stacked_qr_.solve(rhs_, delta_);
      return rank;
    }
    rhs_.head(m_) = -r_;
    const PivotedQr<Scalar>* qr = &qr_;
    bool reused = false;
    if (kept_ != nullptr) {
      reused = kept_->prepare(phi_, parameters_.rank_tolerance);
      if (reused) ++features_.reused_factorizations;
      qr = &kept_->qr();
    } else {
      qr_.factor(phi_, parameters_.rank_tolerance);
    }
    auto head = rhs_.head(m_);
    qr->solve(head, delta_);
    if (reused) {
      // One step of refinement against this Phi: the kept factorization is of a matrix a few roundings away,
      // and the output weights, large for ill-conditioned features, would carry that difference into the
      // residual (Phi - Phi_0) delta.
      rhs_.head(m_) = -r_;
      rhs_.head(m_).noalias() -= phi_ * delta_;
      qr->solve(head, correction_);
      delta_ += correction_;
    }
    features_.rank = qr->rank();
    features_.condition = qr->condition();
    return qr->rank();
  }

  /// \f$\|2 \Phi^T r\|\f$, the norm of the gradient of the sum of squares by the output weights, into
  /// gradient_ (\f$\Phi^T r\f$).
  Scalar gradient(const Vector& r) {
    gradient_.noalias() = phi_.transpose() * r;
    return Scalar(2) * gradient_.stableNorm();
  }

  /// True when \f$\|\Phi^T r\| \le\f$ `optimality` \f$\|\Phi\|_F \|r\|\f$ at the current weights (after
  /// `gradient`): the residual is orthogonal to the features to that tolerance, as at a least-squares
  /// minimum over the output weights.
  bool optimal() const {
    return gradient_.stableNorm() <= parameters_.optimality * phi_.stableNorm() * r_.stableNorm();
  }

  /// True when every entry of `m` is finite.
  static bool all_finite(const Matrix& m) {
    using std::isfinite;
    const Scalar* data = m.data();
    for (Eigen::Index i = 0; i < m.size(); ++i) {
      if (!isfinite(data[i])) return false;
    }
    return true;
  }

  /// Adds delta_ to the output weights of `weights`.
  void add_step(Parameters& weights) const {
    for (Eigen::Index k = 0; k < n_; ++k) weights[layout_.v_of_unit(k)] += delta_[k];
  }

  static std::string message(MinimizerStatus status) {
    switch (status) {
      case MinimizerStatus::converged_linear:
        return "Converged: f is linear in the unknowns, and one least-squares solve gave the output weights.";
      case MinimizerStatus::converged_decrease:
        return "Converged: the residual stagnated (Gauss-Newton on the output weights gained no more) at a minimum "
               "over them.";
      case MinimizerStatus::stalled:
        return "Stopped: the residual stopped falling, but not at a minimum over the output weights.";
      case MinimizerStatus::rank_deficient:
        return "Stopped: the feature matrix has no usable column (rank 0); the output weights are unchanged.";
      case MinimizerStatus::damping_limit:
        return "Stopped: no step lowered the sum of squares, even with damping.";
      case MinimizerStatus::non_finite:
        return "Stopped: trial steps gave NaN or infinite residuals, and no step lowered the sum of squares.";
      default:
        return "";
    }
  }

  FeatureEvaluations<Scalar> evaluations_;
  FeatureFactorization<Scalar>* kept_;  ///< the factorization kept from fit to fit, when given
  RandomFeaturesParameters<Scalar> parameters_;
  WeightLayout layout_;  ///< the cost's weights
  Eigen::Index m_;       ///< residuals
  Eigen::Index n_;       ///< output weights: units of all networks
  Matrix phi_;           ///< \f$\Phi\f$ at the current weights
  Matrix phi_trial_;     ///< \f$\Phi\f$ at the trial weights
  Matrix stacked_;       ///< \f$\Phi\f$ over \f$\sqrt\lambda D\f$
  Vector r_;             ///< residuals at the current weights
  Vector r_trial_;       ///< residuals at the trial weights
  Vector model_;         ///< \f$r + \Phi \delta\f$
  Vector rhs_;           ///< \f$-r\f$ (and zeros below it when damped), then \f$Q^T\f$ of it
  Vector delta_;         ///< the step in the output weights
  Vector correction_;    ///< the refinement of a step solved with a kept factorization
  Vector scale_;         ///< \f$D\f$: the largest column norms of \f$\Phi\f$
  Parameters trial_;     ///< the trial weights
  Vector gradient_;      ///< \f$\Phi^T r\f$
  PivotedQr<Scalar> qr_;          ///< of \f$\Phi\f$ (unused, and not sized, when one is kept)
  PivotedQr<Scalar> stacked_qr_;  ///< of \f$\Phi\f$ over \f$\sqrt\lambda D\f$
  FeatureReport<Scalar> features_;
};

}  // namespace detail

}  // namespace trialode
