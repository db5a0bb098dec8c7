// SPDX-License-Identifier: MIT
// Where a fit starts: the seeded, symmetry-breaking initialisation, or the user's weights, and the steeper
// units that some methods want. Decided here, in one function, for every family and method.
#pragma once

#include <Eigen/Core>

#include "../approximation/network.hpp"
#include "../approximation/weights.hpp"
#include "../methods/method.hpp"
#include "options.hpp"

namespace trialode {
namespace detail {

/// The weights `start` of one network with every unit that repeats an earlier unit exactly replaced by that
/// unit's weights in `fallback`: identical units get identical gradients and would never separate.
template <typename Start, typename Weights>
Weights break_symmetry(const Start& start, const Weights& fallback) {
  Weights out = start;
  const WeightLayout layout(out.size() / 3);
  for (Eigen::Index k = 1; k < layout.hidden_units(); ++k) {
    for (Eigen::Index j = 0; j < k; ++j) {
      if (out[layout.v_index(0, k)] == out[layout.v_index(0, j)] && out[layout.w_index(0, k)] == out[layout.w_index(0, j)] &&
          out[layout.u_index(0, k)] == out[layout.u_index(0, j)]) {
        for (const Eigen::Index index : {layout.v_index(0, k), layout.w_index(0, k), layout.u_index(0, k)}) {
          out[index] = fallback[index];
        }
        break;
      }
    }
  }
  return out;
}

/// The factor by which a method multiplies the input weights and biases of the seeded initialisation
/// before it fits: 2 for variable projection, `quasilinearization.slope_factor` for quasilinearization
/// (the same centres, steeper units: gentle ones make the projected problem so ill-conditioned that the
/// fit stalls, measured), 1 for the others.
template <typename Scalar>
Scalar steepening(const SolveOptions<Scalar>& options) {
  switch (options.method) {
    case Method::variable_projection: return Scalar(2);
    case Method::quasilinearization: return options.quasilinearization.slope_factor;
    default: return Scalar(1);
  }
}

/// The starting weights of one start, laid out as `layout` says: every network's seeded initialisation on
/// \f$[t_0, t_1]\f$ (seed `start.seed`), steepened as the method wants (`steepening`), or for random
/// features, and for `Start::random_features`, the drawn hidden layer (`SigmoidNetwork::draw_features`, the
/// same for every network); or, when
/// `start.initial_weights` is given, those weights as they are, with repeated units of each network
/// replaced by the seeded ones (`break_symmetry`).
template <typename Network, typename Parameters, typename Scalar>
Parameters starting_weights(const WeightLayout& layout, const SolveOptions<Scalar>& start, Scalar t0, Scalar t1) {
  Network network(layout.hidden_units());
  const bool features = start.method == Method::random_features || start.start == Start::random_features;
  if (features) {
    const RandomFeaturesParameters<Scalar>& rule = start.random_features;
    network.draw_features(start.seed, t0, t1, rule.slope_min, rule.steepest(layout.hidden_units()), rule.bias_range);
  } else {
    network.initialize(start.seed, t0, t1);
  }
  Parameters weights(layout.size());
  const bool given = start.initial_weights.size() != 0;
  const Scalar factor = steepening(start);
  for (Eigen::Index k = 0; k < layout.networks(); ++k) {
    if (given) {
      layout.network(weights, k) = break_symmetry(layout.network(start.initial_weights, k), network.parameters());
    } else {
      layout.network(weights, k) = network.parameters();
      if (factor != Scalar(1) && !features) layout.theta(weights, k) *= factor;
    }
  }
  return weights;
}

}  // namespace detail
}  // namespace trialode
