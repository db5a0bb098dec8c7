// SPDX-License-Identifier: MIT
// What solve() returns: a trained trial solution, y(t) with its derivatives anywhere, and the record of its
// fit (the minimizer's report and the residual diagnostics). Scalar problems and systems alike.
#pragma once

#include <Eigen/Core>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "../approximation/constrained_trial.hpp"
#include "../approximation/detail/network_batch.hpp"
#include "../approximation/network.hpp"
#include "../approximation/trial.hpp"
#include "../methods/method.hpp"
#include "../minimizers/report.hpp"

namespace trialode {

/// What every trained solution records of its fit: the minimizer's report and the residual diagnostics.
template <typename Scalar>
struct FitRecord {
  /// How the minimizer ended; `report.f` is the final cost \f$I\f$.
  MinimizerReport<Scalar> report;
  /// The collocation points the cost was built on.
  Eigen::Array<Scalar, Eigen::Dynamic, 1> collocation;
  /// The largest |residual| at the collocation points (over all components for a system).
  Scalar max_residual_collocation = Scalar(0);
  /// The same maximum on the check grid between the points, which a small cost does not bound, and at
  /// the points themselves: equally spaced, with `SolveOptions::check_subdivisions` steps for each gap
  /// between neighbouring points (`check_points` of them).
  Scalar max_residual_check = Scalar(0);
  /// Number of points of the check grid.
  Eigen::Index check_points = 0;
  /// The seed of the initial weights.
  std::uint64_t seed = 0;
  /// The columns, rank and condition of the feature matrix of a random-features fit (`Method::random_features`,
  /// or the first stage of `Start::random_features`); zeros when none ran.
  FeatureReport<Scalar> features;
  /// For a `LinearConditionProblem`, \f$|C_i[y] - \kappa_i|\f$ of each condition as the returned solution
  /// meets it, in the problem's units: the constrained expression meets the conditions exactly up to
  /// rounding, which this measures (it grows with the size of the network's output weights). Empty for the
  /// other families, whose trial forms hold their conditions to the last bit or to one rounding.
  Eigen::Array<Scalar, Eigen::Dynamic, 1> condition_violations;
  /// A bound on \f$\max_{[t_0, t_1]} |y - y_{exact}|\f$ (the largest component for a system), from the
  /// residual on the check grid through the linearized error equation, with the rounding of evaluating y
  /// (`error_bound()` says what it rests on); infinite when none could be computed (a residual that is not
  /// finite), and for a solution not made by `solve()`.
  Scalar error_bound = std::numeric_limits<Scalar>::infinity();
  /// The absolute Green's-function bound alone, which `error_bound` never exceeds: it does not rest on the
  /// quadrature of a signed integral, and overstates the error more.
  Scalar error_bound_absolute = std::numeric_limits<Scalar>::infinity();
  /// The signed linearized error's largest size: what the error most likely is (for a linear f, up to
  /// quadrature and rounding).
  Scalar error_estimate = std::numeric_limits<Scalar>::infinity();
  /// For each segment (one unless the solution was marched in time), the bound on its stretch
  /// \f$[a_k, a_{k+1}]\f$, the error carried in from the segments before included: `error_bound` is the
  /// largest. Empty for a solution not made by `solve()`.
  Eigen::Array<Scalar, Eigen::Dynamic, 1> segment_error_bounds;

