// SPDX-License-Identifier: MIT
// The one layout of the weights in a vector: n networks of H units, one after the other, each ordered
// (v, w, u). Every stage that reads or writes weights asks this type where they are.
#pragma once

#include <Eigen/Core>

#include <stdexcept>
#include <string>

namespace trialode {

/// Where the weights of \f$n\f$ networks of \f$H\f$ sigmoid units sit in one vector of \f$3Hn\f$ entries:
/// network \f$k\f$ (from 0) occupies \f$[3Hk, 3H(k+1))\f$, its output weights \f$v\f$ first, then the input
/// weights \f$w\f$, then the biases \f$u\f$. The nonlinear weights \f$\theta\f$ of a network are its
/// \f$(w, u)\f$, \f$2H\f$ contiguous entries. A scalar problem has one network, a system of \f$n\f$
/// equations \f$n\f$.
class WeightLayout {
 public:
  /// Throws `std::invalid_argument` unless `hidden` and `networks` are at least 1.
  explicit WeightLayout(Eigen::Index hidden, Eigen::Index networks = 1) : hidden_(hidden), networks_(networks) {
    if (hidden < 1) throw std::invalid_argument("WeightLayout: hidden units must be at least 1, got " + std::to_string(hidden));
    if (networks < 1) throw std::invalid_argument("WeightLayout: networks must be at least 1, got " + std::to_string(networks));
  }

  /// Units per network, \f$H\f$.
  Eigen::Index hidden_units() const { return hidden_; }
  /// Number of networks, \f$n\f$.
  Eigen::Index networks() const { return networks_; }
  /// Weights of one network, \f$3H\f$.
  Eigen::Index per_network() const { return 3 * hidden_; }
  /// All weights, \f$3Hn\f$.
  Eigen::Index size() const { return 3 * hidden_ * networks_; }
  /// All units, \f$Hn\f$: the number of output weights.
  Eigen::Index units() const { return hidden_ * networks_; }

  /// Index of the first weight of network k.
  Eigen::Index network_start(Eigen::Index k) const { return 3 * hidden_ * k; }
  /// Index of the output weight \f$v\f$ of unit `unit` of network k.
  Eigen::Index v_index(Eigen::Index k, Eigen::Index unit = 0) const { return network_start(k) + unit; }
  /// Index of the input weight \f$w\f$ of unit `unit` of network k.
  Eigen::Index w_index(Eigen::Index k, Eigen::Index unit = 0) const { return network_start(k) + hidden_ + unit; }
  /// Index of the bias \f$u\f$ of unit `unit` of network k.
  Eigen::Index u_index(Eigen::Index k, Eigen::Index unit = 0) const { return network_start(k) + 2 * hidden_ + unit; }

  /// The \f$3H\f$ weights of network k of `p`, a writable view when `p` is.
  template <typename Vector>
  auto network(Vector& p, Eigen::Index k) const { return p.segment(network_start(k), 3 * hidden_); }
  /// The \f$H\f$ output weights \f$v\f$ of network k.
  template <typename Vector>
  auto v(Vector& p, Eigen::Index k = 0) const { return p.segment(v_index(k), hidden_); }
  /// The \f$H\f$ input weights \f$w\f$ of network k.
  template <typename Vector>
  auto w(Vector& p, Eigen::Index k = 0) const { return p.segment(w_index(k), hidden_); }
  /// The \f$H\f$ biases \f$u\f$ of network k.
  template <typename Vector>
  auto u(Vector& p, Eigen::Index k = 0) const { return p.segment(u_index(k), hidden_); }
  /// The \f$2H\f$ nonlinear weights \f$(w, u)\f$ of network k.
  template <typename Vector>
  auto theta(Vector& p, Eigen::Index k) const { return p.segment(w_index(k), 2 * hidden_); }

  /// The \f$2H\f$ entries of network k in a vector of every network's \f$\theta\f$, one network after the
  /// other (\f$2Hn\f$ entries).
  template <typename Vector>
  auto theta_part(Vector& theta, Eigen::Index k) const { return theta.segment(2 * hidden_ * k, 2 * hidden_); }
  /// The \f$H\f$ entries of network k in a vector of every network's \f$v\f$, one network after the other
  /// (\f$Hn\f$ entries).
  template <typename Vector>
  auto v_part(Vector& v, Eigen::Index k) const { return v.segment(hidden_ * k, hidden_); }
  /// The index in the full weights of entry j of a vector of every network's \f$\theta\f$.
  Eigen::Index theta_to_full(Eigen::Index j) const { return w_index(j / (2 * hidden_)) + j % (2 * hidden_); }
  /// The unit (from 0 to \f$Hn - 1\f$) that entry j of a vector of every network's \f$\theta\f$ belongs to.
  Eigen::Index unit_of_theta(Eigen::Index j) const { return hidden_ * (j / (2 * hidden_)) + j % hidden_; }
  /// The index in the full weights of the output weight of unit `unit` of all \f$Hn\f$.
  Eigen::Index v_of_unit(Eigen::Index unit) const { return v_index(unit / hidden_, unit % hidden_); }

 private:
  Eigen::Index hidden_;
  Eigen::Index networks_;
};

}  // namespace trialode
