// SPDX-License-Identifier: MIT
// One network's N, N', N'' at many points, a run of equally spaced points at a time, on the SIMD path of the
// cost (SigmoidBlock): what evaluating a solution on a grid and checking its residual between the points need.
#pragma once

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <limits>

#include "../network.hpp"

namespace trialode {
namespace detail {

/// The number of points from `first` on (at most `most`, at least 1) that lie on one line
/// \f$t_{first} + j h\f$, each to within 8 units in the last place of the larger end, measured from
/// `origin` (the points as a network with that origin sees them, \f$t - \tau\f$); \f$h\f$ goes to
/// `spacing` (0 for a single point, or when the points do not increase). Runs shorter than 4 points count
/// as single points: their own exponentials cost no more than a recurrence's.
template <typename Points, typename Scalar>
Eigen::Index equally_spaced_run(const Points& t, Eigen::Index first, Eigen::Index most, Scalar& spacing,
                                Scalar origin = Scalar(0)) {
  using std::abs;
  using std::isfinite;
  const Eigen::Index size = t.size();
  spacing = Scalar(0);
  if (first + 1 >= size || most < 2) return 1;
  const Scalar start = static_cast<Scalar>(t.coeff(first)) - origin;
  const Scalar step = static_cast<Scalar>(t.coeff(first + 1)) - origin - start;
  if (!(isfinite(start) && isfinite(step) && step > Scalar(0))) return 1;
  const Scalar eps = std::numeric_limits<Scalar>::epsilon();
  Eigen::Index count = 2;
  while (first + count < size && count < most) {
    const Scalar ti = static_cast<Scalar>(t.coeff(first + count)) - origin;
    if (!isfinite(ti)) break;
    const Scalar slack = Scalar(8) * eps * std::max(abs(start), abs(ti));
    if (!(abs(ti - (start + static_cast<Scalar>(count) * step)) <= slack)) break;
    ++count;
  }
  if (count < 4) return 1;
  spacing = (static_cast<Scalar>(t.coeff(first + count - 1)) - origin - start) / static_cast<Scalar>(count - 1);
  return count;
}

/// Evaluates one network at many points: \f$N, N', N''\f$ at every entry of an array, in runs of up to
/// `block_rows` equally spaced points (`equally_spaced_run`). In a run \f$t_0 + j\delta\f$ a unit's
/// exponentials \f$e_j = \exp(-(w t_j + u))\f$ are computed directly at every 16th point and as
/// \f$e_{16a} \rho^{j - 16a}\f$ with \f$\rho = \exp(-w\delta)\f$ between (the powers of \f$\rho\f$ once per
/// unit and run, so that no product waits for the one before): each power adds about \f$1 + |w\delta|\f$
/// units in the last place, as much as the rounding of \f$w t + u\f$ costs a direct evaluation at
/// \f$|w t + u| \approx 16\f$. A unit whose \f$|w t + u|\f$ exceeds 0.3 `max_exponent` at an end of the run
/// (307 in double), and every point outside a run, gets its own exponential. A grid of equally spaced
/// points, or the check grid of a solve, costs a fraction of point-by-point evaluation. Then
/// \f$s = 1/(1 + e)\f$, \f$s' = s(1 - s)\f$, \f$s'' = s'(1 - 2s)\f$ on SIMD packets. The workspace is sized at
/// construction: its arrays are fixed-size, and neither it nor `run` allocates.
template <typename Scalar, int Hidden>
class NetworkBatch {
  using Packet = typename Eigen::internal::packet_traits<Scalar>::type;
  static constexpr Eigen::Index packet = Eigen::internal::packet_traits<Scalar>::size;

 public:
  using Network = SigmoidNetwork<Scalar, Hidden>;
  /// Most points of a run: a whole number of anchor spans and SIMD packets.
  static constexpr Eigen::Index block_rows = 64;
  /// Points per directly computed exponential in a run.
  static constexpr Eigen::Index anchor_span = 16;

  explicit NetworkBatch(Eigen::Index hidden) : hidden_(hidden) {}

  /// Calls `visit(i, values)` with the `NetworkValues` of `network` at `t[i]`, for every i in order.
  /// Derivatives up to `order` (0, 1 or 2) are computed, the others left 0. Points outside runs are gathered into
  /// blocks of their own (up to `block_rows`), each with its own exponentials.
  template <typename Points, typename Visit>
  void run(const Network& network, const Points& t, int order, Visit&& visit) {
    run_blocks<false>(network, t, order, [&visit](Eigen::Index i, const NetworkValues<Scalar>& values, Scalar, Scalar) {
      visit(i, values);
    });
  }

  /// `run`, and with each point the sizes of the terms the network's value and first derivative add up,
  /// \f$\sum_k |v_k| s_k\f$ and \f$\sum_k |v_k w_k| s_k\f$ (which bounds \f$\sum_k |v_k w_k s'_k|\f$):
  /// `visit(i, values, size, slope_size)`. What the rounding term of an error bound needs, from the same
  /// exponentials.
  template <typename Points, typename Visit>
  void run_with_sizes(const Network& network, const Points& t, int order, Visit&& visit) {
    run_blocks<true>(network, t, order, visit);
  }

