// SPDX-License-Identifier: MIT
// The single-hidden-layer sigmoid network N(t) = sum_k v_k s(w_k t + u_k) of Lagaris, Likas & Fotiadis
// (1998), with its first two derivatives in t and a deterministic, symmetry-breaking initialisation.
#pragma once

#include <Eigen/Core>

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "detail/random.hpp"
#include "weights.hpp"

namespace trialode {

namespace detail {

/// The logistic sigmoid \f$s(z) = 1/(1+e^{-z})\f$ and its first three derivatives, written in terms
/// of \f$s\f$ itself so that one exponential serves all four:
/// \f$s' = s(1-s)\f$, \f$s'' = s'(1-2s)\f$, \f$s''' = s''(1-2s) - 2s'^2\f$.
/// For large \f$|z|\f$ the exponential overflows to infinity and \f$s\f$ becomes exactly 0 or 1: never NaN.
template <typename Scalar>
inline Scalar sigmoid(Scalar z) {
  using std::exp;
  return Scalar(1) / (Scalar(1) + exp(-z));
}

}  // namespace detail

/// Values of a network and of its first two derivatives at one point.
template <typename Scalar>
struct NetworkValues {
  Scalar n = Scalar(0);    ///< \f$N(t)\f$
  Scalar dn = Scalar(0);   ///< \f$N'(t)\f$
  Scalar d2n = Scalar(0);  ///< \f$N''(t)\f$
};

/// A single hidden layer of \f$H\f$ sigmoid units with a linear output and no output bias:
/// \f[ N(t) = \sum_{k=1}^{H} v_k\, s(w_k (t - \tau) + u_k), \quad
///     N'(t) = \sum_k v_k w_k\, s'(z_k), \quad N''(t) = \sum_k v_k w_k^2\, s''(z_k), \f]
/// with \f$z_k = w_k (t - \tau) + u_k\f$ (Lagaris, Likas & Fotiadis, IEEE Trans. Neural Networks 9(5), 1998).
/// The origin \f$\tau\f$ (`origin()`, 0 unless given) is not a weight: it is the same network as
/// \f$s(w_k t + (u_k - w_k \tau))\f$, kept apart so that the biases of a network trained far from 0 (on
/// \f$[10^6, 10^6 + 1]\f$, say) are not rounded into the large \f$w_k \tau\f$ when it is evaluated.
///
/// The \f$3H\f$ weights are stored in one vector laid out as `WeightLayout` says (\f$(v, w, u)\f$);
/// `v()`, `w()` and `u()` are views into it. `Hidden` is the number of units when it is known at compile time, or `Eigen::Dynamic`.
template <typename Scalar, int Hidden = Eigen::Dynamic>
class SigmoidNetwork {
  static_assert(Hidden == Eigen::Dynamic || Hidden > 0, "SigmoidNetwork: Hidden must be positive or Eigen::Dynamic");

 public:
  /// Number of units, \f$H\f$, when known at compile time, else `Eigen::Dynamic`.
  static constexpr int hidden_at_compile_time = Hidden;
  /// Number of weights, \f$3H\f$, when known at compile time.
  static constexpr int parameter_size = Hidden == Eigen::Dynamic ? Eigen::Dynamic : 3 * Hidden;
  /// The \f$3H\f$ weights in one vector, ordered \f$(v, w, u)\f$ as `WeightLayout` says.
  using Parameters = Eigen::Matrix<Scalar, parameter_size, 1>;
  /// An array of \f$H\f$ entries, one per unit.
  using UnitArray = Eigen::Array<Scalar, Hidden, 1>;
  /// A writable view of \f$H\f$ weights in `Parameters`, one per unit: \f$v\f$, \f$w\f$ or \f$u\f$.
  using UnitView = Eigen::VectorBlock<Parameters, Hidden>;
  /// A read-only view of \f$H\f$ weights in `Parameters`, one per unit: \f$v\f$, \f$w\f$ or \f$u\f$.
  using ConstUnitView = Eigen::VectorBlock<const Parameters, Hidden>;
  /// The seed used when none is given.
  static constexpr std::uint64_t default_seed = 1;