  /// True when the minimizer met a convergence test.
  bool converged() const { return report.converged(); }
};

namespace detail {

/// Throws `std::invalid_argument` unless the trial form holds its conditions where the interval says: at
/// \f$t_0\f$, or at \f$a = t_0\f$ and \f$b = t_1\f$ for the Dirichlet form. (A solution is saved with its
/// interval, not the trial form's own copy of it.)
template <typename Trial, typename Scalar>
void check_trial_interval(const Trial& trial, Scalar t0, Scalar t1) {
  if constexpr (std::is_same<Trial, DirichletTrial<Scalar>>::value) {
    if (!(trial.a == t0 && trial.b == t1)) {
      throw std::invalid_argument("Solution: the trial form's ends a, b differ from the interval [t0, t1]");
    }
  } else if constexpr (is_constrained_trial<Trial>) {
    if (!(trial.t0 == t0 && trial.t1 == t1)) {
      throw std::invalid_argument("Solution: the trial form's interval differs from the interval [t0, t1]");
    }
    if (trial.order < 1 || trial.order > 4 || trial.support.size() != static_cast<std::size_t>(trial.order) ||
        trial.eta.size() != static_cast<Eigen::Index>(trial.support.size()) || !trial.eta.allFinite()) {
      throw std::invalid_argument("Solution: the constrained trial form needs an order from 1 to 4 and as many support "
                                  "exponents and finite coefficients as its order");
    }
    check_conditions("Solution", trial.conditions, t0, t1, trial.order, trial.support);
  } else {
    static_cast<void>(t1);
    if (!(trial.t0 == t0)) throw std::invalid_argument("Solution: the trial form's t0 differs from the interval's t0");
  }
}

/// `count` consecutive entries of an array of points from `first` on, in linear order, as `NetworkBatch` reads
/// points (`coeff`, `size`): a run of points that one segment serves.
template <typename T>
struct PointRun {
  const T& points;
  Eigen::Index first;
  Eigen::Index count;
  auto coeff(Eigen::Index i) const { return points.coeff(first + i); }
  Eigen::Index size() const { return count; }
};

/// What a scalar solution and a system's share: the networks of each segment, the interval they were trained
/// on, the fit record, and the array forms of `value`, `derivative` and `second_derivative` of the `Derived`
/// class. A solution of one segment has one trial form and its networks on \f$[t_0, t_1]\f$; a segmented one
/// (time marching) has one per segment \f$[a_k, a_{k+1}]\f$, each meeting at \f$a_k\f$ the state the segment
/// before hands over.
template <typename Derived, typename Scalar, int Hidden>
class SolutionBase : public FitRecord<Scalar> {
 public:
  using Network = SigmoidNetwork<Scalar, Hidden>;

  /// True when \f$t_0 \le t \le t_1\f$, the interval the networks were trained on; outside it the solution
  /// is an extrapolation, whose error grows quickly.
  bool contains(Scalar t) const { return t >= ends_.front() && t <= ends_.back(); }
  Scalar t0() const { return ends_.front(); }
  Scalar t1() const { return ends_.back(); }
  /// The networks of the first segment (of the only one unless time marching made several): one for a scalar
  /// problem, one per component for a system. `segment(k).networks()` are those of segment k.
  const std::vector<Network>& networks() const { return networks_.front(); }

  /// The number of segments: 1 unless the solution was marched in time.
  Eigen::Index segments() const { return static_cast<Eigen::Index>(networks_.size()); }
  /// The ends of the segments, \f$t_0 = a_0 < a_1 < \dots < a_S = t_1\f$.
  const std::vector<Scalar>& segment_ends() const { return ends_; }
  /// The segment that serves \f$t\f$: k with \f$a_k \le t < a_{k+1}\f$ (the first below \f$a_1\f$, the last
  /// from \f$a_{S-1}\f$ on, outside the interval included).
  Eigen::Index segment_of(Scalar t) const {
    if (ends_.size() == 2) return 0;
    return static_cast<Eigen::Index>(std::upper_bound(ends_.begin() + 1, ends_.end() - 1, t) - (ends_.begin() + 1));
  }

  /// \f$y(t)\f$ (a vector for a system); defined for every \f$t\f$, trained on \f$[t_0, t_1]\f$.
  auto operator()(Scalar t) const { return self().evaluate(t).y; }
  /// \f$y(t)\f$.
  auto value(Scalar t) const { return self().evaluate(t).y; }
  /// \f$y'(t)\f$.
  auto derivative(Scalar t) const { return self().evaluate(t).dy; }
  /// \f$y''(t)\f$.
  auto second_derivative(Scalar t) const { return self().evaluate(t).d2y; }

