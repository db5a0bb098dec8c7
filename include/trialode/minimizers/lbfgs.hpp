// SPDX-License-Identifier: MIT
// The limited-memory BFGS minimizer (Liu & Nocedal 1989) with a More-Thuente line search. It minimizes
// any smooth f(x) given with its gradient and knows nothing of ODEs.
#pragma once

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "detail/fused_vector_ops.hpp"
#include "detail/iteration.hpp"
#include "line_search.hpp"
#include "report.hpp"

namespace trialode {

/// Parameters of Lbfgs. The defaults derive from the machine epsilon \f$\varepsilon\f$ of Scalar, so
/// that float, double and long double work without tuning.
template <typename Scalar>
struct LbfgsParameters {
  /// Number \f$m\f$ of curvature pairs \f$(s_i, y_i)\f$ kept; default 10. At least 1.
  int memory = 10;
  /// Stop when \f$\|g_k\| \le\f$ this; default 0, i.e. only for an exactly zero gradient.
  Scalar gradient_tolerance = Scalar(0);
  /// Stop when \f$\|g_k\| \le\f$ this \f$\cdot \|g_0\|\f$; default \f$\varepsilon^{2/3}\f$
  /// (\f$3.7 \cdot 10^{-11}\f$ in double, \f$2.4 \cdot 10^{-5}\f$ in float).
  Scalar relative_gradient_tolerance = std::pow(std::numeric_limits<Scalar>::epsilon(), Scalar(2) / Scalar(3));
  /// Number \f$p\f$ of iterations over which the decrease test looks back; default 3, 0 disables it.
  int past = 3;
  /// Stop when \f$(f_{k-p} - f_k) / \max(|f_k|, |f_{k-p}|, \text{tiny}) \le\f$ this; default
  /// \f$10 \varepsilon\f$, i.e. when f has stopped moving at working precision.
  Scalar decrease_tolerance = Scalar(10) * std::numeric_limits<Scalar>::epsilon();
  /// Most accepted steps; default 2000. At least 1.
  int max_iterations = 2000;
  /// Most objective calls, line searches included, never exceeded; default 4000. At least 1.
  int max_evaluations = 4000;
  /// A new pair is stored only when \f$s^T y > \f$ this \f$\cdot \|s\| \|y\|\f$, a test unchanged by
  /// scaling x or f; otherwise it is skipped, which keeps the inverse Hessian approximation positive
  /// definite. Default \f$\varepsilon\f$.
  Scalar curvature_pair_tolerance = std::numeric_limits<Scalar>::epsilon();
  /// Parameters of the strong Wolfe line search.
  LineSearchParameters<Scalar> line_search;

  /// Throws `std::invalid_argument` naming the first field out of range (NaN is always out of range).
  void check() const {
    const auto non_negative = [](Scalar value) {
      return value >= Scalar(0) && value < std::numeric_limits<Scalar>::infinity();
    };
    if (memory < 1) throw std::invalid_argument("LbfgsParameters::memory must be at least 1");
    if (!non_negative(gradient_tolerance)) {
      throw std::invalid_argument("LbfgsParameters::gradient_tolerance must be finite and non-negative");
    }
    if (!(non_negative(relative_gradient_tolerance) && relative_gradient_tolerance < Scalar(1))) {
      // At 1 or more the test holds at the start point, before any step.
      throw std::invalid_argument("LbfgsParameters::relative_gradient_tolerance must lie in [0, 1)");
    }
    if (past < 0) throw std::invalid_argument("LbfgsParameters::past must be non-negative");
    if (!non_negative(decrease_tolerance)) {
      throw std::invalid_argument("LbfgsParameters::decrease_tolerance must be finite and non-negative");
    }
    if (max_iterations < 1) throw std::invalid_argument("LbfgsParameters::max_iterations must be at least 1");
    if (max_evaluations < 1) throw std::invalid_argument("LbfgsParameters::max_evaluations must be at least 1");
    if (!(non_negative(curvature_pair_tolerance) && curvature_pair_tolerance < Scalar(1))) {
      throw std::invalid_argument("LbfgsParameters::curvature_pair_tolerance must lie in [0, 1)");
    }
    line_search.check();
  }
};

/// Limited-memory BFGS (Liu & Nocedal 1989, "On the limited memory BFGS method for large scale
/// optimization", Math. Programming 45). The search direction \f$d_k = -H_k g_k\f$ comes from the
/// two-loop recursion (Nocedal & Wright, Algorithm 7.4) over the last \f$m\f$ pairs
/// \f$s_i = x_{i+1} - x_i\f$, \f$y_i = g_{i+1} - g_i\f$, with \f$H_k^0 = \gamma_k I\f$,
/// \f$\gamma_k = s^T y / y^T y\f$ of the newest pair. The step along \f$d_k\f$ satisfies the strong
/// Wolfe conditions (more_thuente_line_search); the first trial is 1, or \f$1/\|g_k\|\f$ on steepest
/// descent from an empty memory.
///
/// A direction that does not go down discards the memory. A failed line search is retried once from
/// steepest descent with an empty memory; a second failure ends the run. The point left in `x` is
/// always the lowest finite point evaluated.
///
/// All workspace lives in the object and is sized on the first call; later calls with the same
/// dimension allocate nothing. `Size` is the dimension when known at compile time. An object is not
/// meant to run two minimizations at once.
template <typename Scalar, int Size = Eigen::Dynamic>
class Lbfgs {
 public:
  /// A point \f$x\f$ or a gradient \f$g\f$: one entry per variable.
  using Vector = Eigen::Matrix<Scalar, Size, 1>;

