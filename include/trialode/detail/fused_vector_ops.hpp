// SPDX-License-Identifier: MIT
// Fused passes over short contiguous vectors for the L-BFGS two-loop recursion: an update of the
// direction and the dot product that follows it, in one pass on SIMD packets instead of two.
#pragma once

#include <Eigen/Core>

namespace trialode {
namespace detail {

/// `d = scale * d` if `Scale`, then `d += a * x` if `Add`, then returns \f$z^T d\f$ of the updated `d` if
/// `Dot`, else 0. All arrays hold `n` values; those not used may be null.
template <bool Scale, bool Add, bool Dot, typename Scalar>
Scalar update_and_dot(Scalar* d, Scalar scale, Scalar a, const Scalar* x, const Scalar* z, Eigen::Index n) {
  namespace ei = Eigen::internal;
  using Packet = typename ei::packet_traits<Scalar>::type;
  constexpr Eigen::Index size = ei::packet_traits<Scalar>::size;
  const Packet scale_p = ei::pset1<Packet>(scale);
  const Packet a_p = ei::pset1<Packet>(a);
  Packet sum0 = ei::pset1<Packet>(Scalar(0));
  Packet sum1 = sum0;
  const auto step = [&](Eigen::Index j, Packet& sum) {
    Packet dj = ei::ploadu<Packet>(d + j);
    if (Scale) dj = ei::pmul(scale_p, dj);
    if (Add) dj = ei::padd(dj, ei::pmul(a_p, ei::ploadu<Packet>(x + j)));
    ei::pstoreu(d + j, dj);
    if (Dot) sum = ei::padd(sum, ei::pmul(ei::ploadu<Packet>(z + j), dj));
  };
  Eigen::Index j = 0;
  for (; j + 2 * size <= n; j += 2 * size) {
    step(j, sum0);
    step(j + size, sum1);
  }
  for (; j + size <= n; j += size) step(j, sum0);
  Scalar sum = ei::predux(ei::padd(sum0, sum1));
  for (; j < n; ++j) {
    if (Scale) d[j] = scale * d[j];
    if (Add) d[j] += a * x[j];
    if (Dot) sum += z[j] * d[j];
  }
  return sum;
}

}  // namespace detail
}  // namespace trialode