  /// \f$y\f$ at every entry of an array: an array of values, or for a system a matrix with a row per entry.
  template <typename T>
  auto value(const Eigen::ArrayBase<T>& t) const {
    return map(t, 0, [](const auto& y) { return y.y; });
  }
  /// \f$y'\f$ at every entry of an array.
  template <typename T>
  auto derivative(const Eigen::ArrayBase<T>& t) const {
    return map(t, 1, [](const auto& y) { return y.dy; });
  }
  /// \f$y''\f$ at every entry of an array.
  template <typename T>
  auto second_derivative(const Eigen::ArrayBase<T>& t) const {
    return map(t, 2, [](const auto& y) { return y.d2y; });
  }

 protected:
  /// Throws `std::invalid_argument` unless there is a network and t1 > t0.
  SolutionBase(std::vector<Network> networks, Scalar t0, Scalar t1) : ends_{t0, t1} {
    if (networks.empty()) throw std::invalid_argument("Solution: no network given");
    if (!(t1 > t0)) throw std::invalid_argument("Solution: t1 must be greater than t0");
    networks_.push_back(std::move(networks));
  }

  /// Appends the segments of `next`, which must start where this solution ends, with as many networks of as
  /// many units; throws `std::invalid_argument` otherwise.
  void append_segments(const SolutionBase& next) {
    if (!(next.t0() == t1())) {
      throw std::invalid_argument("Solution: a segment must start where the one before it ends");
    }
    if (next.networks().size() != networks().size()) {
      throw std::invalid_argument("Solution: every segment must have as many networks as the first");
    }
    for (const std::vector<Network>& segment : next.networks_) {
      for (const Network& network : segment) {
        if (network.hidden_units() != networks().front().hidden_units()) {
          throw std::invalid_argument("Solution: every network of every segment must have as many units as the first");
        }
      }
    }
    ends_.insert(ends_.end(), next.ends_.begin() + 1, next.ends_.end());
    networks_.insert(networks_.end(), next.networks_.begin(), next.networks_.end());
  }

  /// The networks of segment k (from 0).
  const std::vector<Network>& segment_networks(Eigen::Index k) const { return networks_[static_cast<std::size_t>(k)]; }

  /// Calls `run(k, first, count)` for each run of consecutive entries of `t` that segment k serves.
  template <typename T, typename Run>
  void for_each_segment_run(const Eigen::DenseBase<T>& t, Run&& run) const {
    Eigen::Index first = 0;
    while (first < t.size()) {
      const Eigen::Index k = segment_of(static_cast<Scalar>(t.derived().coeff(first)));
      Eigen::Index last = first + 1;
      while (last < t.size() && segment_of(static_cast<Scalar>(t.derived().coeff(last))) == k) ++last;
      run(k, first, last - first);
      first = last;
    }
  }

 private:
  const Derived& self() const { return static_cast<const Derived&>(*this); }

  template <typename T, typename Pick>
  auto map(const Eigen::ArrayBase<T>& t, int order, Pick pick) const {
    using Value = std::decay_t<decltype(pick(self().evaluate(Scalar(0))))>;
    if constexpr (std::is_arithmetic<Value>::value) {
      Eigen::Array<Scalar, Eigen::Dynamic, 1> out(t.size());
      self().evaluate_each(t, [&out, &pick](Eigen::Index i, const auto& y) { out[i] = pick(y); }, order);
      return out;
    } else {
      Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> out(t.size(), self().components());
      self().evaluate_each(t, [&out, &pick](Eigen::Index i, const auto& y) { out.row(i) = pick(y).transpose(); }, order);
      return out;
    }
  }