  /// Checks the parameters (std::invalid_argument if bad) and keeps a copy of them.
  explicit Lbfgs(const LbfgsParameters<Scalar>& parameters = LbfgsParameters<Scalar>()) : parameters_(parameters) {
    parameters_.check();
  }

  /// The parameters in use, as checked and copied by the constructor.
  const LbfgsParameters<Scalar>& parameters() const { return parameters_; }

  /// Minimizes `objective` from `x`, which receives the best point found. `objective` is called as
  /// `Scalar f(const Vector& x, Vector& grad)`: it returns \f$f(x)\f$ and writes \f$\nabla f(x)\f$.
  /// `callback`, when not empty, is called after every accepted step; returning false stops the run with
  /// `MinimizerStatus::stopped_by_callback` It is an `IterationCallback`, a `std::function`, so a callable is
  /// copied into it: pass `std::ref(functor)` for a functor whose own state must see the calls.
  ///
  /// Numerical trouble is reported in the returned status, never thrown. An exception thrown by the
  /// objective or the callback passes through, leaving in `x` the last point tried.
  template <typename Objective>
  MinimizerReport<Scalar> minimize(Objective&& objective, Vector& x, const IterationCallback<Scalar>& callback = {}) {
    static_assert(std::is_invocable_r_v<Scalar, Objective&, const Vector&, Vector&>,
                  "The objective must be callable as Scalar f(const Vector& x, Vector& grad): it returns f(x) and "
                  "writes the gradient of f at x into grad, with Vector = Eigen::Matrix<Scalar, Size, 1>.");
    using std::isfinite;
    const LbfgsParameters<Scalar>& p = parameters_;
    MinimizerReport<Scalar> report;
    prepare(x.size());

    Scalar f = static_cast<Scalar>(objective(static_cast<const Vector&>(x), gradient_));
    report.evaluations = 1;
    Scalar gradient_norm = gradient_.norm();
    report.initial_f = f;
    report.initial_gradient_norm = gradient_norm;
    if (!isfinite(f) || !gradient_.allFinite()) {
      detail::finish_report(report, MinimizerStatus::non_finite, f, gradient_norm, p.max_iterations, p.max_evaluations,
                            "Stopped: the objective or its gradient is not finite at the start point.");
      return report;
    }

    // The objective as the line search sees it: every call is counted, and the lowest finite point is
    // remembered. Not by copying it: the trial point is x_previous_ + step * direction_, so its step is
    // enough while the search runs, and best_x_ is formed after the search only when x does not end
    // there (materialize_best). The current iterate is x itself and is never copied.
    Scalar best_f = f;
    Scalar best_gradient_norm = gradient_norm;
    Scalar best_step = Scalar(0);
    bool best_on_line = false;  // the best point is x_previous_ + best_step * direction_
    bool last_was_best = false;
    auto evaluate = [&](const Vector& point, Vector& grad, Scalar trial_step) -> Scalar {
      using std::sqrt;
      const Scalar value = static_cast<Scalar>(objective(point, grad));
      ++report.evaluations;
      last_was_best = false;
      if (value < best_f && isfinite(value)) {
        // One pass gives both the norm and the finiteness test: a finite sum of squares has finite
        // terms, and only an infinite or NaN sum (possibly an overflow) needs the test term by term.
        const Scalar squared_norm = grad.squaredNorm();
        last_was_best = isfinite(squared_norm) || grad.allFinite();
        if (last_was_best) {
          best_f = value;
          best_gradient_norm = sqrt(squared_norm);
          best_step = trial_step;
          best_on_line = true;
        }
      }
      return value;
    };
    // After a line search: the best point is x itself when the accepted trial was the best, otherwise it
    // is formed by the very expression the search evaluated it with, so bit for bit the same point.
    const auto materialize_best = [&](bool converged) {
      if (best_on_line && !(converged && last_was_best)) best_x_ = x_previous_ + best_step * direction_;
      best_on_line = false;
    };

    if (p.past > 0) past_f_(0) = f;
    MinimizerStatus status = MinimizerStatus::iteration_limit;
    bool done = test_convergence(0, f, gradient_norm, report.initial_gradient_norm, status);
    bool fresh = true;  // steepest descent from an empty memory: a failure here is final
    direction_ = -gradient_;
    Scalar slope = gradient_.dot(direction_);  // g^T d, the line search's phi'(0)
    Scalar step = done ? Scalar(0) : Scalar(1) / gradient_norm;
    // The line search starts from x_previous_ and gradient_previous_. At the top of every iteration they
    // equal x and gradient_: store_pair copies them in the pass that forms s and y, and a failed search
    // restores x and gradient_ from them.
    x_previous_ = x;
    gradient_previous_ = gradient_;

    while (!done) {
      if (detail::limit_reached(report, p.max_iterations, p.max_evaluations, status)) break;
      const detail::LineSearchResult<Scalar> search =
          detail::more_thuente_search(evaluate, x_previous_, f, slope, direction_, step, x, gradient_, p.line_search,
                                      p.max_evaluations - report.evaluations);
      materialize_best(search.converged());
      if (!search.converged()) {
        x = x_previous_;
        gradient_ = gradient_previous_;
        if (report.evaluations >= p.max_evaluations) {
          status = MinimizerStatus::evaluation_limit;
          break;
        }
        if (fresh) {
          status = search.met_non_finite ? MinimizerStatus::non_finite : MinimizerStatus::line_search_failed;
          break;
        }
        ++report.restarts;
        count_ = 0;
        direction_ = -gradient_;
        slope = gradient_.dot(direction_);
        step = Scalar(1) / gradient_norm;
        fresh = true;
        continue;
      }

      f = search.f;
      gradient_norm = last_was_best ? best_gradient_norm : gradient_.norm();
      ++report.iterations;
      store_pair(x);

      if (!detail::go_on(callback, report, f, gradient_norm, search.step, status)) break;
      if (test_convergence(report.iterations, f, gradient_norm, report.initial_gradient_norm, status)) break;

      if (count_ != 0) slope = compute_direction();
      fresh = count_ == 0 || !(slope < Scalar(0)) || !isfinite(slope);
      if (fresh) {
        if (count_ != 0) ++report.restarts;
        count_ = 0;
        direction_ = -gradient_;
        slope = gradient_.dot(direction_);
        step = Scalar(1) / gradient_norm;
      } else {
        step = Scalar(1);
      }
    }

    const bool best_elsewhere = best_f < f;
    if (best_elsewhere) x = best_x_;
    detail::finish_report(report, status, best_elsewhere ? best_f : f, best_elsewhere ? best_gradient_norm : gradient_norm,
                          p.max_iterations, p.max_evaluations, message(status));
    return report;
  }