  /// A network with `hidden` units, initialised by `initialize(default_seed, 0, 1)`.
  /// For a fixed `Hidden` the argument may be left out; if given it must equal `Hidden`.
  explicit SigmoidNetwork(Eigen::Index hidden = Hidden) : hidden_(checked_hidden(hidden)), params_(WeightLayout(hidden_).size()) {
    initialize(default_seed);
  }

  /// A network with `hidden` units and the given weights, ordered \f$(v, w, u)\f$, at the origin \f$\tau\f$
  /// = `origin` (0 by default); throws `std::invalid_argument` unless the origin is finite.
  SigmoidNetwork(Eigen::Index hidden, const Parameters& parameters, Scalar origin = Scalar(0))
      : hidden_(checked_hidden(hidden)), origin_(checked_origin(origin)) {
    set_parameters(parameters);
  }

  /// Number of units, \f$H\f$.
  Eigen::Index hidden_units() const { return hidden_; }
  /// Number of weights, \f$3H\f$.
  Eigen::Index parameter_count() const { return layout().size(); }
  /// Where \f$v\f$, \f$w\f$ and \f$u\f$ sit in `parameters()`.
  WeightLayout layout() const { return WeightLayout(hidden_); }
  /// The origin \f$\tau\f$ of the input: unit \f$k\f$ is \f$s(w_k (t - \tau) + u_k)\f$.
  Scalar origin() const { return origin_; }

  /// All \f$3H\f$ weights, ordered \f$(v, w, u)\f$.
  const Parameters& parameters() const { return params_; }
  /// Replaces all weights; throws `std::invalid_argument` if the size is not \f$3H\f$.
  void set_parameters(const Parameters& parameters) {
    if (parameters.size() != parameter_count()) {
      throw std::invalid_argument("SigmoidNetwork::set_parameters: expected " + std::to_string(parameter_count()) +
                                  " weights (v, w, u), got " + std::to_string(parameters.size()));
    }
    params_ = parameters;
  }

  /// Output weights \f$v_k\f$, writable.
  UnitView v() { return UnitView(params_, layout().v_index(0), hidden_); }
  /// Output weights \f$v_k\f$.
  ConstUnitView v() const { return ConstUnitView(params_, layout().v_index(0), hidden_); }
  /// Input weights \f$w_k\f$, writable.
  UnitView w() { return UnitView(params_, layout().w_index(0), hidden_); }
  /// Input weights \f$w_k\f$.
  ConstUnitView w() const { return ConstUnitView(params_, layout().w_index(0), hidden_); }
  /// Biases \f$u_k\f$, writable.
  UnitView u() { return UnitView(params_, layout().u_index(0), hidden_); }
  /// Biases \f$u_k\f$.
  ConstUnitView u() const { return ConstUnitView(params_, layout().u_index(0), hidden_); }

  /// Deterministic initialisation that breaks the symmetry between units, suited to inputs in
  /// \f$[t_0, t_1]\f$. Unit \f$k\f$ gets a transition centre \f$c_k\f$ drawn in the \f$k\f$-th of \f$H\f$
  /// equal slices of the interval, a gentle slope \f$w_k = \pm a_k / (t_1 - t_0)\f$ with alternating sign
  /// and \f$a_k\f$ uniform in \f$[1/2, 1]\f$, \f$u_k = -w_k c_k\f$, and a small output weight \f$v_k\f$
  /// uniform in \f$[-1/2, 1/2]\f$. The same seed gives the same weights on every platform.
  /// (All-zero weights are a trap: with exact gradients every unit stays identical. Steep initial
  /// slopes, 2 to 6 transitions per interval, measured worse: they make the cost ill-conditioned.)
  void initialize(std::uint64_t seed, Scalar t0 = Scalar(0), Scalar t1 = Scalar(1)) {
    using std::isfinite;
    if (!(isfinite(t0) && isfinite(t1) && t1 > t0)) {
      throw std::invalid_argument("SigmoidNetwork::initialize: need finite t0 < t1");
    }
    detail::SplitMix64 random(seed);
    const double t0d = static_cast<double>(t0);
    const double length = static_cast<double>(t1) - t0d;
    const auto h = static_cast<double>(hidden_);
    for (Eigen::Index k = 0; k < hidden_; ++k) {
      const double centre = t0d + length * (static_cast<double>(k) + random.uniform()) / h;
      const double sign = (k % 2 == 0) ? 1.0 : -1.0;
      const double slope = sign * random.uniform(0.5, 1.0) / length;
      params_[layout().v_index(0, k)] = static_cast<Scalar>(random.uniform(-0.5, 0.5));
      params_[layout().w_index(0, k)] = static_cast<Scalar>(slope);
      params_[layout().u_index(0, k)] = static_cast<Scalar>(-slope * centre);
    }
  }

