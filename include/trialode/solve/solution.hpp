// SPDX-License-Identifier: MIT
// What solve() returns: a trained trial solution, y(t) with its derivatives anywhere, and the record of its
// fit (the minimizer's report and the residual diagnostics). Scalar problems and systems alike.
#pragma once

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
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

/// What a scalar solution and a system's share: the networks, the interval they were trained on, the fit
/// record, and the array forms of `value`, `derivative` and `second_derivative` of the `Derived` class.
template <typename Derived, typename Scalar, int Hidden>
class SolutionBase : public FitRecord<Scalar> {
 public:
  using Network = SigmoidNetwork<Scalar, Hidden>;

  /// True when \f$t_0 \le t \le t_1\f$, the interval the networks were trained on; outside it the solution
  /// is an extrapolation, whose error grows quickly.
  bool contains(Scalar t) const { return t >= t0_ && t <= t1_; }
  Scalar t0() const { return t0_; }
  Scalar t1() const { return t1_; }
  /// The networks, one for a scalar problem, one per component for a system.
  const std::vector<Network>& networks() const { return networks_; }

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
  SolutionBase(std::vector<Network> networks, Scalar t0, Scalar t1)
      : t0_(t0), t1_(t1), networks_(std::move(networks)) {
    if (networks_.empty()) throw std::invalid_argument("Solution: no network given");
    if (!(t1_ > t0_)) throw std::invalid_argument("Solution: t1 must be greater than t0");
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

  Scalar t0_;
  Scalar t1_;
  std::vector<Network> networks_;
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
      : Base(std::move(networks), t0, t1), trial_(trial) {
    detail::check_trial_interval(trial_, t0, t1);
    if (this->networks().size() != 1) {
      throw std::invalid_argument("Solution: a scalar solution has 1 network, got " +
                                  std::to_string(this->networks().size()));
    }
  }
  /// The trial form with the network `network` on \f$[t_0, t_1]\f$; throws `std::invalid_argument` unless
  /// t1 > t0 and the trial form holds its conditions at the interval's ends.
  Solution(const Trial& trial, const Network& network, Scalar t0, Scalar t1)
      : Solution(trial, std::vector<Network>{network}, t0, t1) {}

  /// \f$y, y', y''\f$ at \f$t\f$; defined for every \f$t\f$, trained on \f$[t_0, t_1]\f$.
  TrialValues<Scalar> evaluate(Scalar t) const { return detail::combine(trial_.basis(t), network().evaluate(t)); }

  /// Calls `visit(i, evaluate(t[i]))` for every entry of `t`, in order, computed a run of equally spaced
  /// points at a time (`detail::NetworkBatch`): on a grid, one exponential per unit in every 16 points,
  /// with an accuracy like that of `evaluate`. What the array forms of `value` and the others use. Only the
  /// derivatives up to `order` (0, 1 or 2) are computed; the others are left incomplete.
  template <typename T, typename Visit>
  void evaluate_each(const Eigen::DenseBase<T>& t, Visit&& visit, int order = 2) const {
    detail::NetworkBatch<Scalar, Hidden> batch(network().hidden_units());
    batch.run(network(), t.derived(), order, [this, &t, &visit](Eigen::Index i, const NetworkValues<Scalar>& n) {
      visit(i, detail::combine(trial_.basis(static_cast<Scalar>(t.derived().coeff(i))), n));
    });
  }

  /// Number of components: 1.
  Eigen::Index components() const { return 1; }
  /// The network \f$N\f$.
  const Network& network() const { return this->networks().front(); }
  /// The trial form: \f$A\f$ and \f$B\f$ of \f$y = A + B N\f$.
  const Trial& trial() const { return trial_; }

 private:
  Trial trial_;
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
      : Base(std::move(networks), t0, t1), trial_(trial) {
    detail::check_trial_interval(trial_, t0, t1);
    if (trial_.components() < 1 || static_cast<std::size_t>(trial_.components()) != this->networks().size()) {
      throw std::invalid_argument("SystemSolution: y0 has " + std::to_string(trial_.components()) +
                                  " entries but there are " + std::to_string(this->networks().size()) + " networks");
    }
  }

  /// \f$y, y', y''\f$ at \f$t\f$, each in \f$\mathbb{R}^n\f$; defined for every \f$t\f$, trained on \f$[t_0, t_1]\f$.
  TrialValues<Value> evaluate(Scalar t) const {
    TrialValues<Value> out{Value(components()), Value(components()), Value(components())};
    for (Eigen::Index j = 0; j < components(); ++j) {
      const TrialValues<Scalar> y = detail::combine(trial_.component(j).basis(t), network(j).evaluate(t));
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
  Eigen::Index components() const { return trial_.components(); }
  /// The network of component j (from 0).
  const Network& network(Eigen::Index j) const { return this->networks().at(static_cast<std::size_t>(j)); }
  /// Component j (from 0) as a scalar solution.
  Component component(Eigen::Index j) const { return Component(trial_.component(j), network(j), this->t0(), this->t1()); }
  /// The trial form: \f$t_0\f$ and \f$y_0\f$ of \f$y_j = y_{0j} + (t - t_0) N_j\f$.
  const Trial& trial() const { return trial_; }

 private:
  Trial trial_;
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