  std::vector<Scalar> ends_;                      ///< \f$a_0 < \dots < a_S\f$
  std::vector<std::vector<Network>> networks_;    ///< the networks of each segment
};

}  // namespace detail

/// A trained trial solution \f$y(t) = A(t) + B(t) N(t)\f$ of a scalar problem with the record of its fit.
/// `Trial` is `FirstOrderTrial` (the default), `SecondOrderTrial` or `DirichletTrial`; `Hidden` fixes the
/// number of units at compile time. Shares its template order, construction and methods with
/// `SystemSolution`.
///
/// Both have \f$y(t)\f$ as `operator()(t)` or `value(t)`, `derivative(t)` (\f$y'\f$) and
/// `second_derivative(t)` (\f$y''\f$), each also at every entry of an Eigen array; `t0()`, `t1()` and
/// `contains(t)` for the interval the networks were trained on; `networks()`; and the record of the fit
/// (`FitRecord`): `report`, `collocation`, `max_residual_collocation`, `max_residual_check`,
/// `check_points`, `seed`, `features` and `converged()`.
template <typename Scalar, typename TrialForm = FirstOrderTrial<Scalar>, int Hidden = Eigen::Dynamic>
class Solution : public detail::SolutionBase<Solution<Scalar, TrialForm, Hidden>, Scalar, Hidden> {
  using Base = detail::SolutionBase<Solution<Scalar, TrialForm, Hidden>, Scalar, Hidden>;

 public:
  /// The network type, `SigmoidNetwork<Scalar, Hidden>`.
  using Network = typename Base::Network;
  /// The trial form, `TrialForm`.
  using Trial = TrialForm;
  /// The type of \f$y(t)\f$: `Scalar`.
  using Value = Scalar;

  /// The trial form with its one network on \f$[t_0, t_1]\f$; throws `std::invalid_argument` unless
  /// `networks` holds one network, t1 > t0 and the trial form holds its conditions at the interval's ends.
  Solution(const Trial& trial, std::vector<Network> networks, Scalar t0, Scalar t1)
      : Base(std::move(networks), t0, t1), trials_{trial} {
    detail::check_trial_interval(trial, t0, t1);
    if (this->networks().size() != 1) {
      throw std::invalid_argument("Solution: a scalar solution has 1 network, got " +
                                  std::to_string(this->networks().size()));
    }
  }
  /// The trial form with the network `network` on \f$[t_0, t_1]\f$; throws `std::invalid_argument` unless
  /// t1 > t0 and the trial form holds its conditions at the interval's ends.
  Solution(const Trial& trial, const Network& network, Scalar t0, Scalar t1)
      : Solution(trial, std::vector<Network>{network}, t0, t1) {}

  /// The segments of `pieces` joined in order into one solution (time marching), with the fit record of the
  /// first; throws `std::invalid_argument` unless there is a piece, each starts where the one before ends with
  /// a network of as many units, and the trial form is an initial value form (first or second order), whose
  /// conditions hold at each start.
  static Solution joined(const std::vector<Solution>& pieces) {
    if (pieces.empty()) throw std::invalid_argument("Solution::joined: no segment given");
    Solution out = pieces.front();
    for (std::size_t k = 1; k < pieces.size(); ++k) out.append(pieces[k]);
    return out;
  }

  /// \f$y, y', y''\f$ at \f$t\f$; defined for every \f$t\f$, trained on \f$[t_0, t_1]\f$.
  TrialValues<Scalar> evaluate(Scalar t) const {
    const Eigen::Index k = this->segment_of(t);
    return detail::combine(trials_[static_cast<std::size_t>(k)].basis(t), this->segment_networks(k).front().evaluate(t));
  }

  /// Calls `visit(i, evaluate(t[i]))` for every entry of `t`, in order, computed a run of equally spaced
  /// points at a time (`detail::NetworkBatch`): on a grid, one exponential per unit in every 16 points,
  /// with an accuracy like that of `evaluate`. What the array forms of `value` and the others use. Only the
  /// derivatives up to `order` (0, 1 or 2) are computed; the others are left incomplete.
  template <typename T, typename Visit>
  void evaluate_each(const Eigen::DenseBase<T>& t, Visit&& visit, int order = 2) const {
    detail::NetworkBatch<Scalar, Hidden> batch(network().hidden_units());
    if (this->segments() == 1) {
      batch.run(network(), t.derived(), order, [this, &t, &visit](Eigen::Index i, const NetworkValues<Scalar>& n) {
        visit(i, detail::combine(trial().basis(static_cast<Scalar>(t.derived().coeff(i))), n));
      });
      return;
    }
    this->for_each_segment_run(t, [&](Eigen::Index k, Eigen::Index first, Eigen::Index count) {
      const Trial& form = trials_[static_cast<std::size_t>(k)];
      batch.run(this->segment_networks(k).front(), detail::PointRun<T>{t.derived(), first, count}, order,
                [&](Eigen::Index i, const NetworkValues<Scalar>& n) {
                  visit(first + i, detail::combine(form.basis(static_cast<Scalar>(t.derived().coeff(first + i))), n));
                });
    });
  }