  /// The hidden layer of random features (X-TFC, Schiassi et al. 2021; PIELM, Dwivedi & Srinivasan 2020),
  /// drawn from `seed` on the normalized time \f$z = (t - t_0)/(t_1 - t_0)\f$: unit \f$k\f$ is
  /// \f$s(W_k z + B_k)\f$, with the slopes stratified on a logarithmic scale and the biases on a Latin
  /// hypercube, so that every draw spreads its units over gentle and steep slopes and over the interval:
  /// \f$|W_k| = a (b/a)^{(k + U)/H}\f$ with \f$a\f$ = `slope_min`, \f$b\f$ = `slope_max`, a random sign, and
  /// \f$B_k = \beta (2 (\pi_k + U)/H - 1)\f$ with \f$\beta\f$ = `bias_range` and \f$\pi\f$ a random
  /// permutation of \f$0..H-1\f$ (each \f$U\f$ a fresh uniform draw in \f$[0, 1)\f$; the permutation is
  /// drawn first, by Fisher-Yates from the last entry down, then for each unit \f$|W_k|\f$, its sign and
  /// \f$B_k\f$). In the time \f$t\f$: \f$w_k = W_k/(t_1 - t_0)\f$, \f$u_k = B_k - w_k t_0\f$. The output
  /// weights are 0. The same seed gives the same weights wherever the C library's `pow` gives the same
  /// results (the rest is IEEE arithmetic on 53-bit uniform draws).
  void draw_features(std::uint64_t seed, Scalar t0, Scalar t1, Scalar slope_min, Scalar slope_max, Scalar bias_range) {
    using std::isfinite;
    if (!(isfinite(t0) && isfinite(t1) && t1 > t0)) {
      throw std::invalid_argument("SigmoidNetwork::draw_features: need finite t0 < t1");
    }
    if (!(slope_min > Scalar(0) && slope_max >= slope_min && isfinite(slope_max))) {
      throw std::invalid_argument("SigmoidNetwork::draw_features: need finite slopes 0 < slope_min <= slope_max");
    }
    if (!(bias_range >= Scalar(0) && isfinite(bias_range))) {
      throw std::invalid_argument("SigmoidNetwork::draw_features: bias_range must be finite and non-negative");
    }
    detail::SplitMix64 random(seed);
    std::vector<Eigen::Index> order(static_cast<std::size_t>(hidden_));
    for (Eigen::Index k = 0; k < hidden_; ++k) order[static_cast<std::size_t>(k)] = k;
    for (Eigen::Index k = hidden_ - 1; k >= 1; --k) {
      const auto j = static_cast<Eigen::Index>(random.uniform() * static_cast<double>(k + 1));
      std::swap(order[static_cast<std::size_t>(k)], order[static_cast<std::size_t>(std::min(j, k))]);
    }
    const double t0d = static_cast<double>(t0);
    const double length = static_cast<double>(t1) - t0d;
    const double a = static_cast<double>(slope_min);
    const double ratio = static_cast<double>(slope_max) / a;
    const double beta = static_cast<double>(bias_range);
    const auto h = static_cast<double>(hidden_);
    for (Eigen::Index k = 0; k < hidden_; ++k) {
      const double magnitude = a * std::pow(ratio, (static_cast<double>(k) + random.uniform()) / h);
      const double slope = (random.uniform() < 0.5 ? -magnitude : magnitude) / length;
      const double bias =
          beta * (2.0 * (static_cast<double>(order[static_cast<std::size_t>(k)]) + random.uniform()) / h - 1.0);
      params_[layout().v_index(0, k)] = Scalar(0);
      params_[layout().w_index(0, k)] = static_cast<Scalar>(slope);
      params_[layout().u_index(0, k)] = static_cast<Scalar>(bias - slope * t0d);
    }
  }