 private:
  template <bool Sizes, typename Points, typename Visit>
  void run_blocks(const Network& network, const Points& t, int order, Visit&& visit) {
    namespace ei = Eigen::internal;
    using std::abs;
    using std::exp;
    constexpr Scalar safe = Scalar(0.3) * Scalar(std::numeric_limits<Scalar>::max_exponent);
    const Eigen::Index h = hidden_;
    const Scalar* v = network.parameters().data() + network.layout().v_index(0);
    const Scalar* w = network.parameters().data() + network.layout().w_index(0);
    const Scalar* u = network.parameters().data() + network.layout().u_index(0);
    const Scalar origin = network.origin();
    const Packet one = ei::pset1<Packet>(Scalar(1));
    const Packet two = ei::pset1<Packet>(Scalar(2));
    const Packet zero = ei::pset1<Packet>(Scalar(0));
    Scalar powers[anchor_span];
    Eigen::Index first = 0;
    while (first < t.size()) {
      Scalar spacing(0);
      Eigen::Index count = equally_spaced_run(t, first, block_rows, spacing, origin);
      if (count == 1) {  // gather the points up to the next run into one block, evaluated point by point
        Scalar next(0);
        while (first + count < t.size() && count < block_rows &&
               equally_spaced_run(t, first + count, block_rows, next, origin) == 1) {
          ++count;
        }
      }
      const Eigen::Index rows = (count + packet - 1) / packet * packet;
      for (Eigen::Index i = 0; i < rows; ++i) {
        t_[i] = static_cast<Scalar>(t.coeff(first + std::min(i, count - 1))) - origin;
      }
      for (Eigen::Index i = 0; i < rows; i += packet) {
        ei::pstoreu(n_.data() + i, zero);
        ei::pstoreu(dn_.data() + i, zero);
        ei::pstoreu(d2n_.data() + i, zero);
        if constexpr (Sizes) {
          ei::pstoreu(size_.data() + i, zero);
          ei::pstoreu(slope_size_.data() + i, zero);
        }
      }
      for (Eigen::Index k = 0; k < h; ++k) {
        const bool recurrence = spacing > Scalar(0) && abs(w[k] * t_[0] + u[k]) < safe &&
                                abs(w[k] * t_[count - 1] + u[k]) < safe && abs(w[k] * spacing) < safe;
        if (recurrence) {
          const Scalar ratio = exp(-w[k] * spacing);
          powers[0] = Scalar(1);
          for (Eigen::Index j = 1; j < anchor_span; ++j) powers[j] = powers[j - 1] * ratio;
          for (Eigen::Index a = 0; a < rows; a += anchor_span) {
            const Scalar anchor = exp(-(w[k] * t_[a] + u[k]));
            const Eigen::Index end = std::min(rows, a + anchor_span);
            for (Eigen::Index i = a; i < end; ++i) e_[i] = anchor * powers[i - a];
          }
        } else {
          for (Eigen::Index i = 0; i < rows; ++i) e_[i] = exp(-(w[k] * t_[i] + u[k]));
        }
        const Packet vk = ei::pset1<Packet>(v[k]);
        const Packet vw = ei::pset1<Packet>(v[k] * w[k]);
        const Packet vww = ei::pset1<Packet>(v[k] * w[k] * w[k]);
        const Packet abs_v = ei::pset1<Packet>(abs(v[k]));
        const Packet abs_vw = ei::pset1<Packet>(abs(v[k] * w[k]));
        for (Eigen::Index i = 0; i < rows; i += packet) {
          const Packet s = ei::pdiv(one, ei::padd(one, ei::ploadu<Packet>(e_.data() + i)));
          ei::pstoreu(n_.data() + i, ei::padd(ei::ploadu<Packet>(n_.data() + i), ei::pmul(vk, s)));
          if constexpr (Sizes) {
            ei::pstoreu(size_.data() + i, ei::padd(ei::ploadu<Packet>(size_.data() + i), ei::pmul(abs_v, s)));
            ei::pstoreu(slope_size_.data() + i, ei::padd(ei::ploadu<Packet>(slope_size_.data() + i), ei::pmul(abs_vw, s)));
          }
          if (order < 1) continue;
          const Packet s1 = ei::pmul(s, ei::psub(one, s));
          ei::pstoreu(dn_.data() + i, ei::padd(ei::ploadu<Packet>(dn_.data() + i), ei::pmul(vw, s1)));
          if (order < 2) continue;
          const Packet s2 = ei::pmul(s1, ei::psub(one, ei::pmul(two, s)));
          ei::pstoreu(d2n_.data() + i, ei::padd(ei::ploadu<Packet>(d2n_.data() + i), ei::pmul(vww, s2)));
        }
      }
      for (Eigen::Index i = 0; i < count; ++i) {
        NetworkValues<Scalar> values;
        values.n = n_[i];
        values.dn = dn_[i];
        values.d2n = d2n_[i];
        if constexpr (Sizes) {
          visit(first + i, values, size_[i], slope_size_[i]);
        } else {
          visit(first + i, values, Scalar(0), Scalar(0));
        }
      }
      first += count;
    }
  }

  using Column = Eigen::Matrix<Scalar, block_rows, 1>;  // on the stack: the object allocates nothing
  Eigen::Index hidden_;
  Column t_;             ///< the run's points less the network's origin, padded with its last
  Column e_;             ///< one unit's exponentials at the run's points
  Column n_, dn_, d2n_;  ///< \f$N, N', N''\f$ at the run's points
  Column size_, slope_size_;  ///< \f$\sum_k |v_k| s_k\f$, \f$\sum_k |v_k w_k| s_k\f$ (`run_with_sizes`)
};

}  // namespace detail
}  // namespace trialode
