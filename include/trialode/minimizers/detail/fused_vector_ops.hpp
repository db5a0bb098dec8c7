// SPDX-License-Identifier: MIT
// Fused passes over short contiguous vectors for L-BFGS: each does in one pass on SIMD packets what
// plain vector expressions do in several (an update of the direction and the dot product that follows
// it; the new pair s, y with its three dot products), summing in a fixed, documented order.
#pragma once

#include <Eigen/Core>

#include <array>

namespace trialode {
namespace detail {

/// Where a fused pass adds the last packet of partial sums when the number of whole packets is odd.
/// Both orders sum pairs of packets into two accumulators, add the two, reduce the packet to a scalar
/// and then add the scalar tail element by element.
enum class SumOrder {
  /// The unpaired packet goes into the first accumulator before the two are added: the order of the
  /// two-loop recursion's dot products.
  recursion,
  /// The unpaired packet is added after the two accumulators: the order of Eigen 3.4's `dot()` and
  /// `squaredNorm()` on dynamic-size vectors, so that a fused pass returns bit for bit what they return.
  eigen
};

/// One pass over the indices `[0, n)`, in packets of `Eigen::internal::packet_traits<Scalar>::size`:
/// `packet_step(j, sums)` for each whole packet starting at j, then `scalar_step(j, totals)` for each
/// remaining index. The steps add their `Count` products into `sums` (an array of packets) and `totals`
/// (of scalars); the packets are summed in the order `Order` and reduced into `totals`, which are returned.
template <SumOrder Order, int Count, typename Scalar, typename PacketStep, typename ScalarStep>
EIGEN_STRONG_INLINE std::array<Scalar, Count> fused_pass(Eigen::Index n, PacketStep&& packet_step,
                                                         ScalarStep&& scalar_step) {
  namespace ei = Eigen::internal;
  using Packet = typename ei::packet_traits<Scalar>::type;
  constexpr Eigen::Index size = ei::packet_traits<Scalar>::size;
  Packet sum0[Count];
  Packet sum1[Count];
  for (int k = 0; k < Count; ++k) sum0[k] = sum1[k] = ei::pset1<Packet>(Scalar(0));
  Eigen::Index j = 0;
  if constexpr (Order == SumOrder::eigen && !ei::packet_traits<Scalar>::Vectorizable) {
    // Eigen sums the scalars of a type it does not vectorize (long double) one after the other.
    for (; j < n; ++j) packet_step(j, sum0);
  }
  for (; j + 2 * size <= n; j += 2 * size) {
    packet_step(j, sum0);
    packet_step(j + size, sum1);
  }
  const bool unpaired = j + size <= n;
  if (Order == SumOrder::recursion && unpaired) packet_step(j, sum0);
  for (int k = 0; k < Count; ++k) sum0[k] = ei::padd(sum0[k], sum1[k]);
  if (Order == SumOrder::eigen && unpaired) packet_step(j, sum0);
  if (unpaired) j += size;
  std::array<Scalar, Count> totals;
  for (int k = 0; k < Count; ++k) totals[k] = ei::predux(sum0[k]);
  for (; j < n; ++j) scalar_step(j, totals);
  return totals;
}

/// `d = -g`, then returns \f$z^T d\f$. The first pass of the two-loop recursion: the direction starts
/// as the negative gradient and the first loop needs \f$s^T d\f$ at once.
template <SumOrder Order = SumOrder::recursion, typename Scalar>
Scalar negate_and_dot(Scalar* d, const Scalar* g, const Scalar* z, Eigen::Index n) {
  namespace ei = Eigen::internal;
  using Packet = typename ei::packet_traits<Scalar>::type;
  return fused_pass<Order, 1, Scalar>(
      n,
      [&](Eigen::Index j, Packet* sum) {
        const Packet dj = ei::pnegate(ei::ploadu<Packet>(g + j));
        ei::pstoreu(d + j, dj);
        sum[0] = ei::padd(sum[0], ei::pmul(ei::ploadu<Packet>(z + j), dj));
      },
      [&](Eigen::Index j, std::array<Scalar, 1>& total) {
        d[j] = -g[j];
        total[0] += z[j] * d[j];
      })[0];
}

/// `d += a * x`, then returns \f$z^T d\f$ of the updated `d`.
template <SumOrder Order = SumOrder::recursion, typename Scalar>
Scalar update_and_dot(Scalar* d, Scalar a, const Scalar* x, const Scalar* z, Eigen::Index n) {
  namespace ei = Eigen::internal;
  using Packet = typename ei::packet_traits<Scalar>::type;
  const Packet a_p = ei::pset1<Packet>(a);
  return fused_pass<Order, 1, Scalar>(
      n,
      [&](Eigen::Index j, Packet* sum) {
        const Packet dj = ei::padd(ei::ploadu<Packet>(d + j), ei::pmul(a_p, ei::ploadu<Packet>(x + j)));
        ei::pstoreu(d + j, dj);
        sum[0] = ei::padd(sum[0], ei::pmul(ei::ploadu<Packet>(z + j), dj));
      },
      [&](Eigen::Index j, std::array<Scalar, 1>& total) {
        d[j] += a * x[j];
        total[0] += z[j] * d[j];
      })[0];
}

/// `d = scale * (d + a * x)`, then returns \f$z^T d\f$ of the updated `d`. Joins the last update of the
/// first loop of the recursion to the scaling by \f$\gamma\f$ and the second loop's first dot product.
template <SumOrder Order = SumOrder::recursion, typename Scalar>
Scalar update_scale_and_dot(Scalar* d, Scalar a, const Scalar* x, Scalar scale, const Scalar* z, Eigen::Index n) {
  namespace ei = Eigen::internal;
  using Packet = typename ei::packet_traits<Scalar>::type;
  const Packet a_p = ei::pset1<Packet>(a);
  const Packet scale_p = ei::pset1<Packet>(scale);
  return fused_pass<Order, 1, Scalar>(
      n,
      [&](Eigen::Index j, Packet* sum) {
        Packet dj = ei::padd(ei::ploadu<Packet>(d + j), ei::pmul(a_p, ei::ploadu<Packet>(x + j)));
        dj = ei::pmul(scale_p, dj);
        ei::pstoreu(d + j, dj);
        sum[0] = ei::padd(sum[0], ei::pmul(ei::ploadu<Packet>(z + j), dj));
      },
      [&](Eigen::Index j, std::array<Scalar, 1>& total) {
        d[j] += a * x[j];
        d[j] = scale * d[j];
        total[0] += z[j] * d[j];
      })[0];
}

/// The dot products of a new L-BFGS pair: \f$s^T y\f$, \f$y^T y\f$ and \f$s^T s\f$.
template <typename Scalar>
struct PairProducts {
  Scalar sy;
  Scalar yy;
  Scalar ss;
};

/// `s = x - x_previous`, `y = g - g_previous`, then `x_previous = x`, `g_previous = g`; returns
/// \f$s^T y\f$, \f$y^T y\f$, \f$s^T s\f$ summed in Eigen's order (SumOrder::eigen). One pass instead of
/// seven: two differences, three dot products and the two copies that start the next line search.
template <typename Scalar>
PairProducts<Scalar> difference_pair(const Scalar* x, Scalar* x_previous, const Scalar* g, Scalar* g_previous,
                                     Scalar* s, Scalar* y, Eigen::Index n) {
  namespace ei = Eigen::internal;
  using Packet = typename ei::packet_traits<Scalar>::type;
  const std::array<Scalar, 3> sums = fused_pass<SumOrder::eigen, 3, Scalar>(
      n,
      [&](Eigen::Index j, Packet* sum) {
        const Packet xj = ei::ploadu<Packet>(x + j);
        const Packet gj = ei::ploadu<Packet>(g + j);
        const Packet sj = ei::psub(xj, ei::ploadu<Packet>(x_previous + j));
        const Packet yj = ei::psub(gj, ei::ploadu<Packet>(g_previous + j));
        ei::pstoreu(s + j, sj);
        ei::pstoreu(y + j, yj);
        ei::pstoreu(x_previous + j, xj);
        ei::pstoreu(g_previous + j, gj);
        sum[0] = ei::padd(sum[0], ei::pmul(sj, yj));
        sum[1] = ei::padd(sum[1], ei::pmul(yj, yj));
        sum[2] = ei::padd(sum[2], ei::pmul(sj, sj));
      },
      [&](Eigen::Index j, std::array<Scalar, 3>& total) {
        s[j] = x[j] - x_previous[j];
        y[j] = g[j] - g_previous[j];
        x_previous[j] = x[j];
        g_previous[j] = g[j];
        total[0] += s[j] * y[j];
        total[1] += y[j] * y[j];
        total[2] += s[j] * s[j];
      });
  return {sums[0], sums[1], sums[2]};
}

}  // namespace detail
}  // namespace trialode