  /// Number of components: 1.
  Eigen::Index components() const { return 1; }
  /// The network \f$N\f$ of the first segment.
  const Network& network() const { return this->networks().front(); }
  /// The trial form of the first segment: \f$A\f$ and \f$B\f$ of \f$y = A + B N\f$.
  const Trial& trial() const { return trials_.front(); }
  /// Segment k (from 0) as a solution of its own, without the fit record.
  Solution segment(Eigen::Index k) const {
    const std::size_t i = static_cast<std::size_t>(k);
    return Solution(trials_.at(i), this->segment_networks(k), this->segment_ends().at(i), this->segment_ends().at(i + 1));
  }

 private:
  /// Appends the segments of `next` (`joined`).
  void append(const Solution& next) {
    if constexpr (!std::is_same<Trial, FirstOrderTrial<Scalar>>::value && !std::is_same<Trial, SecondOrderTrial<Scalar>>::value) {
      throw std::invalid_argument("Solution::joined: only initial value forms are marched in segments");
    }
    this->append_segments(next);
    trials_.insert(trials_.end(), next.trials_.begin(), next.trials_.end());
  }

  std::vector<Trial> trials_;  ///< the trial form of each segment
};

/// A trained solution of a system, \f$y_j(t) = y_{0j} + (t - t_0) N_j(t)\f$ for \f$j = 1..n\f$, with the
/// record of its fit. `N` is \f$n\f$ when known at compile time, `Hidden` the units of every network.
/// Its members shared with `Solution` are listed there; values are vectors of \f$\mathbb{R}^n\f$, and
/// the array forms give a matrix with a row per entry.
template <typename Scalar, int N = Eigen::Dynamic, int Hidden = Eigen::Dynamic>
class SystemSolution : public detail::SolutionBase<SystemSolution<Scalar, N, Hidden>, Scalar, Hidden> {
  using Base = detail::SolutionBase<SystemSolution<Scalar, N, Hidden>, Scalar, Hidden>;

 public:
  /// The network type of every component, `SigmoidNetwork<Scalar, Hidden>`.
  using Network = typename Base::Network;
  /// The trial form of the system.
  using Trial = SystemTrial<Scalar, N>;
  /// The type of \f$y(t) \in \mathbb{R}^n\f$.
  using Value = Eigen::Matrix<Scalar, N, 1>;
  /// One component as a scalar solution (without the fit record).
  using Component = Solution<Scalar, FirstOrderTrial<Scalar>, Hidden>;

  /// The trial form with one network per component on \f$[t_0, t_1]\f$; throws `std::invalid_argument`
  /// unless there is one network per entry of \f$y_0\f$, and t1 > t0.
  SystemSolution(const Trial& trial, std::vector<Network> networks, Scalar t0, Scalar t1)
      : Base(std::move(networks), t0, t1), trials_{trial} {
    detail::check_trial_interval(trial, t0, t1);
    if (trial.components() < 1 || static_cast<std::size_t>(trial.components()) != this->networks().size()) {
      throw std::invalid_argument("SystemSolution: y0 has " + std::to_string(trial.components()) +
                                  " entries but there are " + std::to_string(this->networks().size()) + " networks");
    }
  }