  /// \f$N(t)\f$.
  Scalar value(Scalar t) const {
    return ((w().array() * (t - origin_) + u().array()).unaryExpr(&detail::sigmoid<Scalar>) * v().array()).sum();
  }

  /// \f$N(t)\f$, \f$N'(t)\f$ and \f$N''(t)\f$ together, sharing one exponential per unit.
  NetworkValues<Scalar> evaluate(Scalar t) const {
    NetworkValues<Scalar> out;
    const auto v_ = v();
    const auto w_ = w();
    const auto u_ = u();
    const Scalar x = t - origin_;
    for (Eigen::Index k = 0; k < hidden_; ++k) {
      const Scalar s = detail::sigmoid(w_[k] * x + u_[k]);
      const Scalar s1 = s * (Scalar(1) - s);
      const Scalar s2 = s1 * (Scalar(1) - Scalar(2) * s);
      out.n += v_[k] * s;
      out.dn += v_[k] * w_[k] * s1;
      out.d2n += v_[k] * w_[k] * w_[k] * s2;
    }
    return out;
  }

  /// \f$N'(t) = \sum_k v_k w_k\, s'(w_k t + u_k)\f$.
  Scalar derivative(Scalar t) const { return evaluate(t).dn; }
  /// \f$N''(t) = \sum_k v_k w_k^2\, s''(w_k t + u_k)\f$.
  Scalar second_derivative(Scalar t) const { return evaluate(t).d2n; }

  /// \f$N\f$ at every entry of an array of inputs.
  template <typename Derived>
  Eigen::Array<Scalar, Derived::SizeAtCompileTime, 1> value(const Eigen::ArrayBase<Derived>& t) const {
    return map(t, [](const NetworkValues<Scalar>& r) { return r.n; });
  }
  /// \f$N'\f$ at every entry of an array of inputs.
  template <typename Derived>
  Eigen::Array<Scalar, Derived::SizeAtCompileTime, 1> derivative(const Eigen::ArrayBase<Derived>& t) const {
    return map(t, [](const NetworkValues<Scalar>& r) { return r.dn; });
  }
  /// \f$N''\f$ at every entry of an array of inputs.
  template <typename Derived>
  Eigen::Array<Scalar, Derived::SizeAtCompileTime, 1> second_derivative(const Eigen::ArrayBase<Derived>& t) const {
    return map(t, [](const NetworkValues<Scalar>& r) { return r.d2n; });
  }

 private:
  static Eigen::Index checked_hidden(Eigen::Index hidden) {
    if (hidden < 1) {
      throw std::invalid_argument("SigmoidNetwork: hidden units must be at least 1, got " + std::to_string(hidden));
    }
    if (Hidden != Eigen::Dynamic && hidden != Hidden) {
      throw std::invalid_argument("SigmoidNetwork: hidden units " + std::to_string(hidden) +
                                  " differ from the compile-time size " + std::to_string(Hidden));
    }
    return hidden;
  }
  static Scalar checked_origin(Scalar origin) {
    using std::isfinite;
    if (!isfinite(origin)) throw std::invalid_argument("SigmoidNetwork: the origin must be finite");
    return origin;
  }

  template <typename Derived, typename Pick>
  Eigen::Array<Scalar, Derived::SizeAtCompileTime, 1> map(const Eigen::ArrayBase<Derived>& t, Pick pick) const {
    Eigen::Array<Scalar, Derived::SizeAtCompileTime, 1> out(t.size());
    for (Eigen::Index i = 0; i < t.size(); ++i) out[i] = pick(evaluate(static_cast<Scalar>(t.derived().coeff(i))));
    return out;
  }

  Eigen::Index hidden_;
  Scalar origin_ = Scalar(0);
  Parameters params_;
};

}  // namespace trialode