 private:
  using History = Eigen::Matrix<Scalar, Size, Eigen::Dynamic>;
  using Column = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;

  /// Sizes the workspace for dimension n (allocating only when a size changed) and empties the memory.
  /// Throws `std::invalid_argument`, before allocating, when the memory (2 n `memory` numbers) or the past
  /// values would take more than 1 GiB.
  void prepare(Eigen::Index n) {
    const Eigen::Index m = parameters_.memory;
    const auto most = static_cast<Eigen::Index>((std::size_t(1) << 30) / sizeof(Scalar));
    if (m > most / (2 * std::max<Eigen::Index>(n, 1)) || parameters_.past > most) {
      throw std::invalid_argument("Lbfgs: memory (" + std::to_string(m) + ") times 2 x " + std::to_string(n) +
                                  " variables, or past (" + std::to_string(parameters_.past) +
                                  "), would take more than 1 GiB");
    }
    if (s_.rows() != n || s_.cols() != m) {
      s_.resize(n, m);
      y_.resize(n, m);
    }
    if (rho_.size() != m) {
      rho_.resize(m);
      alpha_.resize(m);
    }
    if (gradient_.size() != n) {
      gradient_.resize(n);
      gradient_previous_.resize(n);
      x_previous_.resize(n);
      direction_.resize(n);
      best_x_.resize(n);
    }
    const Eigen::Index past = std::max(parameters_.past, 1);
    if (past_f_.size() != past) past_f_.resize(past);
    head_ = 0;
    count_ = 0;
    gamma_ = Scalar(1);
  }