  /// The segments of `pieces` joined in order into one solution (time marching), with the fit record of the
  /// first; throws `std::invalid_argument` unless there is a piece, and each starts where the one before ends
  /// with as many components.
  static SystemSolution joined(const std::vector<SystemSolution>& pieces) {
    if (pieces.empty()) throw std::invalid_argument("SystemSolution::joined: no segment given");
    SystemSolution out = pieces.front();
    for (std::size_t k = 1; k < pieces.size(); ++k) {
      out.append_segments(pieces[k]);
      out.trials_.insert(out.trials_.end(), pieces[k].trials_.begin(), pieces[k].trials_.end());
    }
    return out;
  }

  /// \f$y, y', y''\f$ at \f$t\f$, each in \f$\mathbb{R}^n\f$; defined for every \f$t\f$, trained on \f$[t_0, t_1]\f$.
  TrialValues<Value> evaluate(Scalar t) const {
    const Eigen::Index k = this->segment_of(t);
    const Trial& form = trials_[static_cast<std::size_t>(k)];
    const std::vector<Network>& nets = this->segment_networks(k);
    TrialValues<Value> out{Value(components()), Value(components()), Value(components())};
    for (Eigen::Index j = 0; j < components(); ++j) {
      const TrialValues<Scalar> y = detail::combine(form.component(j).basis(t), nets[static_cast<std::size_t>(j)].evaluate(t));
      out.y[j] = y.y;
      out.dy[j] = y.dy;
      out.d2y[j] = y.d2y;
    }
    return out;
  }

  /// Calls `visit(i, evaluate(t[i]))` for every entry of `t`, in order (`order` is for the interface of
  /// `Solution`: every derivative is there).
  template <typename T, typename Visit>
  void evaluate_each(const Eigen::DenseBase<T>& t, Visit&& visit, int order = 2) const {
    static_cast<void>(order);
    for (Eigen::Index i = 0; i < t.size(); ++i) visit(i, evaluate(static_cast<Scalar>(t.derived().coeff(i))));
  }

  /// Number of components \f$n\f$.
  Eigen::Index components() const { return trials_.front().components(); }
  /// The network of component j (from 0) in the first segment.
  const Network& network(Eigen::Index j) const { return this->networks().at(static_cast<std::size_t>(j)); }
  /// Component j (from 0) as a scalar solution, with every segment (without the fit record).
  Component component(Eigen::Index j) const {
    std::vector<Component> pieces;
    for (Eigen::Index k = 0; k < this->segments(); ++k) {
      const std::size_t i = static_cast<std::size_t>(k);
      pieces.emplace_back(trials_[i].component(j), this->segment_networks(k).at(static_cast<std::size_t>(j)),
                          this->segment_ends()[i], this->segment_ends()[i + 1]);
    }
    return Component::joined(pieces);
  }
  /// The trial form of the first segment: \f$t_0\f$ and \f$y_0\f$ of \f$y_j = y_{0j} + (t - t_0) N_j\f$.
  const Trial& trial() const { return trials_.front(); }
  /// Segment k (from 0) as a solution of its own, without the fit record.
  SystemSolution segment(Eigen::Index k) const {
    const std::size_t i = static_cast<std::size_t>(k);
    return SystemSolution(trials_.at(i), this->segment_networks(k), this->segment_ends().at(i), this->segment_ends().at(i + 1));
  }

 private:
  std::vector<Trial> trials_;  ///< the trial form of each segment
};

namespace detail {

/// The solution type `solve()` returns for a problem: `Solution` with the problem's trial form, or
/// `SystemSolution` for a system.
template <typename Trial, int Hidden>
struct SolutionSelector {
  using type = Solution<typename Trial::scalar_type, Trial, Hidden>;
};
template <typename Scalar, int N, int Hidden>
struct SolutionSelector<SystemTrial<Scalar, N>, Hidden> {
  using type = SystemSolution<Scalar, N, Hidden>;
};

}  // namespace detail

/// The solution type `solve<Hidden>(problem)` returns.
template <typename Problem, int Hidden = Eigen::Dynamic>
using SolutionFor = typename detail::SolutionSelector<TrialFor<Problem>, Hidden>::type;

}  // namespace trialode