  /// Stores \f$s = x - x_{prev}\f$, \f$y = g - g_{prev}\f$ in the ring buffer unless \f$s^T y\f$ is too small,
  /// and sets \f$x_{prev} = x\f$, \f$g_{prev} = g\f$ for the next line search, all in one pass
  /// (detail::difference_pair) with the dot products \f$s^T y\f$, \f$y^T y\f$, \f$s^T s\f$.
  void store_pair(const Vector& x) {
    using std::sqrt;
    const auto [sy, yy, ss] = form_pair(x);
    if (!(sy > parameters_.curvature_pair_tolerance * sqrt(ss) * sqrt(yy))) return;
    rho_(head_) = Scalar(1) / sy;
    gamma_ = sy / yy;
    head_ = head_ + 1 == s_.cols() ? 0 : head_ + 1;
    count_ = std::min<Eigen::Index>(count_ + 1, s_.cols());
  }

  /// The pass of store_pair. The fused pass sums its dot products in the order of Eigen's dynamic-size
  /// dot(); for a fixed size, Eigen's own expressions keep the dot products bit for bit those of Eigen.
  detail::PairProducts<Scalar> form_pair(const Vector& x) {
    if constexpr (Size == Eigen::Dynamic) {
      return detail::difference_pair(x.data(), x_previous_.data(), gradient_.data(), gradient_previous_.data(),
                                     s_.col(head_).data(), y_.col(head_).data(), x.size());
    } else {
      s_.col(head_) = x - x_previous_;
      y_.col(head_) = gradient_ - gradient_previous_;
      x_previous_ = x;
      gradient_previous_ = gradient_;
      return {s_.col(head_).dot(y_.col(head_)), y_.col(head_).squaredNorm(), s_.col(head_).squaredNorm()};
    }
  }

  /// Two-loop recursion: direction_ = \f$-H_k g_k\f$ from `count_` \f$\ge 1\f$ pairs; returns the slope
  /// \f$g_k^T d_k\f$. The arithmetic is that of Nocedal & Wright, Algorithm 7.4, but every pass over the
  /// n-vectors joins an update of the direction to the dot product the next step needs (the kernels of
  /// detail/fused_vector_ops.hpp): \f$d = -g\f$ with the first \f$s_i^T d\f$; each update with the next
  /// dot product; the last update of the first loop with the scaling by \f$\gamma\f$ and the first
  /// \f$y_i^T d\f$; the last update of the second loop with the slope. 2m + 1 passes for m pairs where
  /// separate vector operations take 4m + 3.
  Scalar compute_direction() {
    const Eigen::Index m = s_.cols();
    const Eigen::Index n = gradient_.size();
    Scalar* d = direction_.data();
    // First loop, newest pair first: alpha_i = rho_i s_i^T d, then d -= alpha_i y_i, from d = -g.
    Eigen::Index i = head_ == 0 ? m - 1 : head_ - 1;
    Scalar dot = detail::negate_and_dot(d, gradient_.data(), s_.col(i).data(), n);
    for (Eigen::Index k = 1; k < count_; ++k) {
      alpha_(i) = rho_(i) * dot;
      const Eigen::Index next = i == 0 ? m - 1 : i - 1;
      dot = detail::update_and_dot(d, -alpha_(i), y_.col(i).data(), s_.col(next).data(), n);
      i = next;
    }
    alpha_(i) = rho_(i) * dot;
    // The last update of the first loop, then d *= gamma and the second loop's first y_i^T d.
    dot = detail::update_scale_and_dot(d, -alpha_(i), y_.col(i).data(), gamma_, y_.col(i).data(), n);
    // Second loop, oldest pair first: beta = rho_i y_i^T d, then d += (alpha_i - beta) s_i.
    for (Eigen::Index k = 1; k < count_; ++k) {
      const Eigen::Index next = i + 1 == m ? 0 : i + 1;
      dot = detail::update_and_dot(d, alpha_(i) - rho_(i) * dot, s_.col(i).data(), y_.col(next).data(), n);
      i = next;
    }
    // The last update with g^T d, summed as Eigen's dot() sums it on a dynamic-size vector: the slope
    // gradient_.dot(direction_) gives. Eigen sums a fixed-size dot() in another order, so there it does.
    const Scalar a = alpha_(i) - rho_(i) * dot;
    if constexpr (Size == Eigen::Dynamic) {
      return detail::update_and_dot<detail::SumOrder::eigen>(d, a, s_.col(i).data(), gradient_.data(), n);
    } else {
      direction_ += a * s_.col(i);
      return gradient_.dot(direction_);
    }
  }

  /// Applies the convergence tests after `iteration` steps; on success sets `status` and returns true.
  bool test_convergence(int iteration, Scalar f, Scalar gradient_norm, Scalar initial_gradient_norm,
                        MinimizerStatus& status) {
    using std::abs;
    const LbfgsParameters<Scalar>& p = parameters_;
    if (detail::gradient_converged(gradient_norm, initial_gradient_norm, p.gradient_tolerance,
                                   p.relative_gradient_tolerance, status)) {
      return true;
    }
    if (p.past == 0 || iteration == 0) return false;
    // past_f_ is a ring: slot k mod p holds f_k until f_{k+p} replaces it.
    Scalar& slot = past_f_(iteration % p.past);
    const Scalar old = slot;
    slot = f;
    if (iteration < p.past) return false;
    const Scalar scale = std::max({abs(f), abs(old), std::numeric_limits<Scalar>::min()});
    if ((old - f) / scale <= p.decrease_tolerance) {
      status = MinimizerStatus::converged_decrease;
      return true;
    }
    return false;
  }

  /// The sentences of the statuses only L-BFGS words this way (see detail::common_message for the rest).
  std::string message(MinimizerStatus status) const {
    switch (status) {
      case MinimizerStatus::converged_decrease:
        return "Converged: the objective decreased by less than the relative tolerance over the last " +
               std::to_string(parameters_.past) + " iterations.";
      case MinimizerStatus::line_search_failed:
        return "Stopped: the line search found no acceptable step, even from steepest descent with an empty "
               "memory.";
      case MinimizerStatus::non_finite:
        return "Stopped: the line search met NaN or infinite values of the objective or its gradient and found "
               "no acceptable step, even from steepest descent with an empty memory.";
      default:
        return "";
    }
  }

  LbfgsParameters<Scalar> parameters_;
  History s_;                 ///< ring buffer of the steps \f$s_i\f$, one per column
  History y_;                 ///< ring buffer of the gradient changes \f$y_i\f$
  Column rho_;                ///< \f$1 / s_i^T y_i\f$
  Column alpha_;              ///< the first loop's coefficients
  Column past_f_;             ///< f over the last `past` iterations, for the decrease test
  Vector gradient_;           ///< gradient at the current iterate
  Vector gradient_previous_;  ///< gradient at the previous iterate
  Vector x_previous_;         ///< the previous iterate, start of the line search
  Vector direction_;          ///< search direction
  Vector best_x_;             ///< lowest finite point met, when it is not the current iterate
  Eigen::Index head_ = 0;     ///< column where the next pair goes
  Eigen::Index count_ = 0;    ///< pairs stored
  Scalar gamma_ = Scalar(1);  ///< \f$s^T y / y^T y\f$ of the newest pair
};

}  // namespace trialode
